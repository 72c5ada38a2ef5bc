"""ProfileForm: name, base URL and API key, checked for shape before anything is sent."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from xerotui.api.urls import SHAPE, split_base_url
from xerotui.config.profiles import XEROCTL_PREFIX
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean

URL_EXAMPLE = SHAPE


@dataclass
class ProfileValues:
    name: str
    base_url: str
    api_key: str


class ProfileForm(SafeDispatch, Vertical):
    """Presentational: validates shapes and posts Submitted; the screen tests and saves."""

    DEFAULT_CSS = """
    ProfileForm {
        height: auto;
    }
    ProfileForm Label {
        margin-top: 1;
    }
    ProfileForm Input.-invalid {
        border: tall $error;
    }
    ProfileForm #pf-actions {
        height: auto;
        margin-top: 1;
    }
    ProfileForm #pf-message {
        margin-top: 1;
        color: $text-muted;
    }
    ProfileForm #pf-message.-error {
        color: $error;
    }
    """

    class Submitted(Message):
        """The user asked to test and save these values (already shape-checked)."""

        def __init__(self, values: ProfileValues) -> None:
            super().__init__()
            self.values = values

    def __init__(self, *, name: str = "default", id: str | None = None) -> None:
        super().__init__(id=id)
        self.default_name = name

    def compose(self) -> ComposeResult:
        yield Label("Profile name")
        yield Input(self.default_name, id="pf-name")
        yield Label("Base URL")
        yield Input(placeholder=URL_EXAMPLE, id="pf-url")
        yield Label("API key")
        yield Input(placeholder="xero_<project>_<secret>", password=True, id="pf-key")
        with Horizontal(id="pf-actions"):
            yield Button("Test & save", variant="primary", id="pf-save")
        yield Static(id="pf-message")

    def values(self) -> ProfileValues:
        return ProfileValues(
            self.query_one("#pf-name", Input).value.strip(),
            self.query_one("#pf-url", Input).value.strip().rstrip("/"),
            self.query_one("#pf-key", Input).value.strip(),
        )

    def problem(self, values: ProfileValues) -> tuple[str, str] | None:
        """(field id, message) for the first value of the wrong shape, else None."""
        if not values.name:
            return "pf-name", "Give the profile a name."
        if values.name.startswith(XEROCTL_PREFIX):
            return "pf-name", f"Names starting with {XEROCTL_PREFIX!r} are xeroctl's profiles."
        if not values.base_url:
            return "pf-url", f"Enter the base URL, e.g. {URL_EXAMPLE}"
        try:
            split_base_url(values.base_url)
        except ValueError:
            return "pf-url", f"The base URL must look like {URL_EXAMPLE} (…/<project>/v1)."
        if not values.api_key:
            return "pf-key", "Enter the API key."
        key = values.api_key
        if any(ch.isspace() for ch in key) or not (key.isascii() and key.isprintable()):
            return "pf-key", "The API key is one word of printable characters, without spaces."
        return None

    def show_message(self, message: str, *, field: str | None = None, error: bool = True) -> None:
        note = self.query_one("#pf-message", Static)
        note.update(Text(clean(message)))
        note.set_class(error, "-error")
        for input_id in ("pf-name", "pf-url", "pf-key"):
            self.query_one(f"#{input_id}", Input).set_class(input_id == field, "-invalid")
        if field:
            self.query_one(f"#{field}", Input).focus()

    def set_busy(self, busy: bool) -> None:
        button = self.query_one("#pf-save", Button)
        button.disabled = busy
        button.label = "Testing…" if busy else "Test & save"

    @on(Button.Pressed, "#pf-save")
    @on(Input.Submitted)
    def _submit(self, event: Message) -> None:
        event.stop()
        values = self.values()
        problem = self.problem(values)
        if problem:
            self.show_message(problem[1], field=problem[0])
            return
        self.show_message("Testing the connection…", error=False)
        self.post_message(self.Submitted(values))
