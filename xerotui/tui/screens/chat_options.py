"""ChatOptionsScreen: the chat options panel — every option `xeroctl chat` has, checked
before anything is sent.

One line per option; an out-of-range or mistyped value gets its message under the field
(the same messages as the `--max-tokens`… flags: ``ChatOptions.parse``), and a system
prompt file that cannot be read is refused here, not when the question is sent. Saving
dismisses with the new ``ChatOptions``; the chat store applies them and remembers them for
the profile. Esc cancels.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from xerotui.api.chat_options import DEFAULT_MAX_TOKENS, ChatOptions, ChatOptionsError
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean, one_line

TEXT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("model", "Model", "informational: the endpoint decides"),
    ("system", "System prompt", "set context for the model"),
    ("system_file", "System prompt file", "a path; wins over the text"),
    ("max_tokens", "Max tokens", f"{DEFAULT_MAX_TOKENS} when empty"),
    ("temperature", "Temperature", "from 0.0 to 2.0"),
    ("top_p", "Top-p", "from 0.0 to 1.0"),
    ("frequency_penalty", "Frequency penalty", "from -2.0 to 2.0"),
    ("presence_penalty", "Presence penalty", "from -2.0 to 2.0"),
    ("seed", "Seed", "a whole number, for repeatable answers"),
)
FLAGS: tuple[tuple[str, str], ...] = (
    ("store", "Store the completion on the server"),
    ("show_usage", "Show usage (tokens, response id) after each answer"),
    ("stream", "Stream answers (off: one answer and its raw JSON)"),
)


class ChatOptionsScreen(SafeDispatch, ModalScreen[ChatOptions | None]):
    DEFAULT_CSS = """
    ChatOptionsScreen {
        align: center middle;
    }
    ChatOptionsScreen > #chat-options {
        width: 76;
        max-width: 95%;
        height: auto;
        max-height: 95%;
        background: $surface;
        border: round $primary;
        padding: 0 1;
    }
    ChatOptionsScreen #chat-options-title {
        text-style: bold;
        margin-bottom: 1;
    }
    ChatOptionsScreen #chat-options-fields {
        height: auto;
        max-height: 30;
    }
    ChatOptionsScreen .option-row {
        height: 1;
    }
    ChatOptionsScreen .option-row > Label {
        width: 20;
    }
    ChatOptionsScreen .option-row > Input {
        width: 1fr;
    }
    ChatOptionsScreen .option-error {
        color: $text-error;
        height: auto;
        padding-left: 20;
        display: none;
    }
    ChatOptionsScreen .option-error.-shown {
        display: block;
    }
    ChatOptionsScreen Checkbox {
        margin-top: 0;
    }
    ChatOptionsScreen #chat-options-buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    ChatOptionsScreen #chat-options-buttons Button {
        margin-left: 1;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="chat_options.cancel"),
        Binding("ctrl+s", "save", "Save", id="chat_options.save"),
    ]

    def __init__(self, options: ChatOptions) -> None:
        super().__init__()
        self.options = options

    def compose(self) -> ComposeResult:
        current = self.options
        with Vertical(id="chat-options"):
            title = f"Chat options · {one_line(current.endpoint, limit=60)}"
            yield Static(Text(title), id="chat-options-title")
            with VerticalScroll(id="chat-options-fields"):
                for name, label, hint in TEXT_FIELDS:
                    value = getattr(current, name)
                    with Horizontal(classes="option-row"):
                        yield Label(label)
                        yield Input(
                            self.shown(value),
                            placeholder=hint,
                            id=f"opt-{name}",
                            compact=True,
                        )
                    yield Static(id=f"err-{name}", classes="option-error")
                for name, label in FLAGS:
                    yield Checkbox(label, getattr(current, name), id=f"opt-{name}", compact=True)
                    yield Static(id=f"err-{name}", classes="option-error")
            with Horizontal(id="chat-options-buttons"):
                yield Button("Save (ctrl+s)", id="chat-options-save", variant="primary")
                yield Button("Cancel (esc)", id="chat-options-cancel")

    def on_mount(self) -> None:
        self.query_one("#opt-model", Input).focus()

    @staticmethod
    def shown(value: object) -> str:
        """How a value is put in its one-line field (control characters and newlines made
        visible, so a multi-line system prompt reads `⏎`)."""
        return "" if value is None else clean(str(value), newlines=False)

    def values(self) -> dict[str, Any]:
        """What the form holds, as typed (ChatOptions.parse reads text). A field left as it
        was shown keeps its value as it was — a multi-line system prompt is not replaced by
        its one-line rendering."""
        values: dict[str, Any] = {"endpoint": self.options.endpoint}
        for name, _, _ in TEXT_FIELDS:
            typed = self.query_one(f"#opt-{name}", Input).value
            before = getattr(self.options, name)
            values[name] = before if typed == self.shown(before) and before is not None else typed
        for name, _ in FLAGS:
            values[name] = self.query_one(f"#opt-{name}", Checkbox).value
        return values

    def show_problems(self, problems: dict[str, str]) -> None:
        first = True
        for name in [n for n, _, _ in TEXT_FIELDS] + [n for n, _ in FLAGS]:
            error = self.query_one(f"#err-{name}", Static)
            problem = problems.get(name)
            error.update(Text(clean(problem)) if problem else "")
            error.set_class(problem is not None, "-shown")
            if problem is not None and first:
                first = False
                self.query_one(f"#opt-{name}").focus()

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#chat-options-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#chat-options-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        try:
            options = ChatOptions.parse(self.values())
            options.system_prompt()  # a file that cannot be read is refused now
        except ChatOptionsError as exc:
            self.show_problems(exc.problems)
            return
        self.dismiss(options)

    def action_cancel(self) -> None:
        self.dismiss(None)
