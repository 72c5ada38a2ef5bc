"""A host app for the ModelGrid on its own, with models loaded from the sandbox over HTTP.

The grid is tested standalone (before it replaces ModelTable in the models screen): the host
holds a ModelInventory filled by `ModelInventory.load` through the real client, gives the
grid its view, and records every message the grid posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Static

from xerotui.api.inventory import ModelInventory
from xerotui.api.requestlog import RequestLog
from xerotui.api.schema import Model
from xerotui.launcher import SandboxInfo
from xerotui.tui.session import SessionOpener
from xerotui.tui.widgets.model_grid import ModelGrid


async def load_inventory(info: SandboxInfo) -> ModelInventory:
    """Every model of the sandbox's project, as the app loads them."""
    session = SessionOpener(RequestLog()).open(
        info.base_url, info.api_key, profile="t", origin="test"
    )
    inventory = ModelInventory()
    try:
        async for _ in inventory.load(session.client):
            pass
    finally:
        await session.client.aclose()
    return inventory


class GridHost(App[None]):
    """The grid and a status line ("rows x-y of N" from RangeChanged)."""

    CSS = "#status { height: 1; }"

    def __init__(
        self, models: Sequence[Model], *, grid_class: type[ModelGrid] = ModelGrid, **grid: Any
    ) -> None:
        super().__init__()
        self.models = models
        self.grid_class = grid_class
        self.grid_options = {"spinner_seconds": None, **grid}
        self.posted: list[Message] = []

    def compose(self) -> ComposeResult:
        yield self.grid_class(id="grid", **self.grid_options)
        yield Static(id="status")

    @property
    def grid(self) -> ModelGrid:
        return self.query_one(ModelGrid)

    def on_mount(self) -> None:
        self.grid.set_source(self.models)
        self.grid.focus()

    def on_model_grid_highlighted(self, event: ModelGrid.Highlighted) -> None:
        self.posted.append(event)

    def on_model_grid_selected(self, event: ModelGrid.Selected) -> None:
        self.posted.append(event)

    def on_model_grid_sort_requested(self, event: ModelGrid.SortRequested) -> None:
        self.posted.append(event)

    def on_model_grid_cell_problem(self, event: ModelGrid.CellProblem) -> None:
        self.posted.append(event)

    def on_model_grid_range_changed(self, event: ModelGrid.RangeChanged) -> None:
        self.posted.append(event)
        text = f"rows {event.first + 1}-{event.last + 1} of {event.total}" if event.total else ""
        self.query_one("#status", Static).update(text)

    def of(self, kind: type[Message]) -> list[Any]:
        return [m for m in self.posted if isinstance(m, kind)]


def lines(grid: ModelGrid) -> list[str]:
    """What the grid paints, line by line (right-stripped)."""
    width, height = grid.outer_size
    return [strip.text.rstrip() for strip in grid.render_lines(Region(0, 0, width, height))]


def strips(grid: ModelGrid) -> list[list[Segment]]:
    width, height = grid.outer_size
    return [list(strip) for strip in grid.render_lines(Region(0, 0, width, height))]


def line_of(grid: ModelGrid, row: int) -> int:
    """The screen line that shows `row` (the header is line 0)."""
    return row - grid.scroll_offset.y + 1
