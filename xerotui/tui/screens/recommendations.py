"""Recommendations (`g w`): the router's ranked models for a workspace.

Asks for a workspace id (the last one of this profile is filled in), then lists Model ID,
Name, Score and Reason as xeroctl does, ranked, with the score drawn as a bar; enter opens
the model. An unknown workspace (404 `workspace_not_found`) is said in words.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from xerotui.api.errors import XeroError
from xerotui.api.schema import Recommendation
from xerotui.config.recall import recall, remember
from xerotui.tui.errors import report
from xerotui.tui.sanitize import one_line
from xerotui.tui.screens.base import XeroScreen

BAR = 12
NOT_FOUND = "There is no workspace {ws} in project {project} (404 workspace_not_found)."


def score_bar(score: float, best: float) -> Text:
    share = 0.0 if best <= 0 else max(0.0, min(1.0, score / best))
    cells = round(BAR * share)
    bar = Text("█" * cells, style="green")
    bar.append("·" * (BAR - cells), style="dim")
    bar.append(f" {score:.2f}")
    return bar


class RecommendationsScreen(XeroScreen):
    TITLE = "Recommendations"
    MODE = "models"
    DEFAULT_CSS = """
    RecommendationsScreen #rec-workspace {
        margin: 1 1 0 1;
    }
    RecommendationsScreen #rec-summary {
        height: auto;
        padding: 0 1;
    }
    RecommendationsScreen #rec-table {
        height: 1fr;
    }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="rec.back"),
        Binding("q", "back", "Back", id="rec.q", show=False),
        Binding("slash", "workspace", "Workspace", id="rec.workspace"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Recommendation] = []
        self.workspace = ""

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="workspace id, e.g. ws_0123456789abcdef", id="rec-workspace")
        yield Static(id="rec-summary")
        yield DataTable(id="rec-table", cursor_type="row", zebra_stripes=True)

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#rec-table", DataTable)

    def on_mount(self) -> None:
        super().on_mount()
        for key, label in (("rank", "#"), ("id", "Model ID"), ("name", "Name"), ("score", "Score"),
                           ("reason", "Reason")):  # fmt: skip
            self.table.add_column(label, key=key)
        field = self.query_one("#rec-workspace", Input)
        last = recall(self.session.profile, "workspace")
        if last:
            field.value = last
            self.load(last)
        field.focus()

    @on(Input.Submitted, "#rec-workspace")
    def _asked(self, event: Input.Submitted) -> None:
        workspace = event.value.strip()
        if workspace:
            self.load(workspace)

    @work(group="recommendations", exclusive=True, exit_on_error=False, description="Asking")
    async def load(self, workspace: str) -> None:
        summary = self.query_one("#rec-summary", Static)
        summary.update(Text(f"asking for {one_line(workspace)}…", style="yellow"))
        self.table.clear()
        self.items = []
        try:
            answer = await self.session.client.recommendations(workspace)
        except XeroError as error:
            if error.code == "workspace_not_found":
                text = NOT_FOUND.format(ws=one_line(workspace), project=self.session.project)
                summary.update(Text(text, style="bold red"))
            else:
                summary.update(Text(one_line(f"{error.title}: {error.message}"), "bold red"))
                report(self, error, doing="Asking for recommendations")
            return
        self.workspace = workspace
        await asyncio.to_thread(remember, self.session.profile, "workspace", workspace)
        self.items = sorted(answer.data, key=lambda r: r.score, reverse=True)
        best = max((r.score for r in self.items), default=0.0)
        for rank, item in enumerate(self.items, 1):
            self.table.add_row(
                str(rank),
                Text(one_line(item.model_id)),
                Text(one_line(item.name), style="bold"),
                score_bar(item.score, best),
                Text(one_line(item.reason, limit=200)),
            )
        count = len(self.items)
        summary.update(
            Text.assemble(
                (f"{count} model{'s' if count != 1 else ''}", "bold"),
                f" recommended for {one_line(workspace)}",
                ("  ·  enter opens a model  ·  / another workspace", "dim"),
            )
        )
        if self.items:
            self.table.focus()

    @on(DataTable.RowSelected, "#rec-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.items):
            self.host.open_detail(self.items[event.cursor_row].model_id)

    def action_workspace(self) -> None:
        self.query_one("#rec-workspace", Input).focus()

    def action_back(self) -> None:
        self.dismiss()
