"""An unexpected error (a bug): what happened, the traceback to report, and carry on."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean


class ErrorScreen(SafeDispatch, ModalScreen[None]):
    DEFAULT_CSS = """
    ErrorScreen {
        align: center middle;
    }
    ErrorScreen #error-modal {
        width: 84;
        max-width: 95%;
        height: auto;
        max-height: 95%;
    }
    ErrorScreen #error-trace {
        height: 16;
        border: round $error 50%;
    }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="error.close"),
        Binding("c", "copy", "Copy traceback", id="error.copy"),
    ]

    def __init__(self, error: BaseException, trace: str, *, doing: str = "") -> None:
        super().__init__()
        self.error = error
        self.trace = trace
        self.doing = doing

    def compose(self) -> ComposeResult:
        with Vertical(id="error-modal", classes="dialog"):
            yield Static(Text("Unexpected error", style="bold red"))
            what = f"While {self.doing.lower()}: " if self.doing else ""
            yield Static(Text(clean(f"{what}{type(self.error).__name__}: {self.error}"[:2000])))
            yield Static(
                Text(
                    "This is a bug in xerotui. Nothing was lost and you can keep working. "
                    "c copies the traceback for a bug report; esc closes.",
                    style="dim",
                )
            )
            with VerticalScroll(id="error-trace"):
                yield Static(Text(clean(self.trace[-20_000:]), style="dim"))

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.trace)
        self.notify("Traceback copied to the clipboard.", title="Copied")
