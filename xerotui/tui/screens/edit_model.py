"""Edit form (`g u`, `e`): every PATCH field of a model, only the changed ones sent.

ctrl+s shows the changes (before -> after) and saves on confirmation. A refusal of the
server (`invalid_quantization`, `invalid_value` + `param`, ...) lands on its field with the
server's message; a failed save (5xx, a dropped connection) keeps every typed value; leaving
a changed form asks first. Dismisses with the saved model, or None.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from xerotui.api.errors import XeroError
from xerotui.api.schema import METADATA_FIELDS, Model, ModelUpdate
from xerotui.tui.errors import report
from xerotui.tui.host import host
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import one_line
from xerotui.tui.screens.confirm import ConfirmScreen
from xerotui.tui.widgets.footer import XeroFooter
from xerotui.tui.widgets.metadata_form import MetadataForm, shown

LABELS = {f.name: f.spec.label for f in METADATA_FIELDS}


def diff_table(model: Model, changes: dict[str, Any]) -> Table:
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="bold")
    table.add_column("Field", style="dim", no_wrap=True)
    table.add_column("Before", style="red", overflow="fold")
    table.add_column("After", style="green", overflow="fold")
    for name, after in changes.items():
        table.add_row(LABELS[name], shown(getattr(model, name)), shown(after))
    return table


class EditModelScreen(SafeDispatch, ModalScreen[Model | None]):
    DEFAULT_CSS = """
    EditModelScreen {
        align: center middle;
    }
    EditModelScreen #edit {
        width: 96;
        max-width: 100%;
        height: 90%;
        padding: 0 1;
    }
    EditModelScreen #edit-title {
        height: auto;
        padding: 0 1;
        margin-bottom: 1;
    }
    EditModelScreen #edit-status {
        height: auto;
        padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "review", "Review & save", id="edit.save"),
        Binding("escape", "leave", "Cancel", id="edit.cancel"),
    ]

    def __init__(self, model: Model) -> None:
        super().__init__()
        self.model = model
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="edit", classes="dialog"):
            title = Text.assemble(
                ("Edit ", "bold"), (one_line(self.model.name or self.model.id), "bold")
            )
            title.append(f"  {one_line(self.model.id)}", style="dim")
            yield Static(title, id="edit-title")
            yield MetadataForm(self.model, id="edit-form")
            yield Static(id="edit-status")
        yield XeroFooter()

    @property
    def form(self) -> MetadataForm:
        return self.query_one(MetadataForm)

    def status(self, text: str, style: str = "dim") -> None:
        self.query_one("#edit-status", Static).update(Text(text, style=style))

    def action_review(self) -> None:
        if self.saving:
            return
        problems = self.form.problems()
        if problems:
            for name, message in problems.items():
                self.form.show_error(name, message)
            self.status(f"{len(problems)} field(s) to fix before saving.", "bold red")
            return
        changes = self.form.changes()
        if not changes:
            self.status("Nothing has changed.", "yellow")
            return

        def chosen(go: bool | None) -> None:
            if go:
                self.save(changes)

        self.app.push_screen(
            ConfirmScreen(
                f"Save {len(changes)} change{'s' if len(changes) != 1 else ''}?",
                diff_table(self.model, changes),
                confirm="Save",
                destructive=False,
            ),
            chosen,
        )

    @work(group="edit-save", exclusive=True, exit_on_error=False, description="Saving the model")
    async def save(self, changes: dict[str, Any]) -> None:
        session = host(self).session
        if session is None:
            return
        self.saving = True
        self.form.clear_errors()
        self.status("Saving…", "yellow")
        try:
            saved = await session.client.update_model(self.model.id, ModelUpdate(**changes))
        except XeroError as error:
            self.saving = False
            if error.param and self.form.show_error(error.param, error.message):
                self.status(
                    f"The server refused {LABELS.get(error.param, error.param)}.", "bold red"
                )
            else:
                self.status("Not saved — your values are kept; ctrl+s to try again.", "bold red")
                report(self, error, doing="Saving the model")
            return
        self.saving = False
        host(self).feed.merge(saved)
        self.app.notify(
            f"Saved {len(changes)} field{'s' if len(changes) != 1 else ''} of "
            f"{one_line(saved.name or saved.id)}.",
            title="Model updated",
            markup=False,
        )
        self.dismiss(saved)

    def action_leave(self) -> None:
        if not self.form.changes():
            self.dismiss(None)
            return

        def chosen(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                "Discard your changes?",
                diff_table(self.model, self.form.changes()),
                confirm="Discard",
            ),
            chosen,
        )
