"""StatusBars: a horizontal bar per model status, coloured by meaning."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from xerotui.tui.format import status_kind
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import one_line

COLOURS = {"success": "green", "failure": "red", "progress": "yellow"}


class StatusBars(SafeDispatch, Static):
    """Presentational: counts by status -> bars scaled to the largest count. The counts are
    always shown; the bars take what room is left (at 80 columns, short bars)."""

    DEFAULT_CSS = """
    StatusBars {
        height: auto;
    }
    """

    def show(self, counts: dict[str, int], *, width: int = 28) -> None:
        if not counts:
            self.update(Text("no models yet", style="dim"))
            return
        peak = max(counts.values())
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True, overflow="ellipsis", max_width=16)
        table.add_column(justify="right", no_wrap=True)
        table.add_column(no_wrap=True, overflow="crop", ratio=1)
        for status, count in counts.items():
            colour = COLOURS[status_kind(status)]
            cells = max(1, round(width * count / peak))
            table.add_row(
                Text(one_line(status, "unknown"), style=colour),
                f"{count:,}",
                Text("█" * cells, style=colour),
            )
        self.update(table)
