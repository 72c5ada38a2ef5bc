"""What the model grid tells its owner. Attached to the grid as `ModelGrid.Highlighted` etc.

Handlers are named as for nested messages (`on_model_grid_highlighted`). `Highlighted` and
`RangeChanged` replace an undelivered one of their kind: a burst of keys delivers the last.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from xerotui.tui.widgets.grid_rows import Problem

if TYPE_CHECKING:
    from xerotui.tui.widgets.model_grid import ModelGrid

NAMESPACE = "model_grid"


class GridMessage(Message):
    def __init__(self, grid: ModelGrid) -> None:
        super().__init__()
        self.grid = grid
        # The sender is the grid, whoever made the message: a message built while the
        # screen draws (a CellProblem from a render) or runs a handler (set_source) would
        # otherwise name the screen, and Textual stops bubbling at the sender's level.
        self.set_sender(grid)

    @property
    def control(self) -> ModelGrid:
        return self.grid


class Highlighted(GridMessage, namespace=NAMESPACE):
    """The cursor is on another row."""

    def __init__(self, grid: ModelGrid, model_id: str | None, row: int) -> None:
        super().__init__(grid)
        self.model_id = model_id
        self.row = row

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Highlighted) and message.grid is self.grid


class RangeChanged(GridMessage, namespace=NAMESPACE):
    """Rows `first`..`last` (0-based, inclusive) of `total` are on screen."""

    def __init__(self, grid: ModelGrid, first: int, last: int, total: int) -> None:
        super().__init__(grid)
        self.first = first
        self.last = last
        self.total = total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RangeChanged) and message.grid is self.grid


class Selected(GridMessage, namespace=NAMESPACE):
    """Enter (or a click on the highlighted row): open this model."""

    def __init__(self, grid: ModelGrid, model_id: str) -> None:
        super().__init__(grid)
        self.model_id = model_id


class SortRequested(GridMessage, namespace=NAMESPACE):
    """A click on a column header: the owner sorts by `column` (toggling if already)."""

    def __init__(self, grid: ModelGrid, column: str) -> None:
        super().__init__(grid)
        self.column = column


class CellProblem(GridMessage, namespace=NAMESPACE):
    """A value could not be shown (its cell shows `?`). Posted once per model and field."""

    def __init__(self, grid: ModelGrid, problem: Problem) -> None:
        super().__init__(grid)
        self.problem = problem
