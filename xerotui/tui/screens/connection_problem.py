"""The server cannot be reached or refuses the key: the reason, and retry — never a traceback."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from xerotui.api.errors import (
    AuthError,
    NotFoundError,
    PermissionDeniedError,
    ServerError,
    UnexpectedResponseError,
    XeroError,
)
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean, one_line
from xerotui.tui.session import Session
from xerotui.tui.widgets.field_list import FieldList
from xerotui.tui.widgets.footer import XeroFooter


def advice(error: XeroError) -> str:
    if isinstance(error, AuthError):
        return (
            "The server does not accept this API key. Check the key of this profile "
            "(g b shows it masked), or pass --api-key / set XEROTIER_API_KEY."
        )
    if isinstance(error, PermissionDeniedError):
        return (
            "The key is valid but belongs to another project, or is revoked. Keys look like "
            "xero_<project>_<secret>; the project in the base URL must match."
        )
    if isinstance(error, NotFoundError | UnexpectedResponseError):
        return (
            "Something answered, but not like the Xerotier API: the base URL is probably "
            "wrong. It looks like https://api.xerotier.ai/<project>/v1 (g b shows it)."
        )
    if isinstance(error, ServerError):
        return (
            "The server answered, but with an error, even after xerotui retried. It may be "
            "restarting or overloaded; retry in a moment. The request id helps support."
        )
    return (
        "Is the server running and the base URL right? Check your network, VPN or proxy, "
        "then retry. xerotui --demo runs against a local sandbox instead."
    )


class ConnectionProblemScreen(SafeDispatch, ModalScreen[str]):
    """Dismisses with "retry", "connection" or "quit"."""

    DEFAULT_CSS = """
    ConnectionProblemScreen {
        align: center middle;
    }
    ConnectionProblemScreen #problem {
        width: 84;
        max-width: 95%;
        height: auto;
        max-height: 95%;
    }
    ConnectionProblemScreen #problem-title {
        margin-bottom: 1;
    }
    ConnectionProblemScreen #problem-advice {
        margin-top: 1;
    }
    """
    BINDINGS = [
        Binding("r", "choose('retry')", "Retry", id="problem.retry"),
        Binding("b", "choose('connection')", "Connection & profiles", id="problem.connection"),
        Binding("q", "app.quit", "Quit", id="problem.quit"),
    ]

    def __init__(self, error: XeroError, session: Session | None) -> None:
        super().__init__()
        self.error = error
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(id="problem", classes="dialog"):
            yield Static(id="problem-title")
            yield Static(id="problem-message")
            yield FieldList(id="problem-facts")
            yield Static(id="problem-advice")
        yield XeroFooter()

    def on_mount(self) -> None:
        self.update_error(self.error)

    def update_error(self, error: XeroError) -> None:
        self.error = error
        self.query_one("#problem-title", Static).update(Text(error.title, style="bold red"))
        self.query_one("#problem-message", Static).update(Text(clean(error.message[:2000])))
        session = self.session
        self.query_one("#problem-facts", FieldList).show(
            [
                ("Base URL", one_line(session.base_url) if session else "-"),
                ("Profile", one_line(f"{session.profile} ({session.origin})") if session else "-"),
                ("API key", session.masked_key if session else "-"),
                ("Error code", one_line(error.code)),
                ("HTTP status", str(error.status) if error.status else "no response"),
                ("Request id", one_line(error.request_id)),
            ]
        )
        self.query_one("#problem-advice", Static).update(Text(advice(error), style="italic"))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
