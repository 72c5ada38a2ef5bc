"""report(): the one path from an exception to the user — a toast or, if unexpected, a modal."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.message_pump import MessagePump

from xerotui.api.errors import NotImplementedByServerError, XeroError
from xerotui.config.errors import ConfigError, KeychainError

if TYPE_CHECKING:
    from xerotui.tui.app import XeroApp


def report(node: MessagePump, error: BaseException, *, doing: str = "") -> None:
    """Tell the user about `error`. Never raises; the app keeps running.

    Known failures (API errors, config problems) become a toast with the title, the
    server's message, and code / HTTP status / request id. Anything else is a bug: it opens
    the error modal with the traceback so it can be reported.
    """
    prefix = f"{doing}: " if doing else ""
    app = node.app
    if isinstance(error, NotImplementedByServerError):
        app.notify(f"{prefix}{error.message}", title=error.title, severity="information")
    elif isinstance(error, XeroError):
        lines = [f"{prefix}{error.message}"]
        if error.param:
            lines.append(f"field: {error.param}")
        if error.detail:
            lines.append(error.detail)
        app.notify("\n".join(lines), title=error.title, severity="error", timeout=10)
    elif isinstance(error, ConfigError | KeychainError):
        app.notify(f"{prefix}{error}", title="Configuration problem", severity="error", timeout=12)
    else:
        cast("XeroApp", app).show_unexpected_error(error, doing=doing)
