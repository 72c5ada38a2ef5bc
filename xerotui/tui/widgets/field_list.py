"""FieldList: label/value rows, like the `xeroctl models <ID>` detail view."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.table import Table
from textual.widgets import Static

Row = tuple[str, RenderableType]


class FieldList(Static):
    """Presentational: shows rows it is given."""

    def show(self, rows: Sequence[Row], *, label_width: int = 16) -> None:
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(style="dim", width=label_width, no_wrap=True)
        table.add_column(ratio=1)
        for label, value in rows:
            table.add_row(label, value)
        self.update(table)
