"""The host apps of bench_grid.py: each shows one model table and a status line at 120x40.

- :class:`TableHost`: the old ``ModelTable`` (DataTable) driven as the old models screen
  drove it (pages of 100 rows, ``]`` for the next one);
- :class:`GridHost`: ``ModelGrid`` (Line API), one scrollable view of every matching model;
- :class:`FastHost`: ``textual_fastdatatable.DataTable`` over an Arrow table of cells
  formatted once up front (its best case); a filter mounts a new table, as its ``clear()``
  says to.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from baseline_table import ModelTable, PageView
from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from xerotui.api.inventory import ModelInventory
from xerotui.api.schema import Model
from xerotui.tui.widgets.grid_layout import COLUMNS
from xerotui.tui.widgets.grid_rows import CELLS
from xerotui.tui.widgets.model_grid import ModelGrid

PAGE = 100


class Host(App[None]):
    """The widget under test and a status line; `state()` is what a frame must show."""

    CSS = "#status { height: 1; }"

    def __init__(self, inventory: ModelInventory) -> None:
        super().__init__()
        self.inventory = inventory
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield self.body()
        yield Static(id="status")

    def body(self) -> Widget:
        raise NotImplementedError

    def state(self) -> Hashable:
        raise NotImplementedError

    async def filter(self, query: str) -> None:
        raise NotImplementedError

    def status(self, text: str) -> None:
        self.query_one("#status", Static).update(text, layout=False)  # one line, fixed


class TableHost(Host):
    """ModelTable as ModelsScreen drives it (render_page with PageView; `]` next page)."""

    BINDINGS = [("right_square_bracket", "next_page")]

    def __init__(self, inventory: ModelInventory) -> None:
        super().__init__(inventory)
        self.view = inventory.view()
        self.page = 0

    def body(self) -> Widget:
        return ModelTable(id="models")

    @property
    def table(self) -> ModelTable:
        return self.query_one(ModelTable)

    def on_mount(self) -> None:
        self.show()
        self.table.focus()

    def show(self) -> None:
        rows = self.view[self.page * PAGE : (self.page + 1) * PAGE]
        width = self.size.width
        name_width = ModelTable.name_width_for(width, rows, show_id=width >= 100, full_ids=False)
        self.table.show_page(PageView(models=rows, show_id=width >= 100, name_width=name_width))
        if rows:
            self.table.move_cursor(row=0, animate=False)
        first = self.page * PAGE
        self.status(f"rows {first + 1:,}-{first + len(rows):,} of {len(self.view):,}")

    def action_next_page(self) -> None:
        self.page = min(self.page + 1, max(0, (len(self.view) - 1) // PAGE))
        self.show()

    async def filter(self, query: str) -> None:
        self.query_text = query
        self.view = self.inventory.view(query)
        self.page = 0
        self.show()

    def state(self) -> Hashable:
        table = self.table
        return (self.query_text, self.page, table.cursor_row, round(table.scroll_y))


class GridHost(Host):
    def body(self) -> Widget:
        return ModelGrid(id="models", spinner_seconds=None)

    @property
    def grid(self) -> ModelGrid:
        return self.query_one(ModelGrid)

    def on_mount(self) -> None:
        self.grid.set_source(self.inventory.view())
        self.grid.focus()

    def on_model_grid_range_changed(self, event: ModelGrid.RangeChanged) -> None:
        if event.total:
            self.status(f"rows {event.first + 1:,}-{event.last + 1:,} of {event.total:,}")
        else:
            self.status("no rows")

    async def filter(self, query: str) -> None:
        self.query_text = query
        self.grid.set_source(self.inventory.view(query), keep=self.grid.highlighted_id)

    def state(self) -> Hashable:
        grid = self.grid
        return (self.query_text, grid.cursor_row, grid.scroll_offset.y)


LABELS = ["ID", *(c.label for c in COLUMNS if not c.wide and c.key != "id")]
KEYS = ["id", *(c.key for c in COLUMNS if not c.wide and c.key != "id")]


def cells(model: Model) -> tuple[str, ...]:
    return tuple(CELLS[key](model, None)[0][: 8 if key == "id" else None] for key in KEYS)


class FastHost(Host):
    """textual-fastdatatable over an Arrow table of pre-formatted cells."""

    def __init__(self, inventory: ModelInventory, formatted: dict[str, tuple[str, ...]]) -> None:
        super().__init__(inventory)
        self.formatted = formatted
        self.count = 0
        self.generation = 0
        self.table: Any = None

    def make(self, models: Sequence[Model]) -> Widget:
        import pyarrow as pa  # type: ignore[import-not-found]
        from textual_fastdatatable import ArrowBackend, DataTable  # type: ignore[import-not-found]

        rows = [self.formatted[m.id] for m in models]
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in LABELS]
        data = pa.table(
            {
                label: pa.array(column, pa.string())
                for label, column in zip(LABELS, columns, strict=True)
            }
        )
        self.count = len(models)
        table: Widget = DataTable(
            backend=ArrowBackend(data),
            cursor_type="row",
            zebra_stripes=True,
            show_row_labels=False,
            render_markup=False,
        )
        return table

    def body(self) -> Widget:
        table = self.make(self.inventory.view())
        self.table = table
        return table

    def on_mount(self) -> None:
        self.table.focus()
        self.status(f"{self.count:,} rows")

    async def filter(self, query: str) -> None:
        """Its clear() says: mount a new table. The new one goes in, then the old one out."""
        self.query_text = query
        old, table = self.table, self.make(self.inventory.view(query))
        await self.mount(table, before=self.query_one("#status"))
        await old.remove()
        self.table = table
        self.generation += 1
        table.focus()
        self.status(f"{self.count:,} rows")

    def state(self) -> Hashable:
        table = self.table
        return (self.query_text, self.generation, table.cursor_row, round(table.scroll_y))
