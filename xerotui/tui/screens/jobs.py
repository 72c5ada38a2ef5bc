"""Jobs (`g j`): every watch of this run — model, started, elapsed, status, history, outcome.

A mode of its own: the watches live in the app's jobs store and keep running while other
screens are shown, themes change or modals open; this screen only draws them. The table
lists them newest first; the panel below shows the highlighted one's status history (each
change with its time), its outcome in words and, while polls fail, why (the watch goes on).
`c` stops watching (the server's revalidation goes on), `enter` opens the model. Lines
about all the watches (a profile switch ended some) are shown above the table.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from xerotui.api.watch_state import Watch, WatchUpdate
from xerotui.tui.format import duration_text, status_text, time_text
from xerotui.tui.sanitize import one_line, safe
from xerotui.tui.screens.base import XeroScreen
from xerotui.tui.widgets.jobs_table import NARROW, JobsTable, outcome_text

TICK_SECONDS = 1.0
NOTICES_SHOWN = 3
EMPTY = "No revalidation started yet: r on a model (or g r) revalidates it and follows it here."


class JobsScreen(XeroScreen):
    """The watches of the jobs store, and the history of the highlighted one."""

    TITLE = "Jobs"
    MODE = "jobs"
    DEFAULT_CSS = """
    JobsScreen #jobs-summary {
        height: auto;
        padding: 0 1;
        margin: 1 0 0 0;
    }
    JobsScreen #jobs-history {
        height: auto;
        max-height: 45%;
    }
    """
    BINDINGS = [
        Binding("c", "cancel", "Stop watching", id="jobs.cancel"),
        Binding("r", "revalidate", "Revalidate again", id="jobs.revalidate"),
        Binding("q", "app.goto('models')", "Back to the models", id="jobs.q", show=False),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(id="jobs-summary")
        yield JobsTable(id="jobs-table")
        yield Static(id="jobs-history", classes="panel")

    @property
    def table(self) -> JobsTable:
        return self.query_one(JobsTable)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#jobs-history").border_title = "History"
        self.host.jobs.changed.subscribe(self, self._on_jobs)
        self.set_interval(TICK_SECONDS, self._tick, name="jobs-elapsed")
        self.set_focus(self.table)
        self.redraw()

    def on_screen_resume(self) -> None:
        self.redraw()

    def on_resize(self) -> None:
        self.redraw()

    def _on_jobs(self, update: WatchUpdate) -> None:
        if self.is_current:
            self.redraw()  # else on_screen_resume draws it: nothing is painted in between

    def _tick(self) -> None:
        """Elapsed times of running watches, once a second, only while shown."""
        if self.is_current and self.table.running:
            now = self.host.jobs.now()
            self.table.tick(now)
            self.show_history(self.table.highlighted, now)

    # ------------------------------------------------------------------ drawing

    def redraw(self) -> None:
        jobs = self.host.jobs
        now = jobs.now()
        watches = jobs.watches()
        self.table.show(watches, now, narrow=self.size.width < NARROW)
        self.show_summary(watches)
        self.show_history(self.table.highlighted, now)
        self.refresh_bindings()

    def show_summary(self, watches: list[Watch]) -> None:
        mine = [w for w in watches if w.reported]
        running = sum(w.running for w in mine)
        tracked = sum(w.running for w in watches if not w.reported)
        text = Text()
        if mine:
            text.append(f"{running} running", style="bold yellow" if running else "bold")
            text.append(f" · {len(mine) - running} finished")
        else:
            text.append(EMPTY, style="dim")
        if tracked:
            text.append(f" · {tracked} more in progress, followed since the list showed them")
        if watches:
            text.append(" · polled every 1-10 s, less often while nothing changes", style="dim")
        for notice in self.host.jobs.notices[-NOTICES_SHOWN:]:
            text.append(f"\n{time_text(notice.at)}  ", style="dim")
            text.append(one_line(notice.text, limit=300), style="yellow")
        self.query_one("#jobs-summary", Static).update(text)

    def show_history(self, watch: Watch | None, now: float) -> None:
        panel = self.query_one("#jobs-history", Static)
        if watch is None:
            panel.update(Text("-", style="dim"))
            return
        heading = Text.assemble(
            (one_line(watch.label, limit=80), "bold"),
            ("  " + one_line(watch.model_id, limit=60), "dim"),
            (f"  · {one_line(watch.origin, limit=30)} · timeout {watch.timeout:g} s", "dim"),
        )
        steps = Table.grid(padding=(0, 2))
        steps.add_column(no_wrap=True, style="dim")
        steps.add_column(no_wrap=True)
        steps.add_column(no_wrap=True, style="dim")
        previous = watch.started_wall
        for index, (at, status) in enumerate(watch.history):
            gap = "" if index == 0 else f"+{duration_text(at - previous)}"
            steps.add_row(time_text(at), status_text(status), gap)
            previous = at
        if not watch.history:
            steps.add_row(time_text(watch.started_wall), Text("(first poll pending)", "dim"), "")
        end = Text("  ")
        end.append_text(outcome_text(watch))
        took = duration_text(watch.elapsed(now))
        if watch.running:
            end.append(f" for {took} · {watch.polls} polls", style="dim")
        else:
            end.append(f" after {took}", style="dim")
            if watch.reason:
                end.append(" — ")
                end.append_text(safe(watch.reason, newlines=False))
        parts: list[Text | Table] = [heading, steps, end]
        if watch.problem:
            problem = Text(f"  ⚠ {watch.failures} failed poll(s) in a row, still watching: ")
            problem.stylize("bold yellow")
            problem.append_text(safe(watch.problem, newlines=False))
            parts.append(problem)
        panel.update(Group(*parts))

    # ------------------------------------------------------------------ events

    @on(DataTable.RowHighlighted, "#jobs-table")
    def _highlighted(self) -> None:
        self.show_history(self.table.highlighted, self.host.jobs.now())
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#jobs-table")
    def _selected(self) -> None:
        watch = self.table.highlighted
        if watch is None:
            return
        if self.session.inventory.get(watch.model_id) is None:
            self.notify(
                f"{one_line(watch.label, limit=60)} is not in the model list (deleted, or "
                "of another profile).",
                severity="warning",
                markup=False,
            )
            return
        self.host.open_detail(watch.model_id)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        watch = self.table.highlighted if self.is_mounted else None
        if action == "cancel":
            return True if watch is not None and watch.running else None
        if action == "revalidate":
            return True if watch is not None and not watch.running else None
        return True

    def action_cancel(self) -> None:
        watch = self.table.highlighted
        if watch is not None:
            self.host.jobs.cancel(watch)

    def action_revalidate(self) -> None:
        watch = self.table.highlighted
        if watch is not None and self.session.inventory.get(watch.model_id) is not None:
            self.host.jobs.revalidate.one(watch.model_id)
