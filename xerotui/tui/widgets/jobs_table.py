"""JobsTable: one row per watch — model, started, elapsed, status, outcome. Presentational.

It is given watches and the watchers' clock time; it never polls. Rows are keyed by watch,
newest first; :meth:`JobsTable.tick` rewrites only the Elapsed cells of running watches
(once a second while the Jobs screen is shown), never the whole table.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from xerotui.api.watch_state import Outcome, Watch
from xerotui.tui.format import duration_text, status_text, time_text
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import one_line

NARROW = 100
"""Below this many columns Origin and Polls fold away (the history panel has them)."""
OUTCOMES: dict[Outcome, tuple[str, str]] = {
    Outcome.SUCCESS: ("✔ success", "green"),
    Outcome.FAILURE: ("✖ failure", "bold red"),
    Outcome.TIMEOUT: ("⏱ timeout", "yellow"),
    Outcome.GONE: ("✖ gone", "bold red"),
    Outcome.CANCELLED: ("■ cancelled", "dim"),
    Outcome.ENDED: ("■ ended", "dim"),
}


def outcome_text(watch: Watch) -> Text:
    """The outcome cell: how it ended, or `watching` (`retrying` while polls fail)."""
    if watch.outcome is None:
        if watch.problem:
            return Text(f"⚠ retrying ({watch.failures})", style="bold yellow")
        return Text("◌ watching", style="yellow")
    label, style = OUTCOMES[watch.outcome]
    return Text(label, style=style)


def row_key(watch: Watch) -> str:
    return f"watch-{id(watch):x}"


class JobsTable(SafeDispatch, DataTable[Text | str]):
    """Watches, newest first. Enter posts RowSelected (the screen opens the model)."""

    DEFAULT_CSS = """
    JobsTable {
        height: 1fr;
    }
    """
    BINDINGS = [
        Binding("enter", "select_cursor", "Open model", id="jobs.open"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.watches: dict[str, Watch] = {}
        """Row key -> watch, for the rows shown."""
        self._narrow: bool | None = None

    def show(self, watches: Sequence[Watch], now: float, *, narrow: bool) -> None:
        """Redraw with `watches` (any order; shown newest first), keeping the cursor."""
        keep = self.highlighted_key
        if narrow != self._narrow:
            self.clear(columns=True)
            self.add_column("#", key="n")
            self.add_column("Model", key="model")
            if not narrow:
                self.add_column("Origin", key="origin")
            self.add_column("Started", key="started")
            self.add_column("Elapsed", key="elapsed")
            self.add_column("Status", key="status")
            self.add_column("Outcome", key="outcome")
            if not narrow:
                self.add_column("Polls", key="polls")
            self._narrow = narrow
        else:
            self.clear()
        self.watches = {}
        for watch in sorted(watches, key=lambda w: (w.started_wall, w.number), reverse=True):
            key = row_key(watch)
            self.watches[key] = watch
            cells: list[Text | str] = [
                Text(str(watch.number), style="dim", justify="right"),
                Text(one_line(watch.label, limit=60), style="bold" if watch.reported else ""),
            ]
            if not narrow:
                cells.append(Text(one_line(watch.origin, limit=20), style="dim"))
            cells += [
                time_text(watch.started_wall),
                Text(duration_text(watch.elapsed(now)), justify="right"),
                status_text(watch.status),
                outcome_text(watch),
            ]
            if not narrow:
                cells.append(Text(str(watch.polls), justify="right"))
            self.add_row(*cells, key=key)
        if keep in self.watches:
            self.move_cursor(row=self.get_row_index(keep), animate=False)

    def tick(self, now: float) -> None:
        """Advance the Elapsed cells of running watches."""
        for key, watch in self.watches.items():
            if watch.running:
                self.update_cell(
                    key, "elapsed", Text(duration_text(watch.elapsed(now)), justify="right")
                )

    @property
    def highlighted_key(self) -> str | None:
        if not self.row_count:
            return None
        key, _ = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0))
        return key.value

    @property
    def highlighted(self) -> Watch | None:
        """The watch under the cursor."""
        key = self.highlighted_key
        return self.watches.get(key) if key is not None else None

    @property
    def running(self) -> bool:
        return any(w.running for w in self.watches.values())
