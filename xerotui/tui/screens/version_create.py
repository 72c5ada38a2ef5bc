"""CreateVersionScreen: a new version of a model — semver checked as typed, and notes.

The version is checked on every keystroke with the API's rules (strict semver 2.0.0, no
leading `v`, not an existing version: :func:`xerotui.api.versions.check_version`), and the
Create button works only for a version that passes. The server still has the last word: a
`409 version_exists` (someone created it meanwhile) or a `400 invalid_version` (a server
stricter than these rules) is shown on the version field, and an error on the notes under
the notes; the form stays open with what was typed. Dismisses with the created version, or
None when cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from xerotui.api.errors import ConflictError, ValidationError, XeroError
from xerotui.api.schema import ModelVersion
from xerotui.api.versions import check_version, suggestions
from xerotui.tui.errors import report
from xerotui.tui.host import host
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean, one_line

NOTES_LIMIT = 4000
"""The longest notes the API takes."""


class CreateVersionScreen(SafeDispatch, ModalScreen[ModelVersion | None]):
    DEFAULT_CSS = """
    CreateVersionScreen {
        align: center middle;
    }
    CreateVersionScreen #create-form {
        width: 76;
        max-width: 95%;
        height: auto;
        max-height: 100%;
        padding: 0 2;
    }
    CreateVersionScreen #create-title {
        text-style: bold;
        margin: 1 0;
    }
    CreateVersionScreen Input.-invalid {
        border: tall $error;
    }
    CreateVersionScreen .field-message {
        color: $text-muted;
        height: auto;
    }
    CreateVersionScreen .field-message.-error {
        color: $error;
    }
    CreateVersionScreen .field-message.-ok {
        color: $success;
    }
    CreateVersionScreen #create-buttons {
        height: auto;
        align-horizontal: right;
    }
    CreateVersionScreen Button {
        margin-left: 2;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="version_create.cancel")]

    def __init__(
        self, model_id: str, model_name: str | None, versions: Sequence[ModelVersion]
    ) -> None:
        super().__init__()
        self.model_id = model_id
        self.model_name = model_name or model_id
        self.existing = [v.version for v in versions]
        self.examples = suggestions(versions)
        self.sending = False

    def compose(self) -> ComposeResult:
        with Vertical(id="create-form", classes="dialog"):
            yield Static(
                Text(f"New version of {one_line(self.model_name, limit=50)}"), id="create-title"
            )
            yield Label("Version (semantic version: MAJOR.MINOR.PATCH)")
            yield Input(placeholder=f"e.g. {' / '.join(self.examples)}", id="create-version")
            yield Static(id="create-version-message", classes="field-message")
            yield Label("Notes (optional)")
            yield Input(placeholder="what changed", max_length=NOTES_LIMIT, id="create-notes")
            yield Static(id="create-notes-message", classes="field-message")
            yield Static(
                Text("A new version is not the latest until you promote it (p).", style="dim")
            )
            with Horizontal(id="create-buttons"):
                yield Button("Cancel", id="create-cancel")
                yield Button("Create", id="create-ok", variant="primary", disabled=True)

    def on_mount(self) -> None:
        self.query_one("#create-version", Input).focus()
        self._check("")

    # ------------------------------------------------------------------ checking

    @property
    def version(self) -> str:
        return self.query_one("#create-version", Input).value

    @property
    def notes(self) -> str:
        return self.query_one("#create-notes", Input).value

    def _check(self, text: str) -> bool:
        """Check the version as typed: the message under the field, the Create button."""
        problem = check_version(text, self.existing)
        field = self.query_one("#create-version", Input)
        if problem is None:
            self._message("version", f"✔ {one_line(text, limit=60)} can be created", "ok")
        else:
            self._message("version", problem, "error" if text else "")
        field.set_class(problem is not None and bool(text), "-invalid")
        self.query_one("#create-ok", Button).disabled = problem is not None or self.sending
        return problem is None

    def _message(self, which: str, text: str, kind: str = "") -> None:
        message = self.query_one(f"#create-{which}-message", Static)
        message.update(Text(clean(text, newlines=False)))
        message.set_class(kind == "error", "-error")
        message.set_class(kind == "ok", "-ok")

    @on(Input.Changed, "#create-version")
    def _version_changed(self, event: Input.Changed) -> None:
        self._check(event.value)

    @on(Input.Changed, "#create-notes")
    def _notes_changed(self) -> None:
        self._message("notes", "")
        self.query_one("#create-notes", Input).remove_class("-invalid")

    @on(Input.Submitted)
    @on(Button.Pressed, "#create-ok")
    def _submit(self) -> None:
        if self._check(self.version) and not self.sending:
            self.send(self.version, self.notes)

    # ------------------------------------------------------------------ sending

    @work(group="version-create", exclusive=True, exit_on_error=False, description="Creating")
    async def send(self, version: str, notes: str) -> None:
        """POST the version (no local check: the server's answer is shown on the field)."""
        session = host(self).session
        if session is None:
            return
        self.sending = True
        self.query_one("#create-ok", Button).disabled = True
        try:
            answer = await session.client.create_version(self.model_id, version, notes or None)
        except (ConflictError, ValidationError) as error:
            self.sending = False
            which = "notes" if error.param in ("version_notes", "notes") else "version"
            if error.code == "version_exists":
                self.existing.append(version)
            self._message(which, self._words(error), "error")
            self.query_one(f"#create-{which}", Input).add_class("-invalid")
            self.query_one("#create-ok", Button).disabled = which == "version"
            return
        except XeroError as error:
            self.sending = False
            report(self, error, doing=f"Creating version {one_line(version, limit=40)}")
            self._check(self.version)
            return
        self.sending = False
        self.dismiss(answer)

    @staticmethod
    def _words(error: XeroError) -> str:
        """The server's refusal in words, with its code (the message is server text)."""
        if error.code == "version_exists":
            lead = "This version exists already (created meanwhile?)."
        elif error.code == "invalid_version":
            lead = "The server does not accept this version."
        else:
            lead = "The server refused this value."
        return f"{lead} {error.message} ({error.code or f'HTTP {error.status}'})"

    @on(Button.Pressed, "#create-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
