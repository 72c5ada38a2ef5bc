"""Catalog panel (`g c`): the catalog info of a model beside every shared model of the project.

Left: role, deployment count, on shared agents, public, featured, shared at — or "not in the
catalog" (404 for a model that was never shared, or was unshared). Right: every shared model
of the project; enter on one shows its info instead. `s` shares and `n` unshares the model
on the left (the same actions as everywhere, with undo), `o` opens its detail.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable

from xerotui.api.errors import NotFoundError, XeroError
from xerotui.api.schema import CatalogInfo
from xerotui.tui.errors import report
from xerotui.tui.format import status_text, yes_no
from xerotui.tui.model_feed import FeedUpdate
from xerotui.tui.sanitize import one_line
from xerotui.tui.screens.base import XeroScreen
from xerotui.tui.widgets.field_list import FieldList, Row

NOT_IN_CATALOG = "not in the catalog: never shared, or unshared (404). s shares it."


def info_rows(info: CatalogInfo) -> list[Row]:
    return [
        ("Role", one_line(info.catalog_role)),
        ("Deployments", f"{info.deployment_count:,}"),
        ("On shared agents", yes_no(info.is_on_shared_agents)),
        ("Public", yes_no(info.is_public)),
        ("Featured", yes_no(info.featured)),
        ("Shared at", one_line(info.shared_at)),
    ]


class CatalogScreen(XeroScreen):
    TITLE = "Catalog"
    MODE = "models"
    DEFAULT_CSS = """
    CatalogScreen #catalog-body {
        height: 1fr;
    }
    CatalogScreen #catalog-info {
        width: 1fr;
        min-width: 48;
        height: auto;
    }
    CatalogScreen #catalog-shared {
        width: 2fr;
        height: 1fr;
    }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="catalog.back"),
        Binding("q", "back", "Back", id="catalog.q", show=False),
        Binding("s", "share", "Share", id="catalog.share"),
        Binding("n", "unshare", "Unshare", id="catalog.unshare"),
        Binding("o", "open", "Open detail", id="catalog.open"),
        Binding("ctrl+r", "reload", "Reload", id="catalog.reload"),
    ]

    def __init__(self, model_id: str) -> None:
        super().__init__()
        self.model_id = model_id
        self.info: CatalogInfo | None = None
        self.shared_ids: list[str] = []

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="catalog-body"):
            yield FieldList(id="catalog-info", classes="panel")
            yield DataTable(
                id="catalog-shared", cursor_type="row", zebra_stripes=True, classes="panel"
            )

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#catalog-shared", DataTable)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#catalog-shared").border_title = "Shared models of the project"
        for key, label in (("name", "Name"), ("id", "ID"), ("status", "Status")):
            self.table.add_column(label, key=key)
        self.host.feed.changed.subscribe(self, self._on_feed)
        self.list_shared()
        self.load()

    def _on_feed(self, update: FeedUpdate) -> None:
        if update.progress is None:
            self.list_shared()
            if self.model_id in update.updated:
                self.load()

    def list_shared(self) -> None:
        shared = self.session.inventory.shared()
        self.shared_ids = [m.id for m in shared]
        table = self.table
        table.clear()
        for model in shared:
            table.add_row(
                Text(one_line(model.name), style="bold"),
                Text(one_line(model.id[:8])),
                status_text(model.status),
            )
        count = len(shared)
        self.query_one("#catalog-shared").border_subtitle = f"{count} in the public catalog"
        if self.model_id in self.shared_ids:  # the cursor on the model on the left, if listed
            table.move_cursor(row=self.shared_ids.index(self.model_id), animate=False)

    @work(group="catalog", exclusive=True, exit_on_error=False, description="Reading catalog info")
    async def load(self) -> None:
        panel = self.query_one("#catalog-info", FieldList)
        model = self.session.inventory.get(self.model_id)
        panel.border_title = one_line(model.name if model and model.name else self.model_id)
        panel.show([("Catalog", Text("reading…", style="yellow"))])
        try:
            self.info = await self.session.client.catalog_info(self.model_id)
        except NotFoundError:
            self.info = None
            panel.show([("Catalog", Text(NOT_IN_CATALOG, style="yellow"))])
            return
        except XeroError as error:
            panel.show([("Catalog", Text(one_line(error.message), style="bold red"))])
            report(self, error, doing="Reading catalog info")
            return
        panel.show(info_rows(self.info))

    @on(DataTable.RowSelected, "#catalog-shared")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        """enter on a shared model: its catalog info on the left (and s / n act on it)."""
        row = event.cursor_row
        if 0 <= row < len(self.shared_ids) and self.shared_ids[row] != self.model_id:
            self.model_id = self.shared_ids[row]
            self.load()

    def action_share(self) -> None:
        self.host.actions.share([self.model_id])

    def action_unshare(self) -> None:
        self.host.actions.unshare([self.model_id])

    def action_open(self) -> None:
        self.host.open_detail(self.model_id)

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss()
