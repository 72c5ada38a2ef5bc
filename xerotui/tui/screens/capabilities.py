"""Capabilities (`g k`): set the capability list of a model (admin only).

Known capabilities are toggled, new ones typed in; the preview says plainly that the list
sent REPLACES the whole list (the API is not additive). `admin_required` and
`invalid_capabilities` are explained; under --dry-run the body is shown instead of sent.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, SelectionList, Static

from xerotui.api.errors import DryRun, ReadOnlyError, XeroError
from xerotui.api.schema import Model
from xerotui.tui.errors import report
from xerotui.tui.host import host
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import one_line

KNOWN = ("chat", "tool-use", "streaming", "json-mode", "vision", "embeddings", "reasoning")
EXPLAIN = {
    "admin_required": (
        "Setting capabilities is limited to workspace administrators, and this API key is not "
        "an administrator's (403 admin_required). Use an admin key's profile (g b)."
    ),
    "invalid_capabilities": "At least one capability is required (400 invalid_capabilities).",
}


class CapabilitiesScreen(SafeDispatch, ModalScreen[Model | None]):
    DEFAULT_CSS = """
    CapabilitiesScreen {
        align: center middle;
    }
    CapabilitiesScreen #caps {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 95%;
    }
    CapabilitiesScreen #caps-title {
        text-style: bold;
        margin-bottom: 1;
    }
    CapabilitiesScreen SelectionList {
        height: auto;
        max-height: 14;
    }
    CapabilitiesScreen #caps-preview, CapabilitiesScreen #caps-status {
        margin-top: 1;
        height: auto;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save (replaces the list)", id="caps.save"),
        Binding("escape", "dismiss(None)", "Cancel", id="caps.cancel"),
    ]

    def __init__(self, model: Model, known: list[str]) -> None:
        super().__init__()
        self.model = model
        self.current = list(model.capabilities or [])
        self.saving = False
        self.known = list(dict.fromkeys([*KNOWN, *known, *self.current]))

    def compose(self) -> ComposeResult:
        with Vertical(id="caps", classes="dialog"):
            yield Static(
                Text(f"Capabilities of {one_line(self.model.name or self.model.id)}"),
                id="caps-title",
            )
            yield SelectionList[str](
                *((Text(one_line(c, limit=60)), c, c in self.current) for c in self.known),
                id="caps-list",
            )
            yield Input(placeholder="add a capability, then enter", id="caps-new")
            yield Static(id="caps-preview")
            yield Static(id="caps-status")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()
        self.preview()

    @property
    def chosen(self) -> list[str]:
        return list(self.query_one("#caps-list", SelectionList).selected)

    def preview(self) -> None:
        before = ", ".join(one_line(c, limit=40) for c in self.current) or "(none)"
        after = ", ".join(one_line(c, limit=40) for c in self.chosen) or "(none)"
        text = Text.assemble(
            ("Replaces the whole list:\n", "bold"),
            ("  now:   ", "dim"),
            (before, "red"),
            ("\n  after: ", "dim"),
            (after, "green"),
        )
        self.query_one("#caps-preview", Static).update(text)

    @on(SelectionList.SelectedChanged)
    def _changed(self) -> None:
        self.preview()

    @on(Input.Submitted, "#caps-new")
    def _add(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        event.input.value = ""
        if not name:
            return
        options = self.query_one("#caps-list", SelectionList)
        if name not in self.known:
            self.known.append(name)
            options.add_option((Text(one_line(name, limit=60)), name, True))
        else:
            options.select(name)
        self.preview()

    def status(self, text: str, style: str) -> None:
        self.query_one("#caps-status", Static).update(Text(text, style=style))

    def action_save(self) -> None:
        if self.saving:  # one PATCH at a time: a second ctrl+s must not cut the first
            return
        chosen = self.chosen
        if not chosen:
            self.status(EXPLAIN["invalid_capabilities"], "bold red")
            return
        self.save(chosen)

    @work(
        group="caps-save", exclusive=True, exit_on_error=False, description="Setting capabilities"
    )
    async def save(self, chosen: list[str]) -> None:
        session = host(self).session
        if session is None:
            return
        self.status("Saving…", "yellow")
        self.saving = True
        try:
            model = await session.client.set_capabilities(self.model.id, chosen)
        except (DryRun, ReadOnlyError) as held:
            self.status("Not sent.", "yellow")
            report(self, held, doing="Setting capabilities")
            return
        except XeroError as error:
            explained = EXPLAIN.get(error.code or "")
            self.status(explained or one_line(f"{error.title}: {error.message}"), "bold red")
            if explained is None:
                report(self, error, doing="Setting capabilities")
            return
        finally:
            self.saving = False
        host(self).feed.merge(model)
        self.app.notify(
            one_line(f"{model.name or model.id}: {', '.join(model.capabilities or chosen)}"),
            title="Capabilities set",
            markup=False,
        )
        self.dismiss(model)
