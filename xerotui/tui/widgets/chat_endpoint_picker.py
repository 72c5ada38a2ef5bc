"""ChatEndpointPicker: which endpoint to chat with — the slug is required, as in xeroctl.

Type a slug (checked as the chat options check it) or pick one of the candidates: the
endpoints this profile has chatted with, then those the server announced (the demo
sandbox's). Typing filters the list; Up/Down move in it; Enter opens the typed slug, or
the highlighted one when nothing is typed or Up/Down chose it. Posts :class:`Chosen`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from xerotui.api.chat_options import ChatOptions, ChatOptionsError
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import one_line

HINT = "enter opens · ↑↓ choose · the slug is the endpoint's name in its chat URL"


class ChatEndpointPicker(SafeDispatch, Vertical):
    DEFAULT_CSS = """
    ChatEndpointPicker {
        height: 1fr;
        padding: 1 1 0 1;
    }
    ChatEndpointPicker > #picker-title {
        text-style: bold;
        margin-bottom: 1;
    }
    ChatEndpointPicker > Input {
        margin-bottom: 0;
    }
    ChatEndpointPicker > #picker-error {
        color: $text-error;
        height: auto;
    }
    ChatEndpointPicker > OptionList {
        height: auto;
        max-height: 12;
        margin-top: 1;
    }
    ChatEndpointPicker > #picker-hint {
        color: $text-muted;
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding("down", "move(1)", "Next endpoint", id="chat.picker_next", show=False),
        Binding("up", "move(-1)", "Previous endpoint", id="chat.picker_previous", show=False),
    ]

    @dataclass
    class Chosen(Message):
        endpoint: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.candidates: list[str] = []
        self._navigated = False
        """Up/Down moved in the list since the last key typed: Enter takes that one."""

    def compose(self) -> ComposeResult:
        yield Static("Chat with which endpoint?", id="picker-title")
        yield Input(placeholder="endpoint slug, e.g. my-endpoint", id="picker-input")
        yield Static(id="picker-error")
        yield OptionList(id="picker-options")
        yield Static(Text(HINT), id="picker-hint")

    @property
    def input(self) -> Input:
        return self.query_one("#picker-input", Input)

    def show_candidates(self, candidates: list[str]) -> None:
        self.candidates = candidates
        self._filter(self.input.value)

    def focus_input(self) -> None:
        self.input.focus()

    def _filter(self, typed: str) -> None:
        options = self.query_one(OptionList)
        shown = [slug for slug in self.candidates if typed.strip() in slug]
        options.clear_options()
        options.add_options([Option(Text(one_line(slug)), id=slug) for slug in shown])
        options.display = bool(shown)
        if shown:
            options.highlighted = 0

    @on(Input.Changed, "#picker-input")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#picker-error", Static).update("")
        self._navigated = False
        self._filter(event.value)

    @on(Input.Submitted, "#picker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        options = self.query_one(OptionList)
        wanted = not typed or self._navigated
        if wanted and options.display and options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            typed = option.id or ""
        self.choose(typed)

    @on(OptionList.OptionSelected, "#picker-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option.id or "")

    def choose(self, typed: str) -> None:
        try:
            slug = ChatOptions.parse(endpoint=typed).endpoint
        except ChatOptionsError as exc:
            error = exc.problems.get("endpoint", str(exc))
            self.query_one("#picker-error", Static).update(Text(one_line(error, limit=300)))
            return
        self.post_message(self.Chosen(slug))

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.display and options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))
            self._navigated = True
