"""The model grid's keys and mouse: cursor moves, pages, half pages, top and bottom,
sideways scrolling (and showing the wide columns), the wheel, and clicks on the header,
the rows and the scroll track.

A mixin over the grid's public surface (`GridLike`), so that model_grid.py keeps to what
is shown and how it is drawn. The bindings are declared on the grid itself (Textual
collects BINDINGS from widget classes only).
"""

from __future__ import annotations

from typing import Protocol

from textual import events
from textual.geometry import Offset

from xerotui.tui.widgets.grid_layout import GridLayout

WHEEL_LINES = 3


class GridLike(Protocol):
    @property
    def cursor_row(self) -> int: ...

    @property
    def row_count(self) -> int: ...

    @property
    def page_rows(self) -> int: ...

    @property
    def scroll_offset(self) -> Offset: ...

    @property
    def layout_now(self) -> GridLayout | None: ...

    def move_cursor(self, row: int) -> None: ...

    def action_select(self) -> None: ...

    def request_sort(self, column: str) -> None: ...

    def scroll_to(
        self,
        x: float | None = None,
        y: float | None = None,
        *,
        animate: bool = True,
        force: bool = False,
    ) -> None: ...


class GridKeys:
    """Actions for the grid's bindings (k9s and vim keys included) and the wheel."""

    def action_cursor_up(self: GridLike) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self: GridLike) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self: GridLike) -> None:
        page(self, -self.page_rows)

    def action_page_down(self: GridLike) -> None:
        page(self, self.page_rows)

    def action_half_page_up(self: GridLike) -> None:
        page(self, -max(1, self.page_rows // 2))

    def action_half_page_down(self: GridLike) -> None:
        page(self, max(1, self.page_rows // 2))

    def action_top(self: GridLike) -> None:
        """`g g` (the app's chord) and home."""
        self.move_cursor(0)

    def action_bottom(self: GridLike) -> None:
        self.move_cursor(self.row_count - 1)

    def action_scroll_right(self: GridLike) -> None:
        """To the next column's left edge (wide mode: the columns after the frozen ones)."""
        layout = self.layout_now
        if layout is not None:
            stops = [s for s in layout.scroll_stops() if s > self.scroll_offset.x]
            if stops:
                self.scroll_to(x=stops[0], animate=False, force=True)

    def reveal_wide(self: GridLike) -> None:
        """Scroll sideways to the first wide column (the columns `w` added), if it scrolls."""
        layout = self.layout_now
        first = next((p for p in layout.columns if p.column.wide), None) if layout else None
        if layout is not None and first is not None and first.start >= layout.frozen_width:
            x = min(first.start - layout.frozen_width, layout.max_scroll_x)
            self.scroll_to(x=x, animate=False, force=True)

    def action_scroll_left(self: GridLike) -> None:
        layout = self.layout_now
        if layout is not None:
            stops = [s for s in layout.scroll_stops() if s < self.scroll_offset.x]
            self.scroll_to(x=stops[-1] if stops else 0, animate=False, force=True)

    def on_mouse_scroll_down(self: GridLike, event: events.MouseScrollDown) -> None:
        wheel(self, event, WHEEL_LINES)

    def on_mouse_scroll_up(self: GridLike, event: events.MouseScrollUp) -> None:
        wheel(self, event, -WHEEL_LINES)

    def on_click(self: GridLike, event: events.Click) -> None:
        """Header: sort by that column. Track: jump there. Row: cursor; again: select."""
        offset = event.get_content_offset(event.widget) if event.widget else None
        layout = self.layout_now
        if offset is None or layout is None:
            return
        if offset.y == 0:
            column = layout.column_at(offset.x, self.scroll_offset.x)
            if column is not None:
                self.request_sort(column.key)
        elif offset.x >= layout.viewport:
            share = (offset.y - 1) / max(1, self.page_rows - 1)
            self.move_cursor(round(share * (self.row_count - 1)))
        elif (row := self.scroll_offset.y + offset.y - 1) < self.row_count:
            if row == self.cursor_row:
                self.action_select()
            else:
                self.move_cursor(row)


def page(grid: GridLike, step: int) -> None:
    """Move the cursor by `step` rows keeping its place on screen (pagedown, ctrl+d)."""
    cursor = grid.cursor_row
    on_screen = cursor - grid.scroll_offset.y
    target = min(max(cursor + step, 0), max(grid.row_count - 1, 0))
    grid.scroll_to(y=max(0, target - on_screen), animate=False, force=True)
    grid.move_cursor(target)


def wheel(grid: GridLike, event: events.MouseEvent, lines: int) -> None:
    """The grid has no Textual scrollbars (see RowPainter.thumb), so the wheel is handled
    here: rows, or with shift/ctrl the columns after the frozen ones."""
    event.stop()
    if event.shift or event.ctrl:
        layout = grid.layout_now
        if layout is not None:
            x = grid.scroll_offset.x
            stops = [s for s in layout.scroll_stops() if (s > x if lines > 0 else s < x)]
            if stops:
                grid.scroll_to(x=stops[0] if lines > 0 else stops[-1], animate=False, force=True)
    else:
        grid.scroll_to(y=max(0, grid.scroll_offset.y + lines), animate=False, force=True)
