"""BulkResultScreen: an action over several models — progress while it runs, then one line
per model as xeroctl prints it (`[OK]` / `[FAIL] reason` / `[UNKNOWN]`) and the summary.

Presentational: ModelActions runs the work and feeds `progress()` / `finish()`. Closing it
while the run goes on does not stop the run (a toast brings the summary); `s` stops starting
new ones (those in flight finish).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from xerotui.api.bulk import BulkProgress, BulkReport, BulkResult, BulkStatus
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import one_line

STYLES = {
    BulkStatus.OK: "green",
    BulkStatus.FAIL: "bold red",
    BulkStatus.UNKNOWN: "bold yellow",
    BulkStatus.SKIPPED: "dim",
}


def result_line(result: BulkResult[object], name: str) -> Text:
    line = Text(f"[{result.status}] ", style=STYLES[result.status])
    line.append(result.model_id)
    if name:
        line.append(f"  {one_line(name, limit=40)}", style="dim")
    if result.status is not BulkStatus.OK:
        line.append(f": {one_line(result.reason, limit=300)}")
    return line


class BulkResultScreen(SafeDispatch, ModalScreen[None]):
    DEFAULT_CSS = """
    BulkResultScreen {
        align: center middle;
    }
    BulkResultScreen #bulk {
        width: 100;
        max-width: 100%;
        height: auto;
        max-height: 90%;
    }
    BulkResultScreen #bulk-title {
        text-style: bold;
        margin-bottom: 1;
    }
    BulkResultScreen #bulk-lines {
        height: auto;
        max-height: 24;
        margin: 1 0;
    }
    BulkResultScreen #bulk-summary {
        text-style: bold;
    }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="bulk.close"),
        Binding("enter", "dismiss", "Close", id="bulk.enter", show=False),
        Binding("s", "stop", "Stop", id="bulk.stop"),
    ]

    def __init__(self, title: str, names: dict[str, str], *, verb: str, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.names = names
        self.verb = verb
        self.hint = hint
        self.done = False
        self.on_stop: Callable[[], None] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk", classes="dialog"):
            yield Static(Text(self.title_text), id="bulk-title")
            yield ProgressBar(total=len(self.names), show_eta=False, id="bulk-progress")
            yield VerticalScroll(id="bulk-lines")
            yield Static(id="bulk-summary")
            yield Static(Text(self.hint, style="dim"), id="bulk-hint")

    def progress(self, step: BulkProgress[object]) -> None:
        self.query_one(ProgressBar).update(total=step.total, progress=step.finished)
        if step.result is not None:
            name = self.names.get(step.result.model_id, "")
            lines = self.query_one("#bulk-lines", VerticalScroll)
            lines.mount(Static(result_line(step.result, name)))
            lines.scroll_end(animate=False)
        if not self.done:
            running = ", ".join(self.names.get(m, m) for m in step.running[:3])
            text = f"{step.finished} of {step.total} done" + (
                f" · now: {running}" if running else ""
            )
            self.query_one("#bulk-summary", Static).update(Text(one_line(text), style="yellow"))

    def finish(self, report: BulkReport[object]) -> None:
        self.done = True
        self.refresh_bindings()
        lines = self.query_one("#bulk-lines", VerticalScroll)
        lines.remove_children()  # again in the order asked (they arrived as they finished)
        lines.mount_all(
            Static(result_line(result, self.names.get(result.model_id, "")))
            for result in report.results
        )
        failed = report.count(BulkStatus.FAIL) + report.count(BulkStatus.UNKNOWN)
        style = "bold red" if failed else "bold green"
        summary = self.query_one("#bulk-summary", Static)
        summary.update(Text(report.summary(self.verb), style=style))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return not self.done
        return True

    def action_stop(self) -> None:
        if self.on_stop is not None:
            self.on_stop()
        self.query_one("#bulk-summary", Static).update(
            Text("Stopping: the ones in flight finish, no more start.", style="yellow")
        )
