"""ChatInput: the chat prompt — a line editor like `xeroctl chat --interactive`'s.

Enter sends; ctrl+j inserts a newline (it reaches the app inside tmux, where shift+enter
usually does not; shift+enter and alt+enter work where the terminal reports them). Tab
completes slash commands and file paths (and, with nothing to complete, moves to the
messages). Up on the first line and Down on the last walk the input history. The readline
keys come from TextArea: ctrl+a / ctrl+e line start and end, ctrl+u / ctrl+k delete before
and after the cursor, ctrl+w the previous word. ctrl+d on an empty prompt ends the chat
(EOF), otherwise deletes the character under the cursor, as in readline.

Presentational: it posts messages (:class:`Submitted`, :class:`Candidates`, ...) and the
pane decides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

from xerotui.api.chat_input import InputHistory
from xerotui.tui.safety import SafeDispatch

Completer = Callable[[str], list[str]]
NEWLINE_KEYS = ("ctrl+j", "shift+enter", "alt+enter")


class ChatInput(SafeDispatch, TextArea):
    DEFAULT_CSS = """
    ChatInput {
        height: auto;
        min-height: 3;
        max-height: 10;
        border: tall $accent 30%;
        padding: 0 1;
    }
    ChatInput:focus {
        border: tall $accent;
    }
    """

    BINDINGS = [
        Binding("enter", "send", "Send", id="chat.send"),
        Binding("ctrl+j,shift+enter,alt+enter", "newline", "Newline", id="chat.newline"),
        Binding("tab", "complete", "Complete", id="chat.complete", show=False),
        Binding("up", "history(-1)", "Previous input", id="chat.history_up", show=False),
        Binding("down", "history(1)", "Next input", id="chat.history_down", show=False),
        Binding("ctrl+d", "end", "End chat", id="chat.end", show=False),
    ]

    @dataclass
    class Submitted(Message):
        """Enter: the text to send or run."""

        text: str

    @dataclass
    class Candidates(Message):
        """Tab found several completions (shown by the pane)."""

        candidates: list[str]

    class Leave(Message):
        """Tab with nothing to complete: to the messages."""

    class End(Message):
        """ctrl+d on an empty prompt: end the chat."""

    def __init__(
        self,
        *,
        history: Callable[[], InputHistory | None],
        completer: Completer,
        id: str | None = None,
    ) -> None:
        super().__init__(
            id=id,
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            highlight_cursor_line=False,
            placeholder="Ask something · /help",
        )
        self._history = history
        self._completer = completer
        self._set_by_us: str | None = None
        self._cycle: list[str] = []
        self._cycle_index = 0

    async def on_key(self, event: events.Key) -> None:
        """Enter and the newline keys act here, in the order keys arrive: as bindings they
        would run only once the key has bubbled up to the app, after the keys typed right
        behind it (a burst, a fast typist) have already been inserted. (A handler of this
        subclass runs before TextArea's own; prevent_default keeps TextArea's from running.)"""
        if event.key == "enter":
            event.stop()
            event.prevent_default()  # TextArea would insert a newline
            self.action_send()
        elif event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.action_newline()

    def set_text(self, text: str, *, cycling: bool = False) -> None:
        """Replace the prompt's text, the cursor at its end (``cycling``: Tab's next
        candidate; anything else ends the cycle)."""
        if not cycling:
            self._cycle = []
        self._set_by_us = text
        self.text = text
        self.move_cursor(self.document.end)

    def on_text_area_changed(self) -> None:
        """Typing (not a recalled or completed line) ends the history walk and the cycle."""
        if self.text == self._set_by_us:
            return
        self._set_by_us = None
        self._cycle = []
        history = self._history()
        if history is not None:
            history.reset()

    # ------------------------------------------------------------------ actions

    def action_send(self) -> None:
        """Hand the text over and empty the prompt at once (the pane puts the text back if
        it cannot be used), so what is typed next starts a new line."""
        text = self.text
        self.set_text("")
        self.post_message(self.Submitted(text))

    def action_newline(self) -> None:
        self.insert("\n")

    def action_end(self) -> None:
        if self.text:
            self.action_delete_right()
        else:
            self.post_message(self.End())

    def action_history(self, step: int) -> None:
        row, _ = self.cursor_location
        history = self._history()
        at_edge = row == 0 if step < 0 else row == self.document.line_count - 1
        if history is None or not at_edge:
            if step < 0:
                self.action_cursor_up()
            else:
                self.action_cursor_down()
            return
        recalled = history.previous(self.text) if step < 0 else history.next()
        if recalled is not None:
            self.set_text(recalled)

    def action_complete(self) -> None:
        if self._cycle:  # Tab again: the next of the candidates shown
            self._cycle_index = (self._cycle_index + 1) % len(self._cycle)
            self.set_text(self._cycle[self._cycle_index], cycling=True)
            return
        text = self.text
        if not text.startswith("/"):
            self.post_message(self.Leave())
            return
        candidates = self._completer(text)
        if not candidates:
            self.app.bell()
            return
        if len(candidates) == 1:
            self.set_text(candidates[0])
            return
        common = _common_prefix(candidates)
        if len(common) > len(text):
            self.set_text(common)
        else:
            self.set_text(candidates[0])
            self._cycle, self._cycle_index = candidates, 0
        self.post_message(self.Candidates(candidates))


def _common_prefix(lines: list[str]) -> str:
    """The text every candidate starts with (character by character, not by path)."""
    first, last = min(lines), max(lines)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]
