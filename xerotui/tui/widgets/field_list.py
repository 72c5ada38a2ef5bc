"""FieldList: label/value rows, like the `xeroctl models <ID>` detail view."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from xerotui.tui.safety import SafeDispatch

Row = tuple[str, RenderableType]


class FieldList(SafeDispatch, Static):
    """Presentational: shows rows it is given. Plain-string values are shown as they are,
    never read as markup (they are often server text: pass them through sanitize first)."""

    DEFAULT_CSS = """
    FieldList {
        height: auto;
    }
    """

    def show(self, rows: Sequence[Row], *, label_width: int = 16) -> None:
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(style="dim", width=label_width, no_wrap=True)
        table.add_column(ratio=1)
        for label, value in rows:
            table.add_row(label, Text(value) if isinstance(value, str) else value)
        self.update(table)
