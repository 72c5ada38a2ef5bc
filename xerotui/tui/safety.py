"""The safety net: an exception in any handler or key action becomes the error modal, and the
app — and the screen it happened on — keep running (design.md section 9).

Textual ends a widget's message loop after an unhandled exception (and the app's loop ends
the app), so errors are caught where messages and actions are dispatched instead. These are
private Textual hooks; Textual is pinned exactly, and tests/tui/test_tui_safety.py checks the
behaviour on every upgrade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from xerotui.tui.app import XeroApp


def report_unexpected(node: MessagePump, error: Exception) -> None:
    app = cast("XeroApp", node.app)
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


def safe_action_result(node: Any, error: Exception) -> bool:
    """For `App._dispatch_action`: report and count the action as handled."""
    report_unexpected(node, error)
    return True
