"""The models table against the sandbox: fill, filter, sort, wide, marks, refresh, copy."""

from __future__ import annotations

import httpx
from textual import events
from tui_helpers import MakeApp, current_screen, server_models, settle, wait_until
from tui_probe import grid_cell, grid_ids

from xerotui.config.settings import Settings
from xerotui.launcher import SandboxInfo
from xerotui.tui.screens.model_detail import ModelDetailScreen
from xerotui.tui.screens.models import ModelsScreen

MARK = "mark"


def row_ids(screen: ModelsScreen) -> list[str]:
    return grid_ids(screen.table)


def cell(screen: ModelsScreen, model_id: str, column: str) -> str:
    return grid_cell(screen.table, model_id, column)


def columns(screen: ModelsScreen) -> list[str]:
    layout = screen.table.layout_now
    assert layout is not None
    return layout.keys


async def test_table_holds_every_model_in_server_order(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        assert row_ids(screen) == [m["id"] for m in truth]
        first = truth[0]
        assert cell(screen, first["id"], "name") == first["name"]
        assert cell(screen, first["id"], "size") == first["size_formatted"]
        assert cell(screen, first["id"], "status").endswith(first["status"])
        assert [m.name for m in screen.table.markers] == [MARK, "watch"]
        assert columns(screen) == [
            "id",
            "name",
            "format",
            "size",
            "status",
            "version",
            "shared",
        ]


async def test_wide_toggles_the_extra_columns_and_is_remembered(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        keys = columns(screen)
        assert keys[-5:] == ["architecture", "quantization", "context", "parameters", "created"]
        assert app.settings.wide_columns is True
        await pilot.press("w")
        assert "architecture" not in columns(screen)


async def test_filter_matches_name_id_architecture_status_quantization(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        await pilot.press("slash", *"QWEN")
        expected = [
            m["id"]
            for m in truth
            if any(
                "qwen" in str(m.get(f, "")).lower()
                for f in ("name", "id", "architecture", "status", "quantization")
            )
        ]
        assert expected
        assert row_ids(screen) == expected
        await pilot.press("enter")
        assert screen.table.has_focus
        assert screen.query_one("#filter").display  # the filter stays visible while active
        await pilot.press("escape")
        assert row_ids(screen) == [m["id"] for m in truth]
        # a status filter
        await pilot.press("slash", *"failed", "enter")
        assert row_ids(screen) == [m["id"] for m in truth if m["status"] == "failed"]


async def test_sort_keys_and_reverse(make_app: MakeApp, sandbox: SandboxInfo) -> None:
    truth = await server_models(sandbox)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        await pilot.press("s")  # first visible column: id, ascending
        assert row_ids(screen) == sorted(m["id"] for m in truth)
        await pilot.press("s")  # name
        names = [cell(screen, mid, "name") for mid in row_ids(screen)]
        assert names == sorted(names, key=str.lower)
        await pilot.press("S")
        names = [cell(screen, mid, "name") for mid in row_ids(screen)]
        assert names == sorted(names, key=str.lower, reverse=True)
        screen.sort_by("size")
        await pilot.pause()
        sizes = {m["id"]: m["size_bytes"] for m in truth}
        shown = [sizes[mid] for mid in row_ids(screen)]
        assert shown == sorted(shown, reverse=True)  # numbers sort largest first


async def test_header_click_sorts_by_that_column(make_app: MakeApp, sandbox: SandboxInfo) -> None:
    truth = await server_models(sandbox)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        table = screen.table
        layout = table.layout_now
        assert layout is not None
        x = next(p.start for p in layout.columns if p.column.key == "status")
        await pilot.click(table, offset=(x + 2, 0))
        await pilot.pause()
        assert screen.sort == "status"
        statuses = {m["id"]: m["status"] for m in truth}
        shown = [statuses[mid] for mid in row_ids(screen)]
        assert shown == sorted(shown)
        await pilot.click(table, offset=(x + 2, 0))
        await pilot.pause()
        assert screen.descending is True


async def test_marks_toggle_mark_all_and_survive_refresh(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        first, second = row_ids(screen)[:2]
        await pilot.press("space", "space")
        assert screen.marks == {first, second}
        assert cell(screen, first, MARK) == "●"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.marks == {first, second}
        assert cell(screen, second, MARK) == "●"
        await pilot.press("a")
        assert screen.marks == set(row_ids(screen))
        await pilot.press("a")
        assert screen.marks == set()


async def test_refresh_keeps_the_cursor_on_the_same_model(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        await pilot.press("down", "down", "down", "down", "down")
        chosen = screen.table.highlighted_id
        above = row_ids(screen)[0]
        # the server loses a model above the cursor: the cursor must follow the model
        async with httpx.AsyncClient(
            base_url=sandbox.base_url, headers={"Authorization": f"Bearer {sandbox.api_key}"}
        ) as http:
            (await http.delete(f"/models/{above}")).raise_for_status()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert above not in row_ids(screen)
        assert screen.table.highlighted_id == chosen
        assert app.feed.highlighted == chosen


async def test_copy_id_and_curl_with_the_key_masked(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        model_id = screen.table.highlighted_id
        assert model_id
        await pilot.press("y")
        assert app.clipboard == model_id
        await pilot.press("Y")
        assert app.clipboard.startswith("curl ")
        assert f"{sandbox.base_url}/models/{model_id}?extended=true" in app.clipboard
        assert sandbox.api_key not in app.clipboard
        assert "xero_proj_demo_••••" in app.clipboard


async def test_enter_opens_the_detail_of_the_highlighted_model(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        await pilot.press("down", "down")
        chosen = screen.table.highlighted_id
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ModelDetailScreen)
        assert app.screen.model_id == chosen
        await pilot.press("escape")
        assert current_screen(app) is screen


async def test_periodic_refresh_shows_a_status_change_highlighted(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app(settings=Settings(refresh_interval=0.3))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        ready = next(m for m in await server_models(sandbox) if m["status"] == "ready")
        async with httpx.AsyncClient(
            base_url=sandbox.base_url, headers={"Authorization": f"Bearer {sandbox.api_key}"}
        ) as http:
            (await http.post(f"/models/{ready['id']}/revalidate")).raise_for_status()
        await wait_until(
            pilot,
            lambda: ready["id"] in screen.table.flashing,
            what="the periodic refresh to notice the status change",
        )
        status = cell(screen, ready["id"], "status")
        assert status.endswith(("validating", "ready"))


async def test_keys_typed_fast_after_slash_land_in_the_filter(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    """A terminal delivers `/llama` in one read: every letter must reach the filter."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        # Post the keys all at once, as one terminal read delivers them; Pilot itself waits
        # for each key, which would hide the race.
        for key, char in [("slash", "/"), ("l", "l"), ("l", "l"), ("a", "a"), ("m", "m")]:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert screen.query_text == "llam"
        assert screen.marks == set()  # `a` did not reach the table's "mark all"
