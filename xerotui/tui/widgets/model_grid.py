"""ModelGrid: every matching model in one scrollable view, drawn line by line (Line API).

Why not DataTable: it copies every row into itself (`add_row`), renders a cell per column
per visible row again whenever it scrolls, and keys its row cache on the cursor position,
so paging 10,000 models meant rebuilding pages and a cursor move re-rendered the screen
(issue 11, and benchmarks/bench_grid.py for the figures). Here:

- The rows are the owner's sequence of `Model` (the inventory's filtered and sorted view),
  held by reference: swapping it (a filter, a sort) copies nothing.
- `render_line(y)` draws the header on line 0 and row `scroll_y + y - 1` below it. A row's
  line is cached by (model id, its look: markers, cursor, flash, zebra, spinner frame)
  while the cached model *is* the current one (`inventory.update` puts a new object in
  place of a changed model): only a changed model is drawn again, and scrolling hands
  Textual the very Strips it had (`render_lines`).
- A cursor move refreshes the two lines it touches; a spinner tick the visible rows that
  are in progress; a mark or flash the visible rows whose id changed.
- Sideways scrolling (wide mode) keeps the markers, ID and Name frozen on the left.
- No Textual scrollbars (their re-render was half of a scrolling frame): a one-cell track
  is drawn into the lines, and the wheel and the keys scroll with `scroll_to(force=True)`.
- Nothing a server sent can break it: cells are sanitised plain text, a bad value shows
  `?` and is reported once per (model, field) as a `CellProblem` message, and an error
  while drawing a line becomes a `?` line, never an exception out of a render.

Presentational: it is given models and sets of ids, posts messages, never fetches.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import ClassVar, TypeAlias

from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from xerotui.api.schema import Model
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.widgets import grid_messages as messages
from xerotui.tui.widgets.grid_keys import GridKeys
from xerotui.tui.widgets.grid_layout import GridLayout, layout_for
from xerotui.tui.widgets.grid_lines import GridLines
from xerotui.tui.widgets.grid_rows import (
    COMPONENTS,
    GRID_CSS,
    MARK,
    TRACK,
    Marker,
    Problem,
    RowPainter,
    filtered,
    in_progress,
    plain_box,
    row_styles,
)

FLASH_SECONDS = 3.0
SPINNER_SECONDS = 0.12


class ModelGrid(SafeDispatch, GridKeys, ScrollView, can_focus=True):
    """All matching models, one per line; header with the sort arrow; markers; cursor."""

    COMPONENT_CLASSES: ClassVar[set[str]] = COMPONENTS
    DEFAULT_CSS = GRID_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", id="models.up", show=False),
        Binding("down,j", "cursor_down", "Down", id="models.down", show=False),
        Binding("pageup", "page_up", "Page up", id="models.page_up", show=False),
        Binding("pagedown", "page_down", "Page down", id="models.page_down", show=False),
        Binding("ctrl+u", "half_page_up", "Half page up", id="models.half_up", show=False),
        Binding("ctrl+d", "half_page_down", "Half page down", id="models.half_down", show=False),
        Binding("home", "top", "Top", id="models.top", show=False),
        Binding("end,G", "bottom", "Bottom", id="models.bottom", show=False),
        Binding("left", "scroll_left", "Scroll left", id="models.left", show=False),
        Binding("right", "scroll_right", "Scroll right", id="models.right", show=False),
        Binding("enter", "select", "Detail", id="models.detail"),
    ]

    Highlighted: TypeAlias = messages.Highlighted
    RangeChanged: TypeAlias = messages.RangeChanged
    Selected: TypeAlias = messages.Selected
    SortRequested: TypeAlias = messages.SortRequested
    CellProblem: TypeAlias = messages.CellProblem

    def __init__(
        self,
        *,
        markers: Sequence[Marker] = (MARK,),
        wide: bool = False,
        spinner_seconds: float | None = SPINNER_SECONDS,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.markers = tuple(markers)
        self.lines = GridLines(self.markers)
        self._models: Sequence[Model] = ()
        self._cursor = 0
        self._wide = wide
        self._sort = ("created", True)
        self._spinner_seconds = spinner_seconds
        self._layout: GridLayout | None = None
        self._painter: RowPainter | None = None
        self._header: tuple[tuple[str, bool], Strip] | None = None
        self._range: tuple[int, int, int] | None = None
        self._view: tuple[int, int, int, int] | None = None

    # ------------------------------------------------------------------ what it shows

    @property
    def models(self) -> Sequence[Model]:
        return self._models

    @property
    def row_count(self) -> int:
        return len(self._models)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def highlighted_model(self) -> Model | None:
        return self._models[self._cursor] if self._cursor < len(self._models) else None

    @property
    def highlighted_id(self) -> str | None:
        model = self.highlighted_model
        return model.id if model is not None else None

    @property
    def layout_now(self) -> GridLayout | None:
        """The column layout in use (None before the first resize)."""
        return self._layout

    @property
    def page_rows(self) -> int:
        """Rows that fit under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    @property
    def visible_rows(self) -> range:
        top = self.scroll_offset.y
        return range(top, min(top + self.page_rows, len(self._models)))

    def set_source(
        self, models: Sequence[Model], *, keep: str | None = None, row: int | None = None
    ) -> None:
        """Show `models` (held, not copied). The cursor goes to `keep`'s row if it is there,
        else to `row`, else stays at its index; it is scrolled into view."""
        before = self.highlighted_id
        self._models = models
        target = self.row_of(keep) if keep is not None else None
        if target is None:
            target = row if row is not None else self._cursor
        self._cursor = min(max(target, 0), max(len(models) - 1, 0))
        self._resize_virtual()
        self._scroll_to_row(self._cursor)
        self.refresh()
        if self.highlighted_id != before:
            self._post_highlighted()
        self._post_range()

    def set_wide(self, wide: bool) -> None:
        if wide != self._wide:
            self._wide = wide
            self._relayout(force=True)

    def set_sort(self, column: str, descending: bool) -> None:
        """Where the header's arrow goes (the owner sorts the rows)."""
        if (column, descending) != self._sort:
            self._sort = (column, descending)
            self.refresh(Region(0, 0, self.size.width, 1))

    def set_marker(self, name: str, ids: Collection[str]) -> None:
        """The ids that show marker `name` (e.g. "mark"); only their visible lines redraw."""
        self._refresh_ids(self.lines.set_marker(name, ids))

    def marked(self, name: str = "mark") -> frozenset[str]:
        return self.lines.marked.get(name, frozenset())

    def flash(self, ids: Iterable[str], seconds: float = FLASH_SECONDS) -> None:
        """Highlight these rows for `seconds` (a status changed)."""
        self._refresh_ids(self.lines.start_flash(ids, seconds))
        self.set_timer(seconds + 0.01, lambda: self._refresh_ids(self.lines.end_flash()))

    @property
    def flashing(self) -> frozenset[str]:
        return frozenset(self.lines.flash)

    def tick(self) -> None:
        """Advance the spinner: redraw only the visible rows that are in progress."""
        if not self.lines.advance(animated=self.app.animation_level != "none"):
            return
        for row in self.visible_rows:
            if in_progress(self._models[row]):
                self.refresh_row(row)

    def refresh_row(self, row: int) -> None:
        if self._layout is not None and row in self.visible_rows:
            self.refresh_line(row + 1)

    def _refresh_ids(self, ids: Collection[str]) -> None:
        if ids:
            for row in self.visible_rows:
                if self._models[row].id in ids:
                    self.refresh_row(row)

    def row_of(self, model_id: str) -> int | None:
        """The row of `model_id` in the source (None: not shown)."""
        models = self._models
        if self._cursor < len(models) and models[self._cursor].id == model_id:
            return self._cursor
        return next((i for i, model in enumerate(models) if model.id == model_id), None)

    # ------------------------------------------------------------------ layout and styles

    def on_mount(self) -> None:
        if self._spinner_seconds:
            self.set_interval(self._spinner_seconds, self.tick, name="spinner")

    def on_resize(self, _: events.Resize) -> None:
        self._relayout()

    def notify_style_update(self) -> None:
        """The CSS, the theme or the focus changed: every cached line is stale."""
        super().notify_style_update()
        self._forget()

    def _forget(self) -> None:
        self._painter = None
        self._header = None
        self.lines.clear()

    def _relayout(self, *, force: bool = False) -> None:
        changed = self._fit()
        layout = self._layout
        if layout is None:
            return
        if changed or force:
            self._forget()
            self.refresh()
            if self.scroll_offset.x > layout.max_scroll_x:  # narrower table: no blank end
                self.scroll_to(x=layout.max_scroll_x, animate=False, force=True)
        self._resize_virtual()
        self._scroll_to_row(self._cursor)
        self._post_range()

    def _fit(self) -> bool:
        """Columns for the width the grid has now; True if they changed."""
        width = self.scrollable_content_region.width
        if width <= TRACK:
            return False
        layout = layout_for(width, wide=self._wide, markers=len(self.markers), reserve=TRACK)
        if layout == self._layout:
            return False
        self._layout = layout
        return True

    def _resize_virtual(self) -> None:
        """Rows (known before any layout, so the first frame can scroll) and the columns'
        width (once they are placed)."""
        layout = self._layout
        width = layout.total_width + layout.reserve if layout is not None else 0
        size = Size(width, len(self._models) + 1)
        if size != self.virtual_size:
            self.virtual_size = size

    def _painter_now(self) -> RowPainter | None:
        if self._painter is None and self._layout is not None:
            styles = row_styles(self.get_component_rich_style, self.markers)
            self._painter = RowPainter(self._layout, styles, self.markers)
        return self._painter

    # ------------------------------------------------------------------ drawing

    def render_lines(self, crop: Region) -> list[Strip]:
        """The cached strips themselves: what Textual caches on a Strip (line filters, chops,
        escape codes) is reused as rows scroll. Its own path makes a new Strip of each line
        of a scrolled widget, for padding, borders, tint, opacity the grid has not (else:
        `plain_box`). The scroll position is read once per frame, not per line; the first
        frame places the columns (Textual tells a widget its size after its first render)."""
        if self._layout is None:
            self._fit()
        offset = self.scroll_offset
        self._view = (offset.x, offset.y, self.page_rows, len(self._models))
        try:
            if not plain_box(self):
                return super().render_lines(crop)
            width, pad = self.size.width, self.rich_style  # wider, before on_resize: padded
            filters, background = self.get_line_filters(), self.background_colors[1]
            lines = [
                filtered(self.render_line(y).adjust_cell_length(width, pad), filters, background)
                for y in crop.line_range
            ]
        finally:
            self._view = None
        x1, x2 = crop.column_span
        return lines if (x1, x2) == (0, width) else [line.crop(x1, x2) for line in lines]

    def render_line(self, y: int) -> Strip:
        try:
            return self._draw_line(y)
        except Exception as error:  # a bug in drawing must not escape a render
            self._report(Problem("", "render", f"{type(error).__name__}: {error}"))
            return Strip.blank(self.size.width)

    def _draw_line(self, y: int) -> Strip:
        painter = self._painter_now()
        if painter is None:
            return Strip.blank(self.size.width)
        if y == 0:
            if self._header is None or self._header[0] != self._sort:
                self._header = (self._sort, painter.header(*self._sort))
            return self._window(self._header[1], y)
        row = self._viewed()[1] + y - 1
        if row >= len(self._models):
            return Strip.blank(self.size.width, painter.styles.odd)
        return self._window(self._line(row, painter), y)

    def _line(self, row: int, painter: RowPainter) -> Strip:
        model = self._models[row]
        line, problems = self.lines.line(
            model, self.lines.state(model, row, row == self._cursor), painter
        )
        for problem in problems:
            self._report(problem)
        return line

    def _viewed(self) -> tuple[int, int, int, int]:
        """(scroll x, scroll y, rows on screen, rows in all) for the frame being drawn."""
        if self._view is None:
            offset = self.scroll_offset
            return (offset.x, offset.y, self.page_rows, len(self._models))
        return self._view

    def _window(self, line: Strip, y: int) -> Strip:
        assert self._painter is not None
        scroll_x, top, rows, total = self._viewed()
        thumb = self._painter.thumb(y, top, rows, total)
        return self.lines.window(line, self._painter, scroll_x, thumb)

    def row_cells(self, row: int) -> dict[str, str]:
        """What row `row` shows, as drawn: marker name or column key -> its text (cut as on
        screen, without padding). Empty before the first layout or past the last row."""
        painter = self._painter_now()
        if painter is None or not 0 <= row < len(self._models):
            return {}
        return painter.cells(self._line(row, painter))

    def _report(self, problem: Problem) -> None:
        if self.lines.report(problem):
            self.post_message(self.CellProblem(self, problem))

    # ------------------------------------------------------------------ cursor and scrolling

    def move_cursor(self, row: int) -> None:
        """Put the cursor on `row` (clamped) and scroll it into view."""
        count = len(self._models)
        row = min(max(row, 0), max(count - 1, 0))
        self._scroll_to_row(row)
        if row != self._cursor:
            old, self._cursor = self._cursor, row
            self.refresh_row(old)
            self.refresh_row(row)
            self._post_highlighted()

    def _scroll_to_row(self, row: int) -> None:
        if self._layout is None:
            return
        top, rows = self.scroll_offset.y, self.page_rows
        if row < top:
            self.scroll_to(y=row, animate=False, force=True)
        elif row >= top + rows:
            self.scroll_to(y=row - rows + 1, animate=False, force=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._post_range()

    def _post_highlighted(self) -> None:
        self.post_message(self.Highlighted(self, self.highlighted_id, self._cursor))

    def _post_range(self) -> None:
        visible = self.visible_rows
        state = (visible.start, max(visible.start, visible.stop - 1), len(self._models))
        if state != self._range:
            self._range = state
            self.post_message(self.RangeChanged(self, *state))

    def action_select(self) -> None:
        model_id = self.highlighted_id
        if model_id is not None:
            self.post_message(self.Selected(self, model_id))

    def request_sort(self, column: str) -> None:
        self.post_message(self.SortRequested(self, column))
