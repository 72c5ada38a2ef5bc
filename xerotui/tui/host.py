"""Host: the narrow, typed face of the app that screens, stores and modals see.

Screens never import `app.py` (design.md section 2): they reach the session, the stores,
settings, the request log and a few services through this Protocol. `XeroApp` implements it
(mypy checks that in app.py), and tests may host a screen in any app that does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.message_pump import MessagePump

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.signal import Signal
    from textual.worker import Worker

    from xerotui.api.errors import XeroError
    from xerotui.api.requestlog import RequestLog
    from xerotui.config.settings import Settings
    from xerotui.launcher import SandboxProcess
    from xerotui.tui.chat_store import ChatStore
    from xerotui.tui.jobs_store import JobsStore
    from xerotui.tui.model_actions import ModelActions
    from xerotui.tui.model_feed import ModelFeed
    from xerotui.tui.session import Session, SessionOpener


class Host(Protocol):
    """What a screen may use of the app."""

    @property
    def session(self) -> Session | None:
        """The live connection (None only before the first one: the first-run screen)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def request_log(self) -> RequestLog: ...

    @property
    def opener(self) -> SessionOpener:
        """Opens a session the way this run opens them (log, --dry-run / --read-only)."""

    @property
    def feed(self) -> ModelFeed:
        """The model list, its loads and the selection (highlighted model, marks)."""

    @property
    def chat(self) -> ChatStore:
        """The chat: sessions, the stream, the pane beside the screens."""

    @property
    def session_changed(self) -> Signal[Session]: ...

    @property
    def actions(self) -> ModelActions:
        """Every model action (edit, delete, share, ...) on the marked / highlighted models."""

    def save_settings(self, **changes: Any) -> None: ...

    def copy(self, text: str, *, what: str, preview: str | None = None) -> None:
        """Copy to the clipboard (OSC 52) and say in a toast what was copied."""

    def connect(self, session: Session) -> Worker[None]:
        """Switch to a new session (profile switch, first run)."""

    def open_detail(self, model_id: str) -> None: ...

    def open_on_models(self, screen: Screen[Any]) -> None:
        """Show `screen` in the models mode (over what is shown there)."""

    async def show_log(self, query: str = "") -> None:
        """The API log, filtered to `query`."""

    def chord_keys(self) -> dict[str, str]:
        """Chord name -> key, keymap overrides applied."""

    def adopt_sandbox(self, process: SandboxProcess) -> None:
        """Stop this sandbox child when the app exits (the first run started it)."""

    def show_problem(self, error: XeroError, retry: Callable[[], object]) -> None:
        """A failure that leaves the dashboard empty: the connection-problem screen."""

    def show_unexpected_error(self, error: BaseException, *, doing: str = "") -> None:
        """A bug: the error modal (the app keeps running)."""

    @property
    def jobs(self) -> JobsStore:
        """Revalidations under watch (one watcher per session), and the revalidate flows."""

    def open_versions(self, model_id: str) -> None:
        """The version timeline of a model, over the screen shown now."""


def host(node: MessagePump) -> Host:
    """The app of `node`, seen through the Host protocol."""
    return cast("Host", node.app)
