"""ConfirmScreen: ask before doing something that cannot be taken back, Cancel focused.

The seed's classes of actions decide who asks (design.md section 7): *destructive* actions
(delete, rollback, copying the key) confirm with Cancel focused — Enter on a fresh dialog
cancels — and the confirming button styled as dangerous; with `typed`, the user must type a
word (the count of models, or a name) before the confirming button works.
Dismisses with True (go ahead) or False.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from xerotui.tui.safety import SafeDispatch


class ConfirmScreen(SafeDispatch, ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    ConfirmScreen #confirm {
        width: 72;
        max-width: 95%;
        height: auto;
        max-height: 90%;
    }
    ConfirmScreen #confirm-title {
        text-style: bold;
        margin-bottom: 1;
    }
    ConfirmScreen #confirm-body {
        margin-bottom: 1;
    }
    ConfirmScreen #confirm-typed {
        margin-bottom: 1;
    }
    ConfirmScreen #confirm-buttons {
        height: auto;
        align-horizontal: right;
    }
    ConfirmScreen Button {
        margin-left: 2;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="confirm.cancel")]

    def __init__(
        self,
        title: str,
        body: RenderableType,
        *,
        confirm: str = "Delete",
        destructive: bool = True,
        typed: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.body = Text(body) if isinstance(body, str) else body
        self.confirm_label = confirm
        self.destructive = destructive
        self.typed = typed
        """The word to type before the confirming button works (None: no typing)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Static(Text(self.title_text), id="confirm-title")
            yield Static(self.body, id="confirm-body")
            if self.typed is not None:
                yield Static(Text.assemble("Type ", (self.typed, "bold"), " to confirm:"))
                yield Input(placeholder=self.typed, id="confirm-typed")
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel", id="confirm-cancel")
                yield Button(
                    self.confirm_label,
                    id="confirm-ok",
                    variant="error" if self.destructive else "primary",
                    disabled=self.typed is not None,
                )

    def on_mount(self) -> None:
        self.query_one("#confirm-cancel").focus()

    @on(Input.Changed, "#confirm-typed")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#confirm-ok", Button).disabled = event.value.strip() != self.typed

    @on(Input.Submitted, "#confirm-typed")
    def _typed_enter(self, event: Input.Submitted) -> None:
        if event.value.strip() == self.typed:
            self.dismiss(True)

    @on(Button.Pressed, "#confirm-ok")
    def _ok(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
