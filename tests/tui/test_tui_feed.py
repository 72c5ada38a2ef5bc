"""One loader for the model list: a profile switch, consistent screens, a cheap refresh."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from tui_helpers import (
    MakeApp,
    build_app,
    current_screen,
    loaded,
    server_models,
    settle,
    wait_until,
)
from tui_probe import delete_model, no_pending_jobs, open_detail, sandbox_http

from xerotui.config.settings import Settings
from xerotui.launcher import SandboxInfo, SandboxProcess
from xerotui.tui import heap, model_feed
from xerotui.tui.screens.base import XeroScreen
from xerotui.tui.screens.model_detail import ModelDetailScreen
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.screens.overview import OverviewScreen

SIZE = (120, 40)


def ids(screen: ModelsScreen) -> list[str]:
    return [m.id for m in screen.table.models]


async def test_switching_to_another_project_leaves_nothing_of_the_old_one(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    demo = await server_models(sandbox)
    other_info = SandboxInfo(
        base_url=sandbox.base_url.replace("/proj_demo/", "/proj_other/"),
        api_key=sandbox.other_api_key,
        admin_api_key=sandbox.other_api_key,
        other_api_key=sandbox.api_key,
    )
    other = await server_models(other_info)
    assert other
    assert not {m["id"] for m in other} & {m["id"] for m in demo}
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_detail(pilot, demo[1]["id"])  # a detail of proj_demo is open
        old_client = app.session.client if app.session else None
        session = app.opener.open(
            other_info.base_url, other_info.api_key, profile="other", origin="test"
        )
        await app.connect(session).wait()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelsScreen)  # the old detail did not survive
        assert not any(isinstance(s, ModelDetailScreen) for s in app.screen_stack)
        assert ids(screen) == [m["id"] for m in other]
        assert app.feed.highlighted in {m["id"] for m in other}
        await pilot.press("g", "o")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert len(app.session.inventory if app.session else []) == len(other)
        # nothing of the old session failed while it was being replaced
        assert all(r.status is not None for r in app.request_log.records())
        assert old_client is not None
        with pytest.raises(RuntimeError):  # closed: it cannot send anything any more
            await old_client.list_models(limit=1)


async def test_a_refresh_on_the_overview_also_updates_the_table(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        models = app.screen
        assert isinstance(models, ModelsScreen)
        gone = ids(models)[0]
        await delete_model(sandbox, gone)
        await pilot.press("g", "o", "ctrl+r")
        await settle(pilot)
        await pilot.press("g", "l")
        await settle(pilot)
        assert gone not in ids(models)
        assert len(ids(models)) == len(await server_models(sandbox))
        assert current_screen(app) is models


@pytest.fixture(scope="module")
def two_page_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInfo]:
    """193 models (two pages) that this module may change."""
    db = tmp_path_factory.mktemp("two-pages") / "two.db"
    args = ["--seed-models", "150", "--validation-seconds", "0.4"]
    with SandboxProcess(db, extra_args=args) as info:
        yield info


async def test_the_periodic_refresh_of_a_big_project_reads_only_the_first_page(
    two_page_sandbox: SandboxInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """193 models count as "big" here: the light refresh must not page through everything."""
    sandbox = two_page_sandbox
    monkeypatch.setattr(model_feed, "FULL_RELOAD_UP_TO", 10)
    await no_pending_jobs(sandbox)
    app = build_app(sandbox, settings=Settings(refresh_interval=0.3))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)  # page one, then the rest a moment after the first frame
        models = app.screen
        assert isinstance(models, ModelsScreen)
        target = ids(models)[3]
        async with sandbox_http(sandbox) as http:
            (await http.post(f"/models/{target}/revalidate")).raise_for_status()
        before = len(app.request_log.records())
        await wait_until(
            pilot,
            lambda: target in models.table.flashing,
            what="the refresh to see the status change",
        )
        refresh = app.request_log.records()[before:]
        assert refresh
        assert {(r.method, r.endpoint_key) for r in refresh} == {("GET", "models.list")}
        assert all("offset=0" in r.query for r in refresh)  # never the second page
    assert not app.unexpected_errors


async def test_what_is_alive_after_the_first_load_is_frozen_and_handed_back_at_the_end(
    make_app: MakeApp,
) -> None:
    """The cyclic GC walks what came after the first load only (a full collection of the
    whole heap stalled a chat stream for 50-75 ms); a finished app leaves nothing frozen."""
    gc.unfreeze()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: app.feed.loaded_once, what="the first load")
        assert gc.get_freeze_count() > 0
        frozen = gc.get_freeze_count()
        await pilot.press("g", "i")  # the chat pane: its modules join the frozen part
        await wait_until(pilot, lambda: gc.get_freeze_count() > frozen, what="a second freeze")
    assert gc.get_freeze_count() == 0


async def test_the_start_holds_the_cyclic_gc_until_the_first_frame(make_app: MakeApp) -> None:
    """`xerotui` stops the cyclic GC before its imports (heap.hold); the app's first frame
    turns it back on, freezing what the start made instead of walking it."""
    gc.unfreeze()
    heap.hold()
    try:
        app = make_app()
        assert not gc.isenabled()
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, gc.isenabled, what="the collector back on")
            assert gc.get_freeze_count() > 0
            await loaded(pilot)
    finally:
        heap.release()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


async def test_a_screen_repaints_every_widget_once_on_its_first_layout(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first screen's first frame is drawn while Textual mounts the app and never
    written: its first layout repaints every widget so the next frame carries all of it."""
    calls: list[str] = []
    real = XeroScreen.repaint

    def counting(self: XeroScreen) -> None:
        calls.append(type(self).__name__)
        real(self)

    monkeypatch.setattr(XeroScreen, "repaint", counting)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert calls == ["ModelsScreen"]
        await pilot.resize_terminal(90, 30)
        await settle(pilot)
        assert calls == ["ModelsScreen"]  # once: a resize later is a resize
        await pilot.press("g", "j")
        await wait_until(pilot, lambda: len(calls) == 2, what="the jobs screen's first layout")
        assert calls == ["ModelsScreen", "JobsScreen"]
    assert not app.unexpected_errors
