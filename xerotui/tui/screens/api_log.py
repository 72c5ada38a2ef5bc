"""API log (`g e`): every request of the session, errors marked and filterable."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import RowKey

from xerotui.api.requestlog import RequestRecord
from xerotui.tui.format import clock_text, http_status_text
from xerotui.tui.sanitize import one_line
from xerotui.tui.screens.base import XeroScreen
from xerotui.tui.widgets.filter_bar import FilterBar
from xerotui.tui.widgets.request_detail import RequestDetail

FIXED = (("time", "Time", 12), ("method", "Method", 6), ("status", "Status", 6), ("ms", "ms", 5))
REQUEST_ID = 28
"""A request id of the sandbox (`req_` + 24 hex); longer ones end in …."""
CODE = 22


def column_widths(width: int) -> dict[str, int]:
    """Every column fits `width` cells: the path takes what the others leave; below 100
    columns the request id goes (the detail panel under the table shows it)."""
    widths = {key: size for key, _, size in FIXED}
    widths["code"] = CODE
    if width >= 100:
        widths["request"] = REQUEST_ID
    used = sum(widths.values()) + 2 * (len(widths) + 1) + 2  # padding, scrollbar
    widths["path"] = max(16, width - used)
    return widths


class ApiLogScreen(XeroScreen):
    """Newest last, following the end like `tail -f` while the cursor is on the last row."""

    TITLE = "API log"
    DEFAULT_CSS = """
    ApiLogScreen #log-summary {
        height: auto;
        padding: 0 1;
    }
    ApiLogScreen #log-table {
        height: 1fr;
        min-height: 6;
    }
    """
    MODE = "log"
    BINDINGS = [
        Binding("e", "errors_only", "Errors only", id="log.errors"),
        Binding("slash", "filter", "Filter", id="log.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="log.clear_filter", show=False),
        Binding("y", "copy_request_id", "Copy request id", id="log.copy_request_id"),
        Binding("ctrl+l", "clear", "Clear log", id="log.clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.errors_only = False
        self.query_text = ""
        self.shown: list[RequestRecord] = []
        self._row_keys: deque[RowKey] = deque()
        self._unsubscribe: Callable[[], None] = lambda: None
        self._widths: dict[str, int] = {}

    def compose_body(self) -> ComposeResult:
        yield Static(id="log-summary")
        yield DataTable(id="log-table", cursor_type="row", zebra_stripes=True)
        yield FilterBar(
            placeholder="filter: path, code, request id, status, endpoint", id="log-filter"
        )
        yield RequestDetail(id="log-detail", classes="panel")

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#log-table", DataTable)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#log-detail").border_title = "Request"
        self._unsubscribe = self.host.request_log.subscribe(self._on_record)
        self.set_focus(self.table)
        self.rebuild()

    def on_resize(self) -> None:
        if column_widths(self.size.width) != self._widths:
            self.rebuild()

    def _columns(self) -> None:
        """(Re)build the columns for the current width."""
        widths = column_widths(self.size.width)
        if widths == self._widths:
            return
        self._widths = widths
        labels = {"code": "Error code", "path": "Path", "request": "Request id"}
        labels |= {key: label for key, label, _ in FIXED}
        table = self.table
        table.clear(columns=True)
        for key in ("time", "method", "status", "ms", "code", "path", "request"):
            if key in widths:
                table.add_column(labels[key], key=key, width=widths[key])

    def on_unmount(self) -> None:
        self._unsubscribe()

    def matches(self, record: RequestRecord) -> bool:
        if self.errors_only and not record.is_error:
            return False
        needle = self.query_text.lower()
        if not needle:
            return True
        hay = " ".join(
            str(part or "")
            for part in (
                record.method,
                record.target,
                record.status,
                record.request_id,
                record.error_code,
                record.endpoint_key,
            )
        )
        return needle in hay.lower()

    def rebuild(self) -> None:
        self._columns()
        table = self.table
        table.clear()
        self.shown = [r for r in self.host.request_log.records() if self.matches(r)]
        self._row_keys = deque(table.add_row(*self.cells(record)) for record in self.shown)
        if self.shown:  # the newest request, on screen and highlighted
            table.move_cursor(row=len(self.shown) - 1, animate=False, scroll=False)
            self.call_after_refresh(table.scroll_end, animate=False, immediate=True)
        self.show_summary()
        self.show_selected()

    def cells(self, record: RequestRecord) -> list[Text | str]:
        error = record.is_error
        path = Text(one_line(record.target, limit=400), style="red" if error else "")
        attempt = f" ↻{record.attempt}" if record.attempt > 1 else ""
        code = one_line(record.error_code, "", limit=40) + attempt
        status = http_status_text(record.status)
        if record.held:  # never sent: --dry-run or --read-only kept it back
            status = Text("held", style="bold yellow")
            code = f"not sent: {record.held}"
        cells: list[Text | str] = [
            clock_text(record.started),
            Text(record.method, style="bold"),
            status,
            Text(f"{record.latency_ms:.0f}", justify="right"),
            Text(code, style="bold red" if error else "dim"),
            path,
        ]
        if "request" in self._widths:
            cells.append(Text(one_line(record.request_id)))
        return cells

    def _on_record(self, record: RequestRecord) -> None:
        if not self.matches(record):
            self.show_summary()
            return
        table = self.table
        following = not self.shown or table.cursor_row >= len(self.shown) - 1
        self.shown.append(record)
        self._row_keys.append(table.add_row(*self.cells(record)))
        if len(self.shown) > self.host.request_log.maxlen:  # the log forgot it: so do we
            self.shown.pop(0)
            table.remove_row(self._row_keys.popleft())
        if following:
            table.move_cursor(row=len(self.shown) - 1, animate=False)
        self.show_summary()

    def show_summary(self) -> None:
        records = self.host.request_log.records()
        errors = sum(1 for r in records if r.is_error)
        text = Text.assemble(
            (f"{len(records):,} request{'s' if len(records) != 1 else ''}", "bold"),
            "  ·  ",
            (f"{errors:,} error{'s' if errors != 1 else ''}", "bold red" if errors else "dim"),
        )
        if self.errors_only:
            text.append("  ·  showing errors only (e)", style="yellow")
        if self.query_text:
            text.append(f"  ·  filter “{one_line(self.query_text, limit=60)}”", style="yellow")
        self.query_one("#log-summary", Static).update(text)

    def selected(self) -> RequestRecord | None:
        row = self.table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def show_selected(self) -> None:
        self.query_one(RequestDetail).show(self.selected())

    @on(DataTable.RowHighlighted, "#log-table")
    def _highlighted(self) -> None:
        self.show_selected()

    @on(Input.Changed, "#log-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.rebuild()

    @on(Input.Submitted, "#log-filter")
    def _filter_done(self) -> None:
        self.query_one(FilterBar).done()
        self.set_focus(self.table)

    def filter_to(self, text: str) -> None:
        self.query_one(FilterBar).set_text(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.query_one(FilterBar).active
        if action == "copy_request_id":
            record = self.selected()
            return True if record and record.request_id else None
        return True

    def action_errors_only(self) -> None:
        self.errors_only = not self.errors_only
        self.rebuild()

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    def action_clear_filter(self) -> None:
        self.filter_to("")
        self.set_focus(self.table)

    def action_copy_request_id(self) -> None:
        record = self.selected()
        if record and record.request_id:
            self.host.copy(record.request_id, what="request id")

    def action_clear(self) -> None:
        self.host.request_log.clear()
        self.rebuild()
