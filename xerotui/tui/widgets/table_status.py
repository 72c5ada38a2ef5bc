"""The line under the model table: rows x-y of N, more-results hint, filter, sort, marks, load."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import one_line


@dataclass(frozen=True)
class TableInfo:
    first: int
    last: int
    matching: int
    total: int
    page: int
    pages: int
    query: str = ""
    sort_label: str = ""
    descending: bool = True
    marked: int = 0
    loaded: int | None = None
    """While pages are still arriving: how many models have arrived of `total`."""


class TableStatus(SafeDispatch, Horizontal):
    """Presentational: draws a TableInfo."""

    DEFAULT_CSS = """
    TableStatus {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    TableStatus #rows {
        width: 1fr;
    }
    TableStatus #hint {
        width: auto;
    }
    TableStatus #load-progress {
        width: 28;
        padding: 0 1;
    }
    TableStatus #load-progress Bar {
        width: 16;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="rows")
        yield ProgressBar(id="load-progress", show_eta=False, show_percentage=True)
        yield Static(id="hint")

    def show(self, info: TableInfo) -> None:
        rows = Text()
        loading = info.loaded is not None and info.loaded < info.total
        if loading and not info.query:
            rows.append(f"rows {info.first:,}-{info.last:,} of {info.total:,}", style="bold")
        elif info.matching:
            rows.append(f"rows {info.first:,}-{info.last:,} of {info.matching:,}", style="bold")
        else:
            rows.append("no rows", style="bold")
        if info.query:
            rows.append(f" matching “{one_line(info.query, limit=60)}”", style="yellow")
            rows.append(f" ({info.total:,} in all)", style="dim")
        if info.pages > 1:
            rows.append(f" · page {info.page + 1}/{info.pages}", style="dim")
        rows.append(f" · sort {info.sort_label} {'▼' if info.descending else '▲'}", style="dim")
        if info.marked:
            rows.append(f" · {info.marked:,} marked", style="bold magenta")
        self.query_one("#rows", Static).update(rows)

        bar = self.query_one("#load-progress", ProgressBar)
        bar.display = loading
        if loading:
            bar.update(total=info.total, progress=info.loaded or 0)

        hint = Text()
        if loading:
            hint.append(f"loading {info.loaded:,}/{info.total:,}", style="yellow")
        elif info.last < info.matching:
            nxt = min(info.last + (info.last - info.first + 1), info.matching)
            hint.append(f"more results: ] for rows {info.last + 1:,}-{nxt:,}", style="italic")
        self.query_one("#hint", Static).update(hint)
