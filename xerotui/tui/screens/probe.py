"""Probe (`g p`): ask the serving backend of a deployed model for its capability map.

A router that has not enabled the probe route answers 501: that is information, said in the
docs' words ("Model probing is not available on this router deployment (501)."), not an
error; a model with no endpoint (409 `model_not_deployed`) is explained.
"""

from __future__ import annotations

import json

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from xerotui.api.errors import NotImplementedByServerError, XeroError
from xerotui.api.schema import ProbeResult
from xerotui.tui.host import host
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean, one_line

NOT_AVAILABLE = "Model probing is not available on this router deployment (501)."
NOT_DEPLOYED = (
    "{name} is not deployed: probing asks the serving backend of a model's endpoint, and this "
    "model has none. Deploy it to an endpoint first (409 model_not_deployed)."
)


def capability_table(result: ProbeResult) -> Table:
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="bold")
    table.add_column("Capability", no_wrap=True)
    table.add_column("Value", overflow="fold")
    for name, value in list(result.capabilities.items())[:200]:
        if isinstance(value, bool):
            shown = Text("yes", "green") if value else Text("no", "red")
        elif isinstance(value, str | int | float):
            shown = Text(one_line(str(value), limit=200))
        else:
            shown = Text(clean(json.dumps(value, ensure_ascii=False)[:500]), style="cyan")
        table.add_row(Text(one_line(name, limit=60), style="bold"), shown)
    return table


class ProbeScreen(SafeDispatch, ModalScreen[None]):
    DEFAULT_CSS = """
    ProbeScreen {
        align: center middle;
    }
    ProbeScreen #probe {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 90%;
    }
    ProbeScreen #probe-title {
        text-style: bold;
        margin-bottom: 1;
    }
    ProbeScreen #probe-body {
        height: auto;
        max-height: 30;
    }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="probe.close"),
        Binding("ctrl+r", "probe", "Probe again", id="probe.again"),
    ]

    def __init__(self, model_id: str, name: str) -> None:
        super().__init__()
        self.model_id = model_id
        self.model_name = name
        self.result: ProbeResult | None = None
        self.outcome = ""
        """"capabilities", "not-available", "not-deployed" or "failed" once answered."""

    def compose(self) -> ComposeResult:
        with Vertical(id="probe", classes="dialog"):
            yield Static(Text(f"Probe {self.model_name}"), id="probe-title")
            with VerticalScroll(id="probe-body"):
                yield Static(Text("asking the serving backend…", style="yellow"), id="probe-map")

    def on_mount(self) -> None:
        self.action_probe()

    def show(self, body: Table | Text, outcome: str) -> None:
        self.outcome = outcome
        self.query_one("#probe-map", Static).update(body)

    @work(group="probe", exclusive=True, exit_on_error=False, description="Probing the model")
    async def action_probe(self) -> None:
        session = host(self).session
        if session is None:
            return
        try:
            result = await session.client.probe_model(self.model_id)
        except NotImplementedByServerError:
            self.show(Text(NOT_AVAILABLE, style="italic"), "not-available")
            return
        except XeroError as error:
            if error.code == "model_not_deployed":
                self.show(Text(NOT_DEPLOYED.format(name=self.model_name), "yellow"), "not-deployed")
                return
            message = f"{error.title}: {error.message}"
            self.show(Text(one_line(message, limit=400), style="bold red"), "failed")
            return
        self.result = result
        if result.capabilities:
            self.show(capability_table(result), "capabilities")
        else:
            self.show(Text("The backend declared no capabilities.", "dim"), "capabilities")
