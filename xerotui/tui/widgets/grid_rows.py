"""How one model becomes one line of the model grid (a Strip), and the header line.

Every cell is computed on its own and defensively: a value the formatters cannot handle
(a `created` of 1e15 is past year 9999; a size that is not a number) shows `?` in that
cell only and is reported as a :class:`Problem`, the rest of the row is drawn as usual.
Server text goes through :func:`xerotui.tui.sanitize.one_line` and is never read as
markup: cells are plain strings with a Rich `Style`, turned into segments directly
(rendering a Rich `Text` per cell costs ~10x more, and a line is 12 cells).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.filter import LineFilter
from textual.strip import Strip
from textual.widget import Widget

from xerotui.api.schema import Model
from xerotui.api.units import size_formatted
from xerotui.tui.format import (
    context_text,
    date_text,
    human_count,
    status_kind,
    status_text,
    yes_no,
)
from xerotui.tui.sanitize import one_line
from xerotui.tui.widgets.grid_layout import GridLayout, fit

NO_STYLE = Style()
TRACK = 1
"""Cells at the right of every line for the scroll track (see RowPainter.thumb)."""


@dataclass(frozen=True)
class Marker:
    """A one-cell column before the others: a glyph on the rows whose id is in a set."""

    name: str
    glyph: str
    component: str
    """Component class of its style (declared by the grid)."""
    bold_name: bool = False


MARK = Marker("mark", "●", "modelgrid--mark", bold_name=True)
WATCH = Marker("watch", "⟳", "modelgrid--watch")
"""Under watch (a revalidation the user started, the jobs store's): the models screen
passes markers=(MARK, WATCH) and sets set_marker("watch", ids)."""


class Problem(NamedTuple):
    """A value that could not be shown (the cell shows `?`)."""

    model_id: str
    field: str
    detail: str


class RowState(NamedTuple):
    """What, besides the model itself, changes how its line looks (part of the cache key)."""

    markers: tuple[bool, ...]
    cursor: bool
    flash: bool
    even: bool
    frame: int | None
    """Spinner frame, only for in-progress rows (None otherwise: the line stays cached)."""


@dataclass(frozen=True)
class RowStyles:
    """Rich styles from the grid's component classes (rebuilt when the CSS or theme changes)."""

    odd: Style
    even: Style
    cursor: Style
    flash: Style
    header: Style
    sorted: Style
    problem: Style
    track: Style
    thumb: Style
    markers: dict[str, Style] = field(default_factory=dict)


def row_styles(style: Callable[..., Style], markers: tuple[Marker, ...]) -> RowStyles:
    """RowStyles from the grid's `get_component_rich_style`."""
    return RowStyles(
        odd=style("modelgrid--odd-row"),
        even=style("modelgrid--even-row"),
        cursor=style("modelgrid--cursor"),
        flash=style("modelgrid--flash", partial=True),
        header=style("modelgrid--header"),
        sorted=style("modelgrid--sorted", partial=True),
        problem=style("modelgrid--problem", partial=True),
        track=style("modelgrid--track"),
        thumb=style("modelgrid--thumb"),
        markers={m.component: style(m.component, partial=True, default=NO_STYLE) for m in markers},
    )


COMPONENTS = {
    "modelgrid--header",
    "modelgrid--sorted",
    "modelgrid--odd-row",
    "modelgrid--even-row",
    "modelgrid--cursor",
    "modelgrid--flash",
    "modelgrid--mark",
    "modelgrid--watch",
    "modelgrid--problem",
    "modelgrid--track",
    "modelgrid--thumb",
}
"""The grid's component classes: RowStyles is made of their styles."""
GRID_CSS = """
ModelGrid {
    height: 1fr;
    background: $surface;
    color: $foreground;
    scrollbar-size-vertical: 0;
    scrollbar-size-horizontal: 0;
    &:focus {
        background-tint: $foreground 5%;
        & > .modelgrid--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    & > .modelgrid--header { text-style: bold; background: $panel; color: $foreground; }
    & > .modelgrid--sorted { color: $accent; }
    & > .modelgrid--odd-row { }
    & > .modelgrid--even-row { background: $surface-lighten-1 50%; }
    &:dark > .modelgrid--even-row { background: $surface-darken-1 40%; }
    & > .modelgrid--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    & > .modelgrid--flash { text-style: bold reverse; }
    & > .modelgrid--mark { color: magenta; text-style: bold; }
    & > .modelgrid--watch { color: yellow; text-style: bold; }
    & > .modelgrid--problem { color: $error; text-style: bold; }
    & > .modelgrid--track { background: $scrollbar-background; }
    & > .modelgrid--thumb { background: $scrollbar; }
}
"""
"""ModelGrid's DEFAULT_CSS (kept here, next to the styles it defines)."""


Cell = tuple[str, Style | None]


def _text(value: str | None) -> Cell:
    return one_line(value), None


def _styled(text: Text) -> Cell:
    style = text.style
    return text.plain, Style.parse(style) if isinstance(style, str) else style


def _size(model: Model) -> Cell:
    if model.size_formatted:
        return one_line(model.size_formatted), None
    if model.size_bytes is None:
        return "-", None
    return size_formatted(int(model.size_bytes)), None


def _shared(model: Model) -> Cell:
    if model.is_shared:
        return "yes", Style(color="cyan")
    return yes_no(model.is_shared), None


CELLS: dict[str, Callable[[Model, int | None], Cell]] = {
    "id": lambda m, _: (one_line(m.id), None),
    "name": lambda m, _: _text(m.name),
    "format": lambda m, _: _text(m.format),
    "size": lambda m, _: _size(m),
    "status": lambda m, frame: _styled(status_text(one_line(m.status, "unknown"), frame)),
    "version": lambda m, _: _text(m.version),
    "shared": lambda m, _: _shared(m),
    "architecture": lambda m, _: _text(m.architecture),
    "quantization": lambda m, _: _text(m.quantization),
    "context": lambda m, _: (context_text(m.context_length), None),
    "parameters": lambda m, _: (human_count(m.parameter_count), None),
    "created": lambda m, _: (date_text(m.created), None),
}


def plain_box(widget: Widget) -> bool:
    """No padding, border, outline, hatch, tint or opacity (its own or its ancestors'): a
    line goes out as drawn."""
    styles = widget.styles
    return (
        not any(styles.gutter)
        and not styles.has_rule("hatch")
        and not any(edge for edge, _ in styles.outline)
        and not styles.tint.a
        and widget.opacity == 1.0
        and styles.text_opacity == 1.0
    )


def filtered(line: Strip, filters: Sequence[LineFilter], background: Color) -> Strip:
    """`line` through the app's line filters (each result is cached on the Strip itself)."""
    for line_filter in filters:
        line = line.apply_filter(line_filter, background)
    return line


def in_progress(model: Model) -> bool:
    try:
        return status_kind(model.status) == "progress"
    except Exception:  # a status that is not even hashable: drawn as "?" by its cell
        return False


class RowPainter:
    """Lines for one layout and one set of styles."""

    def __init__(self, layout: GridLayout, styles: RowStyles, markers: tuple[Marker, ...]) -> None:
        self.layout = layout
        self.styles = styles
        self.markers = markers
        self.width = max(layout.total_width, layout.viewport)
        self.track = (Segment(" ", styles.track), Segment(" ", styles.thumb))

    def row(self, model: Model, state: RowState) -> tuple[Strip, list[Problem]]:
        styles = self.styles
        row_style = styles.even if state.even else styles.odd
        over = NO_STYLE
        if state.cursor:
            over += styles.cursor
        if state.flash:
            over += styles.flash
        segments: list[Segment] = []
        bold_name = False
        for marker, on in zip(self.markers, state.markers, strict=True):
            style = styles.markers.get(marker.component) if on else None
            glyph = marker.glyph if on else " "
            segments.append(Segment(glyph, row_style + style + over if style else row_style + over))
            bold_name = bold_name or (on and marker.bold_name)
        problems: list[Problem] = []
        full_ids = self.layout.full_ids
        for placed in self.layout.columns:
            column = placed.column
            try:
                text, style = CELLS[column.key](model, state.frame)
                if column.key == "id" and not full_ids:
                    text = text[:8]
            except Exception as error:
                text, style = "?", styles.problem
                detail = f"{type(error).__name__}: {error}"
                problems.append(Problem(str(model.id), column.key, detail))
            if bold_name and column.key == "name":
                style = (style or NO_STYLE) + Style(bold=True)
            content = fit(text, placed.width, right=column.right, middle=column.middle)
            cell_style = row_style + style + over if style else row_style + over
            segments.append(Segment(f" {content} ", cell_style))
        return self._finish(segments, row_style + over), problems

    def cells(self, line: Strip) -> dict[str, str]:
        """What a drawn row line shows: marker name or column key -> its text (cut as on
        screen, without padding)."""
        cells = {m.name: line.crop(i, i + 1).text for i, m in enumerate(self.markers)}
        for placed in self.layout.columns:
            cells[placed.column.key] = line.crop(placed.start, placed.end).text.strip()
        return cells

    def header(self, sort: str, descending: bool) -> Strip:
        styles = self.styles
        segments = [Segment(" " * self.layout.markers, styles.header)]
        for placed in self.layout.columns:
            column = placed.column
            label = column.label
            style = styles.header
            if column.key == sort:
                label += "▼" if descending else "▲"
                style = style + styles.sorted
            content = fit(label, placed.width, right=column.right)
            segments.append(Segment(f" {content} ", style))
        return self._finish(segments, styles.header)

    def window(self, line: Strip, scroll_x: int, thumb: bool) -> Strip:
        """What the screen shows of a full-width line: the frozen columns, the columns
        after them scrolled by `scroll_x`, and the line's cell of the scroll track."""
        width = self.layout.viewport
        if scroll_x == 0:
            body = line.crop(0, width)
        else:
            frozen = self.layout.frozen_width
            scrolled = line.crop(frozen + scroll_x, scroll_x + width)
            body = Strip.join([line.crop(0, frozen), scrolled])
        return Strip([*body, self.track[thumb]], width + TRACK)

    @staticmethod
    def thumb(y: int, top: int, rows: int, total: int) -> bool:
        """Is line `y` (0 is the header) on the thumb of the scroll track? The track is drawn
        in the lines, not by Textual's ScrollBar widget: that one renders each of its lines
        through Rich again on every scroll, which was half the cost of a scrolling frame."""
        if y == 0 or total <= rows:
            return False
        size = max(1, rows * rows // total)
        start = round(top / max(1, total - rows) * (rows - size))
        return start <= y - 1 < start + size

    def broken(self, model_id: str) -> Strip:
        """The line for a row whose drawing failed outright (a bug): `?`, not a crash."""
        line = Strip([Segment(f" ? {one_line(model_id)}", self.styles.problem)])
        return line.adjust_cell_length(self.width, self.styles.odd)

    def _finish(self, segments: list[Segment], pad_style: Style) -> Strip:
        """Every cell was fitted to its width, so the line is exactly the layout's width."""
        drawn = self.layout.total_width
        if drawn < self.width:
            segments.append(Segment(" " * (self.width - drawn), pad_style))
        return Strip(segments, self.width)
