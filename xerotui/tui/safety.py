"""The safety net: an exception in any handler or key action becomes the error modal, and the
app — and the screen it happened on — keep running (design.md section 9).

Textual ends a widget's message loop after an unhandled exception (and the app's loop ends
the app), so errors are caught where messages and actions are dispatched instead. These are
private Textual hooks; Textual is pinned exactly, and tests/tui/test_tui_safety.py checks the
behaviour on every upgrade.
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


def report_unexpected(node: MessagePump, error: Exception) -> None:
    app = cast("SafeApp", node.app)
    app.show_unexpected_error(error)


class SafeDispatch(MessagePump):
    """For the app and every screen: a failing handler shows the error modal and the loop
    goes on; an error that escaped a worker of this node is reported (worker state changes
    do not bubble, so each node that runs workers needs this)."""

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)
        except Exception as error:
            report_unexpected(self, error)

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
        Only a failure of the app's own loop ends the app."""
        pump = active_message_pump.get(None)
        if self.safety_net and self.is_running and pump is not None and pump is not self:
            self.show_unexpected_error(error)
            return
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
