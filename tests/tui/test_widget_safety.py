"""Every widget of xerotui survives an exception in its own handler: the error modal shows,
and the widget goes on handling its messages (Textual alone ends a widget's message loop).

Each widget class runs alone in a small host app; a subclass adds a click handler that fails
on the first click only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.app import ComposeResult
from textual.events import Click
from textual.widget import Widget

from xerotui.tui.link import LinkState
from xerotui.tui.safety import SafeApp
from xerotui.tui.screens.error_screen import ErrorScreen
from xerotui.tui.widgets.field_list import FieldList
from xerotui.tui.widgets.filter_bar import FilterBar
from xerotui.tui.widgets.footer import XeroFooter
from xerotui.tui.widgets.jobs_table import JobsTable
from xerotui.tui.widgets.model_grid import ModelGrid
from xerotui.tui.widgets.profile_form import ProfileForm
from xerotui.tui.widgets.request_detail import RequestDetail
from xerotui.tui.widgets.status_bars import StatusBars
from xerotui.tui.widgets.status_header import StatusHeader
from xerotui.tui.widgets.table_status import TableInfo, TableStatus
from xerotui.tui.widgets.text_viewer import TextViewer
from xerotui.tui.widgets.version_timeline import VersionTimeline


class Planted(RuntimeError):
    pass


def fill(widget: Widget) -> None:
    """Give the widget something to show, as its screen would."""
    if isinstance(widget, FieldList):
        widget.show([("Name", "llama"), ("Status", "ready")])
    elif isinstance(widget, ModelGrid):
        widget.set_source([])
    elif isinstance(widget, RequestDetail):
        widget.show(None)
    elif isinstance(widget, StatusBars):
        widget.show({"ready": 3, "failed": 1})
    elif isinstance(widget, StatusHeader):
        widget.show_link(LinkState("connected", "demo", "proj_demo", "connected"))
    elif isinstance(widget, TableStatus):
        widget.show(TableInfo(first=1, last=3, matching=3, total=3))
    elif isinstance(widget, FilterBar):
        widget.open()
    elif isinstance(widget, JobsTable):
        widget.show([], 0.0, narrow=False)
    elif isinstance(widget, VersionTimeline):
        widget.show([], narrow=False)


WIDGETS: dict[str, tuple[type[Widget], tuple[Any, ...]]] = {
    "FieldList": (FieldList, ()),
    "FilterBar": (FilterBar, ()),
    "XeroFooter": (XeroFooter, ()),
    "ModelGrid": (ModelGrid, ()),
    "ProfileForm": (ProfileForm, ()),
    "RequestDetail": (RequestDetail, ()),
    "StatusBars": (StatusBars, ()),
    "StatusHeader": (StatusHeader, ("models",)),
    "TableStatus": (TableStatus, ()),
    "TextViewer": (TextViewer, ("line one\nline two",)),
    "JobsTable": (JobsTable, ()),
    "VersionTimeline": (VersionTimeline, ()),
}


def failing_once(cls: type[Widget], clicks: list[Click]) -> type[Widget]:
    """A subclass of `cls` that counts its clicks and fails on the first one."""

    def on_click(self: Widget, event: Click) -> None:
        clicks.append(event)
        if len(clicks) == 1:
            raise Planted(f"{cls.__name__} broke on its first click")

    return type(f"Failing{cls.__name__}", (cls,), {"on_click": on_click})


class HostApp(SafeApp):
    def __init__(self, make: Callable[[], Widget]) -> None:
        super().__init__()
        self.make = make

    def compose(self) -> ComposeResult:
        yield self.make()

    def on_mount(self) -> None:
        self.safety_net = True


@pytest.mark.parametrize("name", list(WIDGETS))
async def test_a_widget_keeps_handling_messages_after_its_handler_failed(name: str) -> None:
    cls, args = WIDGETS[name]
    clicks: list[Click] = []
    failing = failing_once(cls, clicks)
    app = HostApp(lambda: failing(*args))
    async with app.run_test(size=(100, 30)) as pilot:
        widget = app.screen.children[0]
        fill(widget)
        await pilot.pause()
        await pilot.click(widget)
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        assert [type(e) for e in app.unexpected_errors] == [Planted]
        await pilot.press("escape")
        assert not isinstance(app.screen, ErrorScreen)
        await pilot.click(widget)
        await pilot.click(widget)
        await pilot.pause()
        assert len(clicks) == 3  # the widget's message loop is still running
        assert len(app.unexpected_errors) == 1
        assert widget.is_attached
