"""Where each column of the model grid goes for a given width: pure arithmetic, no Textual.

A row is: one cell per marker (mark, later "under watch"), then the columns, each drawn as
its width plus one space on either side. The columns up to and including Name are FROZEN:
scrolling sideways (wide mode, or a terminal too narrow for the narrow set) moves only the
columns after them. Widths are fixed per column (no pass over 10,000 models to measure
them, and no column that jumps while scrolling); Name takes what the others leave, between
NAME_MIN and NAME_CAP. In wide mode Name is sized so that, scrolled to the right, the five
wide columns fit beside the frozen part: at 120 columns all of Architecture, Quantization,
Context, Parameters and Created are on screen next to names of up to 45 cells.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size

NARROW = 100
"""Below this many columns the ID column folds away (the detail view and `y` still have it)."""
FULL_IDS_NARROW = 136
FULL_IDS_WIDE = 210
"""From these widths (narrow / wide mode) the ID column shows whole ids."""
NAME_MIN = 16
NAME_CAP = 60
ELLIPSIS = "…"


@dataclass(frozen=True)
class GridColumn:
    key: str
    label: str
    width: int
    wide: bool = False
    right: bool = False
    """Right-aligned (numbers)."""
    middle: bool = False
    """Cut in the middle when too long (names keep their distinguishing suffix)."""


COLUMNS: tuple[GridColumn, ...] = (
    GridColumn("id", "ID", 8),
    GridColumn("name", "Name", NAME_MIN, middle=True),
    GridColumn("format", "Format", 11),
    GridColumn("size", "Size", 9, right=True),
    GridColumn("status", "Status", 12),
    GridColumn("version", "Version", 7),
    GridColumn("shared", "Shared", 6),
    GridColumn("architecture", "Architecture", 22, wide=True, middle=True),
    GridColumn("quantization", "Quant", 6, wide=True),
    GridColumn("context", "Context", 7, wide=True, right=True),
    GridColumn("parameters", "Params", 6, wide=True, right=True),
    GridColumn("created", "Created", 10, wide=True),
)
FULL_ID_WIDTH = 36
FROZEN_LAST = "name"


@dataclass(frozen=True)
class Placed:
    """A column at its place: cells [start, start + width + 2) of the row, text inside."""

    column: GridColumn
    start: int
    width: int

    @property
    def end(self) -> int:
        return self.start + self.width + 2


@dataclass(frozen=True)
class GridLayout:
    markers: int
    columns: tuple[Placed, ...]
    frozen_width: int
    """Cells of the part that never scrolls sideways: markers and columns up to Name."""
    total_width: int
    viewport: int
    """Cells for the columns (the grid's width less `reserve`)."""
    full_ids: bool
    reserve: int = 0

    @property
    def keys(self) -> list[str]:
        return [p.column.key for p in self.columns]

    @property
    def max_scroll_x(self) -> int:
        return max(0, self.total_width - self.viewport)

    def column_at(self, x: int, scroll_x: int) -> GridColumn | None:
        """The column under screen cell `x` (relative to the grid) when scrolled by `scroll_x`."""
        at = x if x < self.frozen_width else x + scroll_x
        for placed in self.columns:
            if placed.start <= at < placed.end:
                return placed.column
        return None

    def scroll_stops(self) -> list[int]:
        """scroll_x values that put a scrolling column's left edge at the frozen edge."""
        stops = [p.start - self.frozen_width for p in self.columns if p.start >= self.frozen_width]
        return sorted({min(max(0, s), self.max_scroll_x) for s in stops} | {self.max_scroll_x})


def layout_for(width: int, *, wide: bool, markers: int, reserve: int = 0) -> GridLayout:
    """The columns for a grid `width` cells wide, `reserve` cells of which (at the right,
    for a scroll track) are not for columns. The ID column folds and unfolds by `width`."""
    full_ids = width >= (FULL_IDS_WIDE if wide else FULL_IDS_NARROW)
    chosen = [c for c in COLUMNS if (wide or not c.wide) and (width >= NARROW or c.key != "id")]

    def cells(column: GridColumn) -> int:
        return (FULL_ID_WIDTH if full_ids and column.key == "id" else column.width) + 2

    others = markers + sum(cells(c) for c in chosen if c.key != "name")
    width -= reserve
    room_all = width - others - 2
    if room_all >= NAME_MIN or not wide:
        name = min(max(room_all, NAME_MIN), NAME_CAP)
    else:  # scrolled to the right: frozen part + the five wide columns fill the width
        frozen = markers + sum(cells(c) for c in chosen[: chosen.index(_name(chosen)) + 1])
        tail = sum(cells(c) for c in chosen if c.wide)
        name = min(max(width - (frozen - cells(_name(chosen))) - tail - 2, NAME_MIN), NAME_CAP)
    placed: list[Placed] = []
    x = markers
    frozen_width = markers
    for column in chosen:
        inner = name if column.key == "name" else cells(column) - 2
        placed.append(Placed(column, x, inner))
        x += inner + 2
        if column.key == FROZEN_LAST:
            frozen_width = x
    return GridLayout(markers, tuple(placed), frozen_width, x, width, full_ids, reserve)


def _name(columns: list[GridColumn]) -> GridColumn:
    return next(c for c in columns if c.key == "name")


def fit(text: str, width: int, *, right: bool = False, middle: bool = False) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis (at the end or in
    the middle). Cell widths, not characters: wide (CJK) characters count twice."""
    length = cell_len(text)
    if length <= width:
        pad = " " * (width - length)
        return pad + text if right else text + pad
    if width <= 1:
        return ELLIPSIS[:width]
    if not middle:
        return set_cell_size(text, width - 1) + ELLIPSIS
    head = (width - 1 + 1) // 2
    tail = width - 1 - head
    return set_cell_size(set_cell_size(text, head) + ELLIPSIS + _last_cells(text, tail), width)


def _last_cells(text: str, cells: int) -> str:
    """The longest end of `text` that fits in `cells` cells."""
    taken = 0
    index = len(text)
    while index > 0:
        size = cell_len(text[index - 1])
        if taken + size > cells:
            break
        taken += size
        index -= 1
    return text[index:]
