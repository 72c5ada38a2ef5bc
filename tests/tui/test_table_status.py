"""The status line under the table: the load's bar is there only while a load runs, and a
load that starts again before the last one's bar is gone gets one bar, not an error."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import ProgressBar, Static

from xerotui.tui.widgets.table_status import TableInfo, TableStatus


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield TableStatus(id="table-status")


def loading(loaded: int | None, expected: int | None = 300) -> TableInfo:
    return TableInfo(1, 20, 100, 100, loaded=loaded, expected=expected if loaded else None)


def hint(app: Host) -> str:
    return str(app.query_one("#hint", Static).render())


async def test_a_load_that_starts_again_at_once_has_one_bar() -> None:
    app = Host()
    async with app.run_test() as pilot:
        status = app.query_one(TableStatus)
        assert not app.query(ProgressBar)
        status.show(loading(100))
        await pilot.pause()
        assert len(app.query(ProgressBar)) == 1
        assert hint(app) == "loading 100/300"
        # done, and a reload at once: the old bar is still being removed in this tick
        status.show(loading(None))
        status.show(loading(100))
        status.show(loading(None))
        status.show(loading(200))
        await pilot.pause()
        bars = list(app.query(ProgressBar))
        assert len(bars) == 1
        assert (bars[0].progress, bars[0].total) == (200, 300)
        assert hint(app) == "loading 200/300"
        status.show(loading(None))
        await pilot.pause()
        assert not app.query(ProgressBar)
        assert hint(app) == ""
