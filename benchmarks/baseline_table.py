"""ModelTable: one page of models as rows — the DataTable-based table the models screen had
before the ModelGrid (issue 11), kept as the baseline of the benchmarks (baseline_screen.py)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from rich.style import Style
from rich.text import Text
from textual._types import SegmentLines
from textual.binding import Binding
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowDoesNotExist, RowKey

from xerotui.api.schema import Model
from xerotui.tui.format import (
    context_text,
    date_text,
    human_count,
    status_kind,
    status_text,
    yes_no,
)
from xerotui.tui.sanitize import one_line


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    wide: bool = False
    numeric: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("id", "ID"),
    Column("name", "Name"),
    Column("format", "Format"),
    Column("size", "Size", numeric=True),
    Column("status", "Status"),
    Column("version", "Version"),
    Column("shared", "Shared"),
    Column("architecture", "Architecture", wide=True),
    Column("quantization", "Quantization", wide=True),
    Column("context", "Context", wide=True, numeric=True),
    Column("parameters", "Parameters", wide=True, numeric=True),
    Column("created", "Created", wide=True),
)
MARK = "mark"
FIELD_OF = {"size": "size_formatted", "context": "context_length",
            "parameters": "parameter_count", "shared": "is_shared"}  # fmt: skip
"""Column key -> the model field it shows (where they differ)."""
NOWHERE = Coordinate(-1, -1)
WATCHED = Text("⟳", style="bold yellow")
WATCHED_MARKED = Text("⟳", style="bold magenta")
"""The mark column of a model under watch (magenta: also marked)."""


def _evict(cache: LRUCache[Any, Any], belongs: Callable[[Any], bool]) -> None:
    keys = cache.keys()  # an LRUCache is not iterable itself
    for key in [key for key in keys if belongs(key)]:
        cache.discard(key)


@dataclass(frozen=True)
class PageView:
    """Everything the table needs to draw a page."""

    models: Sequence[Model]
    marks: Collection[str] = ()
    wide: bool = False
    full_ids: bool = False
    flash: Collection[str] = ()
    sort: str = "created"
    descending: bool = True
    frame: int | None = None
    show_id: bool = True
    name_width: int | None = None
    """Fixed width of the Name column (long names end in …); None sizes it to the names."""
    watched: Collection[str] = ()
    """Models under watch (a revalidation the user started): `⟳` in the mark column."""


class ModelTable(DataTable[Text | str]):
    """Rows keyed by model id; a mark column; status coloured; sort arrow on the header.

    Every value is shown defensively: server text is sanitised and never read as markup, and
    a value that cannot be shown (a `created` out of range) shows as `?` in its own cell —
    the rest of the table is drawn — and is reported once through a BadValue message."""

    DEFAULT_CSS = """
    ModelTable {
        height: 1fr;
    }
    """
    BINDINGS = [
        Binding("enter", "select_cursor", "Detail", id="models.detail"),
    ]

    class BadValue(Message):
        """A field of a model could not be shown (posted once per model and field)."""

        def __init__(self, model_id: str, field: str, value: object, error: Exception) -> None:
            super().__init__()
            self.model_id = model_id
            self.field = field
            self.value = value
            self.error = error

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._layout: tuple[bool, str, bool, bool, int | None] | None = None
        self._in_progress: list[Model] = []
        self._reported: set[tuple[str, str]] = set()

    @staticmethod
    def columns_for(wide: bool, show_id: bool = True) -> list[Column]:
        return [c for c in COLUMNS if (wide or not c.wide) and (show_id or c.key != "id")]

    def show_page(self, page: PageView) -> None:
        """Redraw with `page`; columns are rebuilt only when their layout changed."""
        layout = (page.wide, page.sort, page.descending, page.show_id, page.name_width)
        columns = self.columns_for(page.wide, page.show_id)
        if layout != self._layout:
            self.clear(columns=True)
            self.add_column(" ", key=MARK, width=1)
            for column in columns:
                arrow = ("▼" if page.descending else "▲") if column.key == page.sort else ""
                width = page.name_width if column.key == "name" else None
                self.add_column(f"{column.label}{arrow}", key=column.key, width=width)
            self._layout = layout
        else:
            self.clear()
        marks, flash, watched = set(page.marks), set(page.flash), set(page.watched)
        for model in page.models:
            cells = self._cells(model, columns, model.id in marks, model.id in flash, page)
            if model.id in watched:
                cells[0] = WATCHED_MARKED if model.id in marks else WATCHED
            self.add_row(*cells, key=model.id)
        self._in_progress = [m for m in page.models if status_kind(m.status) == "progress"]

    def _cells(
        self, model: Model, columns: list[Column], marked: bool, flashed: bool, page: PageView
    ) -> list[Text | str]:
        cells: list[Text | str] = [Text("●", style="bold magenta") if marked else " "]
        for column in columns:
            try:
                cell = self._cell(model, column.key, page, marked)
            except Exception as error:  # a value no formatter can show: `?`, reported once
                cell = Text("?", style="bold red")
                self._bad_value(model, column.key, error)
            text = cell if isinstance(cell, Text) else Text(cell)
            if column.numeric:
                text.justify = "right"
            if flashed:
                text.stylize("bold reverse")
            cells.append(text)
        return cells

    def _bad_value(self, model: Model, key: str, error: Exception) -> None:
        if (model.id, key) not in self._reported:
            self._reported.add((model.id, key))
            field = FIELD_OF.get(key, key)
            self.post_message(self.BadValue(model.id, field, getattr(model, field, None), error))

    @staticmethod
    def _cell(model: Model, key: str, page: PageView, marked: bool) -> Text | str:
        match key:
            case "id":
                return one_line(model.id if page.full_ids else model.id[:8])
            case "name":
                style = "bold" if marked else ""
                return Text(one_line(model.name), style=style, overflow="ellipsis", no_wrap=True)
            case "format":
                return one_line(model.format)
            case "size":
                return one_line(model.size_formatted)
            case "status":
                return status_text(model.status, page.frame)
            case "version":
                return one_line(model.version)
            case "shared":
                return Text("yes", style="cyan") if model.is_shared else yes_no(model.is_shared)
            case "architecture":
                return one_line(model.architecture)
            case "quantization":
                return one_line(model.quantization)
            case "context":
                return context_text(model.context_length)
            case "parameters":
                return human_count(model.parameter_count)
            case "created":
                return date_text(model.created)
        return "-"

    @staticmethod
    def name_width_for(
        width: int, page_models: Sequence[Model], *, show_id: bool, full_ids: bool
    ) -> int | None:
        """Fit the narrow table into `width` cells by giving Name what the others leave."""
        others = 3 + 13 + 11 + 14 + 9 + 8  # mark, format, size, status, version, shared
        if show_id:
            others += (36 if full_ids else 8) + 2
        room = width - 2 - others - 2  # scrollbar, Name's own padding
        longest = max((len(one_line(m.name)) for m in page_models), default=4)
        return None if room >= longest else max(room, 14)

    @property
    def highlighted_id(self) -> str | None:
        """The model id under the cursor, or None for an empty table."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0))
        return row_key.value

    def row_of(self, model_id: str) -> int | None:
        try:
            return self.get_row_index(model_id)
        except RowDoesNotExist:
            return None

    def _render_line_in_row(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ) -> tuple[SegmentLines, SegmentLines]:
        """With a row cursor a row looks the same wherever the cursor is, unless the cursor
        (or the mouse) is on it. DataTable keys its row cache on the cursor position, so each
        move re-rendered every visible row; telling other rows "nowhere" lets them come from
        the cache (cursor moves: p95 27 -> ~15 ms on 10,000 models). A private Textual hook
        (Textual is pinned), guarded by tests/tui/test_models.py (cursor and marks); it goes
        with the Line-API table of the table issue."""
        try:
            row = self.get_row_index(row_key)
        except RowDoesNotExist:  # the header row
            row = None
        if row is not None:
            if cursor_location.row != row:
                cursor_location = NOWHERE
            if hover_location.row != row:
                hover_location = NOWHERE
        return super()._render_line_in_row(
            row_key, line_no, base_style, cursor_location, hover_location
        )

    @property
    def animating(self) -> bool:
        return bool(self._in_progress)

    def tick(self, frame: int) -> None:
        """Advance the spinner of in-progress rows, repainting only their status cells."""
        self._set_quietly(
            {model.id: status_text(model.status, frame) for model in self._in_progress}, "status"
        )

    def _set_quietly(self, values: dict[str, Text], column: str) -> None:
        """`update_cell` of one column in a few rows, repainting only those rows.

        DataTable's render caches all key on one update counter, which `update_cell` bumps:
        each spinner frame re-rendered every row of the page (5 rows spinning cost ~45 %
        of a core on the 2-core machine, benchmarks/bench_jobs.py). Here the values go in,
        only those rows' cache entries go out, and only their regions are refreshed. Private
        Textual state (Textual is pinned), guarded by tests/tui/test_tui_jobs.py
        (test_the_spinner_repaints_only_its_rows); it goes with the Line-API table.
        """
        column_key = ColumnKey(column)
        if column_key not in self._column_locations:
            return
        rows: dict[RowKey, int] = {}
        lines: set[int] = set()
        for row, value in values.items():
            row_key = RowKey(row)
            index = self._row_locations.get(row_key)
            if index is None:
                continue
            self._data[row_key][column_key] = value
            rows[row_key] = index
            region = self._get_row_region(index)
            lines.update(range(region.y, region.bottom))
        if not rows:
            return
        indexes = set(rows.values())
        _evict(self._cell_render_cache, lambda key: key[1] == column_key and key[0] in rows)
        _evict(self._row_render_cache, lambda key: key[0] in rows)
        _evict(self._row_renderable_cache, lambda key: key[1] in indexes)
        _evict(self._line_cache, lambda key: key[0] in lines)
        # One refresh per run of adjacent rows: one render pass each, no row in between.
        width = max(self.size.width, self.virtual_size.width)
        ordered = sorted(lines)
        start = previous = ordered[0]
        for line in [*ordered[1:], None]:
            if line is not None and line == previous + 1:
                previous = line
                continue
            self._refresh_region(Region(0, start, width, previous + 1 - start))
            if line is not None:
                start = previous = line
