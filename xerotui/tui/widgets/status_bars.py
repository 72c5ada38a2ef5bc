"""StatusBars: a horizontal bar per model status, coloured by meaning."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from xerotui.tui.format import status_kind

COLOURS = {"success": "green", "failure": "red", "progress": "yellow"}


class StatusBars(Static):
    """Presentational: counts by status -> bars scaled to the largest count."""

    def show(self, counts: dict[str, int], *, width: int = 28) -> None:
        if not counts:
            self.update(Text("no models yet", style="dim"))
            return
        peak = max(counts.values())
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        for status, count in counts.items():
            colour = COLOURS[status_kind(status)]
            cells = max(1, round(width * count / peak))
            table.add_row(Text(status, style=colour), Text("█" * cells, style=colour), f"{count:,}")
        self.update(table)
