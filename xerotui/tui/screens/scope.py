"""Scope table (`g t`): each endpoint, its method, path, auth, and what this server answered."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from xerotui.api.endpoints import ADMIN_KEY, BY_KEY, ENDPOINTS, Endpoint
from xerotui.api.requestlog import RequestRecord
from xerotui.tui.format import clock_text, http_status_text
from xerotui.tui.sanitize import one_line
from xerotui.tui.screens.base import XeroScreen

INTRO = (
    "Every route xerotui calls, under the project root /{P} (e.g. /proj_ABC123). The first "
    "twelve are the docs' Endpoint Scope Table (inference route group, project API key); the "
    "rest are routes this client decided. enter: that endpoint's requests in the API log."
)


class ScopeScreen(XeroScreen):
    """The scope table, with the last status per endpoint kept live from the request log."""

    TITLE = "Scope table"
    DEFAULT_CSS = """
    ScopeScreen #scope-intro {
        height: auto;
        padding: 0 1;
    }
    ScopeScreen #scope-table {
        height: 1fr;
    }
    """
    MODE = "scope"
    BINDINGS = [
        Binding("enter", "show_requests", "Requests", id="scope.requests"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._unsubscribe: Callable[[], None] = lambda: None

    def compose_body(self) -> ComposeResult:
        yield Static(INTRO, id="scope-intro")
        yield DataTable(id="scope-table", cursor_type="row", zebra_stripes=True)

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#scope-table", DataTable)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.table
        for key, label, width in (
            ("method", "Method", 6),
            ("path", "Path", None),
            ("last", "Last status", 20),
            ("ms", "ms", 5),
            ("when", "When", 8),
            ("auth", "Auth", 11),
            ("source", "Source", 7),
        ):
            table.add_column(label, key=key, width=width)
        log = self.host.request_log
        for endpoint in ENDPOINTS:
            table.add_row(*self.cells(endpoint, log.last_for(endpoint.key)), key=endpoint.key)
        self._unsubscribe = log.subscribe(self._on_record)
        table.focus()

    def on_unmount(self) -> None:
        self._unsubscribe()

    @staticmethod
    def cells(endpoint: Endpoint, record: RequestRecord | None) -> list[Text | str]:
        source = Text("docs", style="dim") if endpoint.source == "seed" else Text("decided", "cyan")
        method = Text(endpoint.method, style="bold")
        path = endpoint.path  # under the project: /{P} + path (the intro says so)
        auth = "admin key" if endpoint.auth == ADMIN_KEY else "project key"
        if record is None:
            return [method, path, Text("not tried", style="dim"), "", "", auth, source]
        status = http_status_text(record.status)
        if record.error_code:
            status.append(f" {one_line(record.error_code, limit=40)}", style="red")
        latency = Text(f"{record.latency_ms:.0f}", justify="right")
        when = clock_text(record.started)[:8]
        return [method, path, status, latency, when, auth, source]

    def _on_record(self, record: RequestRecord) -> None:
        if record.endpoint_key is None:
            return
        endpoint = BY_KEY[record.endpoint_key]
        for column, value in zip(
            ("last", "ms", "when"), self.cells(endpoint, record)[2:5], strict=True
        ):
            self.table.update_cell(endpoint.key, column, value)

    @on(DataTable.RowSelected, "#scope-table")
    async def _selected(self) -> None:
        await self.action_show_requests()

    async def action_show_requests(self) -> None:
        row = self.table.cursor_row
        endpoint = ENDPOINTS[row]
        await self.host.show_log(endpoint.key)
