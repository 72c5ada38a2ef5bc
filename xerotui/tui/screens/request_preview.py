"""RequestPreviewScreen: what `--dry-run` would have sent — method, URL, JSON body, curl.

Shown instead of a result whenever the client held a request back in dry-run mode (the
client decides; screens only report what it raised). `c` copies the curl command (the key
masked, as it is shown).
"""

from __future__ import annotations

import json

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from xerotui.api.errors import PlannedRequest
from xerotui.tui.host import host
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean

BODY_LIMIT = 20_000


class RequestPreviewScreen(SafeDispatch, ModalScreen[None]):
    DEFAULT_CSS = """
    RequestPreviewScreen {
        align: center middle;
    }
    RequestPreviewScreen #preview {
        width: 96;
        max-width: 100%;
        height: auto;
        max-height: 90%;
    }
    RequestPreviewScreen #preview-title {
        text-style: bold;
        margin-bottom: 1;
    }
    RequestPreviewScreen #preview-body {
        height: auto;
        max-height: 20;
        margin: 1 0;
    }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="preview.close"),
        Binding("c", "copy", "Copy curl", id="preview.copy"),
    ]

    def __init__(self, planned: PlannedRequest, *, doing: str = "") -> None:
        super().__init__()
        self.planned = planned
        self.doing = doing

    def compose(self) -> ComposeResult:
        planned = self.planned
        with Vertical(id="preview", classes="dialog"):
            what = f"{self.doing}: " if self.doing else ""
            yield Static(Text(f"{what}dry run — nothing was sent"), id="preview-title")
            yield Static(
                Text.assemble((planned.method, "bold"), " ", clean(planned.url)), id="preview-url"
            )
            with VerticalScroll(id="preview-body"):
                if planned.body is not None:
                    body = json.dumps(planned.body, indent=2, ensure_ascii=False)[:BODY_LIMIT]
                    yield Static(
                        Syntax(clean(body), "json", theme="ansi_dark", background_color="default")
                    )
                else:
                    yield Static(Text("(no body)", style="dim"))
            yield Static(Text(clean(planned.curl), style="cyan"), id="preview-curl")
            yield Static(
                Text(
                    "xerotui runs with --dry-run: changes are shown, never sent. "
                    "c copies the curl command (key masked); esc closes.",
                    style="dim",
                )
            )

    def action_copy(self) -> None:
        host(self).copy(self.planned.curl, what="curl command (key masked)")
