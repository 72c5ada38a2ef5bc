"""report(): the one path from an exception to the user — a toast or, if unexpected, a modal."""

from __future__ import annotations

from textual.message_pump import MessagePump

from xerotui.api.errors import DryRun, NotImplementedByServerError, ReadOnlyError, XeroError
from xerotui.config.errors import ConfigError, KeychainError
from xerotui.tui.host import host
from xerotui.tui.sanitize import clean

MESSAGE_LIMIT = 600
"""Characters of a server's message shown in a toast (the API log has all of it)."""


def _toast_text(text: str) -> str:
    if len(text) > MESSAGE_LIMIT:
        text = text[: MESSAGE_LIMIT - 1] + "…"
    return clean(text)


def report(node: MessagePump, error: BaseException, *, doing: str = "") -> None:
    """Tell the user about `error`. Never raises; the app keeps running.

    Known failures (API errors, config problems) become a toast with the title, the
    server's message, and code / HTTP status / request id. A request held back by
    `--dry-run` opens its preview (method, URL, body, curl); one refused by `--read-only`
    says why and how to leave the mode. Anything else is a bug: it opens
    the error modal with the traceback so it can be reported. Server text is sanitised and
    never read as markup.
    """
    prefix = f"{doing}: " if doing else ""
    app = node.app
    if isinstance(error, DryRun):  # not a failure: what would have been sent
        from xerotui.tui.screens.request_preview import RequestPreviewScreen

        app.push_screen(RequestPreviewScreen(error.planned, doing=doing))
    elif isinstance(error, ReadOnlyError):
        app.notify(
            _toast_text(error.message),
            title=error.title,
            severity="warning",
            timeout=10,
            markup=False,
        )
    elif isinstance(error, NotImplementedByServerError):
        app.notify(
            _toast_text(f"{prefix}{error.message}"),
            title=error.title,
            severity="information",
            markup=False,
        )
    elif isinstance(error, XeroError):
        lines = [f"{prefix}{error.message}"]
        if error.param:
            lines.append(f"field: {error.param}")
        if error.detail:
            lines.append(error.detail)
        app.notify(
            _toast_text("\n".join(lines)),
            title=error.title,
            severity="error",
            timeout=10,
            markup=False,
        )
    elif isinstance(error, ConfigError | KeychainError):
        app.notify(
            _toast_text(f"{prefix}{error}"),
            title="Configuration problem",
            severity="error",
            timeout=12,
            markup=False,
        )
    else:
        host(node).show_unexpected_error(error, doing=doing)
