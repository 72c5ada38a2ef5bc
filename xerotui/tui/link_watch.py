"""LinkWatch: what the header says about the connection, and the problem screen.

It follows every request of the session (through the request log) and decides when a
failure at start-up deserves the full connection-problem screen rather than a toast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from xerotui.api.errors import (
    AuthError,
    ConnectionFailedError,
    NotFoundError,
    PermissionDeniedError,
    RequestTimeoutError,
    ServerError,
    UnexpectedResponseError,
    XeroError,
)
from xerotui.api.requestlog import RequestRecord
from xerotui.tui.host import host
from xerotui.tui.link import LinkKind, LinkState

if TYPE_CHECKING:
    from textual.app import App

    from xerotui.tui.session import Session

# Failures that leave an empty dashboard at start-up get the problem screen with retry
# (a 404 or a non-JSON answer to the model list almost always means a wrong base URL).
CONNECTION_ERRORS = (
    ConnectionFailedError,
    RequestTimeoutError,
    AuthError,
    PermissionDeniedError,
    ServerError,
    NotFoundError,
    UnexpectedResponseError,
)


def trouble(error: XeroError) -> str:
    """The header's word for a failure."""
    if isinstance(error, AuthError | PermissionDeniedError):
        return "key refused"
    if isinstance(error, ServerError):
        return "server error"
    if isinstance(error, NotFoundError | UnexpectedResponseError):
        return "wrong base URL?"
    return "unreachable"


class LinkWatch:
    """Decides the header's connection state; `show` puts it on screen."""

    def __init__(self, app: App[Any], show: Callable[[LinkState], None]) -> None:
        self.app = app
        self._show_state = show
        self.state = LinkState()

    def show(self, state: LinkState) -> None:
        self.state = replace(state, busy=self.state.busy)
        self._show_state(self.state)

    def busy(self, busy: bool) -> None:
        """The model list is being (re)loaded: the header says so while it lasts."""
        if busy != self.state.busy:
            self.state = replace(self.state, busy=busy)
            self._show_state(self.state)

    def _show(self, kind: LinkKind, detail: str) -> None:
        session = host(self.app).session
        if session is None:
            self.show(LinkState(kind, detail=detail))
        else:
            mode = session.client.mode
            self.show(LinkState(kind, session.profile, session.project, detail, mode))

    def announce(self, session: Session) -> None:
        self.show(
            LinkState(
                "connecting", session.profile, session.project, "connecting…", session.client.mode
            )
        )

    def on_request(self, record: RequestRecord) -> None:
        """Every request of the session: a failed model list turns the header red.
        Requests of another client (testing a profile before switching to it) say nothing
        about this connection."""
        session = host(self.app).session
        if session is None or not session.sent(record):
            return
        if record.held or record.cancelled:  # never sent, or given up: says nothing of the link
            return
        listing = record.endpoint_key == "models.list"
        if record.status is None:
            self._show("error", "unreachable")
        elif listing and record.status in (401, 403):
            self._show("error", "key refused")
        elif listing and record.status == 404:
            self._show("error", "wrong base URL?")
        elif listing and record.status >= 500:
            self._show("error", "server error")
        else:
            self._show("connected", "connected")

    def problem(self, error: XeroError, retry: Callable[[], object]) -> None:
        """A start-up failure: the problem screen with the reason and retry (or a toast)."""
        from xerotui.tui.errors import report
        from xerotui.tui.screens.connection_problem import ConnectionProblemScreen

        app = self.app
        session = host(app).session
        if not isinstance(error, CONNECTION_ERRORS):
            report(app, error, doing="Loading models")
            return
        self._show("error", trouble(error))
        if isinstance(app.screen, ConnectionProblemScreen):
            app.screen.update_error(error)
            return

        async def chosen(choice: str | None) -> None:
            if choice == "retry":
                retry()
            elif choice == "connection":
                await app.run_action("app.goto('connection')")

        app.push_screen(ConnectionProblemScreen(error, session), chosen)
