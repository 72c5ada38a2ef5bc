"""The safety net: an exception in any handler or key action becomes the error modal, and the
app — and the screen or widget it happened in — keep running (design.md section 9).

Textual ends a widget's message loop after an unhandled exception (and the app's loop ends
the app), so errors are caught where messages and actions are dispatched instead: every
screen, modal and widget of xerotui mixes in SafeDispatch. No public Textual API offers
this, so these are private hooks, each guarded by a test (Textual is pinned exactly):
- `MessagePump._dispatch_message` — tests/tui/test_tui_safety.py (screens),
  tests/tui/test_widget_safety.py (every widget class);
- `App._dispatch_action` — test_tui_safety.py::test_an_exception_in_a_key_handler_...;
- `App._handle_exception` — test_tui_safety.py (idle callbacks, timers) and
  tests/test_cli_main.py (an error while starting ends the app with a message and code 1);
- `textual._context.active_message_pump` — the same tests.

Until the app is mounted (`safety_net` is False) nothing is caught: an error while starting
ends the start-up — never a half-started app — and `xerotui` prints a clear message and
exits with code 1.
"""

from __future__ import annotations

import traceback
from typing import Any, cast

from textual._context import active_message_pump
from textual.app import App
from textual.dom import DOMNode
from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState


def _armed(node: MessagePump) -> bool:
    return bool(getattr(node.app, "safety_net", False))


class SafeDispatch(MessagePump):
    """For the app, every screen and every widget of xerotui: a failing handler shows the
    error modal and the loop goes on; an error that escaped a worker of this node is
    reported (worker state changes do not bubble, so each node that runs workers needs
    this)."""

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)
        except Exception as error:
            if not _armed(self):
                raise
            cast("SafeApp", self.app).show_unexpected_error(error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is WorkerState.ERROR and worker.error is not None:
            from xerotui.tui.errors import report

            report(self, worker.error, doing=worker.description)


class SafeApp(SafeDispatch, App[None]):
    """The app's share of the net: key actions, last-resort errors, the error modal."""

    def __init__(self) -> None:
        super().__init__()
        self.unexpected_errors: list[BaseException] = []
        self.safety_net = False
        """Armed once the app is mounted (errors while starting end it, as they should)."""
        self.startup_error: BaseException | None = None
        """What ended the start-up, for the command line to report."""

    def show_unexpected_error(self, error: BaseException, *, doing: str = "") -> None:
        """A bug: record it and show the error modal (one at a time)."""
        from xerotui.tui.screens.error_screen import ErrorScreen

        self.unexpected_errors.append(error)
        if isinstance(self.screen, ErrorScreen):
            return
        text = "".join(traceback.format_exception(error))
        self.push_screen(ErrorScreen(error, text, doing=doing))

    def _handle_exception(self, error: Exception) -> None:
        """The last resort, for errors outside message and action dispatch (idle callbacks,
        timers): that widget's loop stops, but the app keeps running and shows the error.
        Before the net is armed, or for a failure of the app's own loop, the app ends."""
        pump = active_message_pump.get(None)
        if self.safety_net and self.is_running and pump is not None and pump is not self:
            self.show_unexpected_error(error)
            return
        if not self.safety_net and self.startup_error is None:
            self.startup_error = error
        super()._handle_exception(error)

    async def _dispatch_action(self, namespace: DOMNode, action_name: str, params: Any) -> bool:
        """Key-bound actions run in the app's own loop: a failing one must not end the app."""
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except Exception as error:
            if not self.safety_net:
                raise
            self.show_unexpected_error(error)
            return True
