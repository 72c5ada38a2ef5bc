"""Scope table (`g t`): every endpoint, its method, path, auth, and what the server answered."""

from __future__ import annotations

import re
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import MakeApp, server_models, settle
from tui_probe import SIZE, delete_model, open_detail, plain, set_faults, table_rows

from xerotui.api.endpoints import ADMIN_KEY, ENDPOINTS
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.api_log import ApiLogScreen
from xerotui.tui.screens.scope import ScopeScreen


def scope_rows(screen: ScopeScreen) -> dict[str, dict[str, str]]:
    """endpoint key -> {column key: painted text}, in table order."""
    table = screen.table
    columns = [str(c.key.value) for c in table.ordered_columns]
    keys = [str(row.key.value) for row in table.ordered_rows]
    return {
        key: dict(zip(columns, cells, strict=True))
        for key, cells in zip(keys, table_rows(table), strict=True)
    }


async def go_scope(app: XeroApp, pilot: Pilot[Any]) -> ScopeScreen:
    await pilot.press("g", "t")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ScopeScreen)
    return screen


def assert_answered(row: dict[str, str], status: str) -> None:
    assert row["last"] == status
    assert re.fullmatch(r"\d\d:\d\d:\d\d", row["when"]), row
    assert row["ms"].strip().isdigit(), row


async def test_every_endpoint_is_listed_and_untried_ones_say_so(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await go_scope(app, pilot)
        shown = scope_rows(screen)
        assert list(shown) == [e.key for e in ENDPOINTS]
        for endpoint in ENDPOINTS:
            row = shown[endpoint.key]
            assert row["method"] == endpoint.method
            assert row["path"] == endpoint.path
            assert row["auth"] == ("admin key" if endpoint.auth == ADMIN_KEY else "project key")
            assert row["source"] == ("docs" if endpoint.source == "seed" else "decided")
        # the only request so far listed the models
        assert_answered(shown["models.list"], "200")
        for key, row in shown.items():
            if key != "models.list":
                assert (row["last"], row["when"], row["ms"]) == ("not tried", "", ""), key
        # the first twelve rows are the docs' scope table
        assert [e.source for e in ENDPOINTS[:12]] == ["seed"] * 12


async def test_a_detail_and_a_404_update_models_get_live(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await go_scope(app, pilot)  # mounted first: it must follow the log live
        assert scope_rows(screen)["models.get"]["last"] == "not tried"
        await pilot.press("g", "l")
        await settle(pilot)
        detail = await open_detail(pilot, truth[2]["id"])
        assert (await go_scope(app, pilot)) is screen
        assert_answered(scope_rows(screen)["models.get"], "200")
        # the server loses the model: reloading the detail gets a 404
        await delete_model(sandbox, truth[2]["id"])
        await pilot.press("g", "d")
        await settle(pilot)
        assert app.screen is not detail  # a fresh detail screen, loading again
        await go_scope(app, pilot)
        assert_answered(scope_rows(screen)["models.get"], "404 model_not_found")
        assert scope_rows(screen)["models.list"]["last"] == "200"


async def test_a_server_error_on_the_list_shows_its_status_and_code(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await set_faults(sandbox, fail_next=1, error_status=500, methods=["GET"])
        await pilot.press("ctrl+r")  # refresh the table: the list request fails
        await settle(pilot)
        screen = await go_scope(app, pilot)
        assert_answered(scope_rows(screen)["models.list"], "500 internal_error")
        await pilot.press("g", "l", "ctrl+r")  # and the next one works again
        await settle(pilot)
        await go_scope(app, pilot)
        assert scope_rows(screen)["models.list"]["last"] == "200"


async def test_enter_opens_the_log_filtered_to_that_endpoint(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_detail(pilot, truth[0]["id"])
        await pilot.press("escape")
        await open_detail(pilot, truth[1]["id"])
        screen = await go_scope(app, pilot)
        index = [e.key for e in ENDPOINTS].index("models.get")
        screen.table.move_cursor(row=index)
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        log = app.screen
        assert isinstance(log, ApiLogScreen)
        assert log.query_one("#log-filter", Input).value == "models.get"
        paths = [plain(cell) for cell in log.table.get_column("path")]
        assert paths == [f"/v1/models/{m['id']}?extended=true" for m in truth[:2]]
        assert len(app.request_log) == 3  # the list request is there, filtered out
