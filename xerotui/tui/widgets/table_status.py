"""The line under the model table: rows x-y of N, filter, sort, marks, and the load's progress.

It is redrawn on every scroll of the table, so it costs one line and no layout pass: the
rows text is a fixed-width Static updated with `layout=False`; the progress bar and the hint
(auto width) change, with a layout, only when the load starts or ends. The bar (three
widgets) is mounted only while a load runs: hidden, it still took part in every round of
messages, and with no total yet its animation refreshed 15 times a second.
"""

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
    """1-based number of the first row on screen (0: none)."""
    last: int
    matching: int
    """Rows in the table (the models matching the filter)."""
    total: int
    """Models loaded."""
    query: str = ""
    sort_label: str = ""
    descending: bool = True
    marked: int = 0
    loaded: int | None = None
    """While pages are still arriving: how many models have arrived of `expected`."""
    expected: int | None = None


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
    TableStatus ProgressBar {
        width: 28;
        padding: 0 1;
    }
    TableStatus ProgressBar Bar {
        width: 16;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: TableInfo | None = None
        self._bar: ProgressBar | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="rows")
        yield Static(id="hint")

    def show(self, info: TableInfo) -> None:
        """Draw ``info``; the same again draws nothing (a scroll reports it twice: the
        scroll's watch and the grid's RangeChanged)."""
        if info == self._shown:
            return
        previous, self._shown = self._shown, info
        rows = Text()
        if info.matching:
            rows.append(f"rows {info.first:,}-{info.last:,} of {info.matching:,}", style="bold")
        else:
            rows.append("no rows", style="bold")
        if info.query:
            rows.append(f" matching “{one_line(info.query, limit=60)}”", style="yellow")
            rows.append(f" ({info.total:,} in all)", style="dim")
        rows.append(f" · sort {info.sort_label} {'▼' if info.descending else '▲'}", style="dim")
        if info.marked:
            rows.append(f" · {info.marked:,} marked", style="bold magenta")
        self.query_one("#rows", Static).update(rows, layout=False)
        hint = _hint(info)
        if hint != (_hint(previous) if previous else ""):  # a load started, moved on or ended
            self._show_bar(info if hint else None)
            self.query_one("#hint", Static).update(Text(hint, style="yellow"))

    def _show_bar(self, info: TableInfo | None) -> None:
        """The load's bar at `info`'s progress; None: no load, no bar."""
        if info is None:
            if self._bar is not None:
                self._bar.remove()
                self._bar = None
            return
        if self._bar is None:  # no id: the last load's bar may not be removed yet
            self._bar = ProgressBar(show_eta=False, show_percentage=True)
            self.mount(self._bar, before="#hint")
        self._bar.update(total=info.expected, progress=info.loaded or 0)


def _hint(info: TableInfo) -> str:
    """``loading N/M`` while pages are still arriving, else nothing."""
    if info.loaded is None or info.expected is None:
        return ""
    return f"loading {info.loaded:,}/{info.expected:,}"
