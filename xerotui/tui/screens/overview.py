"""Overview (`g o`): counts by status, shared models, total size, newest models (with their
latest version), connection."""

from __future__ import annotations

from statistics import median

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Static

from xerotui.api.schema import Model
from xerotui.api.units import size_formatted
from xerotui.tui.format import date_text, or_unknown, status_text
from xerotui.tui.sanitize import one_line
from xerotui.tui.screens.base import XeroScreen
from xerotui.tui.widgets.field_list import FieldList
from xerotui.tui.widgets.status_bars import StatusBars


class OverviewScreen(XeroScreen):
    """A one-look summary of the project; reads the shared inventory."""

    TITLE = "Overview"
    DEFAULT_CSS = """
    OverviewScreen #overview-grid {
        grid-size: 2;
        grid-columns: 1fr 1fr;
        grid-rows: auto;
        grid-gutter: 0 1;
        padding: 0 1;
        height: auto;
    }
    OverviewScreen #overview-grid > .panel {
        height: auto;
    }
    """
    MODE = "overview"
    BINDINGS = [
        Binding("ctrl+r", "refresh", "Refresh", id="overview.refresh"),
    ]

    def compose_body(self) -> ComposeResult:
        with Grid(id="overview-grid"):
            yield StatusBars(id="ov-status", classes="panel")
            yield FieldList(id="ov-catalog", classes="panel")
            yield Static(id="ov-newest", classes="panel")
            yield FieldList(id="ov-connection", classes="panel")

    def on_mount(self) -> None:
        super().on_mount()
        titles = {
            "#ov-status": "Models by status",
            "#ov-catalog": "Catalog & storage",
            "#ov-newest": "Newest models",
            "#ov-connection": "Connection",
        }
        for selector, title in titles.items():
            self.query_one(selector).border_title = title
        self.host.feed.changed.subscribe(self, lambda _: self.redraw())
        self.redraw()
        self.host.feed.ensure_loaded()

    def on_screen_resume(self) -> None:
        self.redraw()

    def action_refresh(self) -> None:
        self.host.feed.load()

    def redraw(self) -> None:
        inventory = self.session.inventory
        self.query_one("#ov-status", StatusBars).show(inventory.status_counts())
        shared = inventory.shared()
        formats: dict[str, int] = {}
        for model in inventory.models:
            formats[model.format or "-"] = formats.get(model.format or "-", 0) + 1
        suffix = "" if inventory.complete else " so far (loading…)"
        self.query_one("#ov-catalog", FieldList).show(
            [
                ("Models", f"{len(inventory):,}{suffix}"),
                ("Shared", f"{len(shared):,} in the public catalog"),
                ("Total size", size_formatted(inventory.total_size())),
                ("Formats", self.format_counts(formats)),
                ("Shared models", self.shared_names(shared)),
            ]
        )
        newest = Table.grid(padding=(0, 2), expand=True)
        newest.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        newest.add_column(no_wrap=True)
        newest.add_column(no_wrap=True)
        newest.add_column(no_wrap=True)
        for model in inventory.newest(8):
            newest.add_row(
                one_line(model.name or model.id),
                Text(one_line(model.version, limit=16), style="cyan"),
                or_unknown(date_text, model.created),
                status_text(model.status),
            )
        self.query_one("#ov-newest", Static).update(newest if inventory.models else Text("-"))
        self.query_one("#ov-connection", FieldList).show(self.connection_rows())

    @staticmethod
    def shared_names(shared: list[Model], show: int = 3) -> str:
        """The first few shared models, and how many more (the count above is all of them)."""
        names = ", ".join(one_line(m.name or m.id, limit=40) for m in shared[:show])
        more = len(shared) - show
        return f"{names} +{more:,} more" if more > 0 else names or "-"

    @staticmethod
    def format_counts(formats: dict[str, int], show: int = 6) -> str:
        items = sorted(formats.items(), key=lambda item: (-item[1], item[0]))
        text = ", ".join(f"{one_line(k, limit=20)} {v:,}" for k, v in items[:show])
        more = len(items) - show
        return f"{text} +{more:,} more" if more > 0 else text or "-"

    def connection_rows(self) -> list[tuple[str, str | Text]]:
        session = self.session
        records = self.host.request_log.records()
        answered = [r.latency_ms for r in records if r.status is not None]
        errors = sum(1 for r in records if r.error_code or r.status is None)
        return [
            ("Profile", one_line(f"{session.profile}  ({session.origin})")),
            ("Base URL", one_line(session.base_url)),
            ("Project", one_line(session.project)),
            ("API key", session.masked_key),
            ("Requests", f"{len(records):,} this session, {errors:,} failed"),
            ("Median latency", f"{median(answered):.0f} ms" if answered else "-"),
        ]
