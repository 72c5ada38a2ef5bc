"""API log (`g e`): every request of the session, errors marked and filterable, live."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import MakeApp, server_models, settle, wait_until
from tui_probe import (
    REQUEST_ID,
    SIZE,
    panel_lines,
    set_faults,
    table_rows,
    wait_toast,
    widget_text,
)

from xerotui.api.masking import mask_key
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.api_log import ApiLogScreen

FAULT = {"error_status": 500, "methods": ["GET"], "path_contains": "/models/"}
COLUMNS = ["time", "method", "status", "ms", "code", "path", "request"]


def rows(screen: ApiLogScreen) -> list[dict[str, str]]:
    """The log table as painted cells, keyed by column key."""
    keys = [str(c.key.value) for c in screen.table.ordered_columns]
    assert keys == COLUMNS
    return [dict(zip(keys, row, strict=True)) for row in table_rows(screen.table)]


def detail_text(screen: ApiLogScreen) -> str:
    """The selected request's pane, frame removed, wrapped lines joined."""
    return "".join(line.strip() for line in panel_lines(screen.query_one("#log-detail")))


def detail_json(screen: ApiLogScreen) -> Any:
    """The error envelope as painted in the pane (from its first `{` line to the end)."""
    lines = panel_lines(screen.query_one("#log-detail"))
    start = next(i for i, line in enumerate(lines) if line.strip() == "{")
    return json.loads("\n".join(lines[start:]))


def summary(screen: ApiLogScreen) -> str:
    return widget_text(screen.query_one("#log-summary")).strip()


async def go_log(app: XeroApp, pilot: Pilot[Any]) -> ApiLogScreen:
    await pilot.press("g", "e")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ApiLogScreen)
    return screen


async def fail_one_detail(
    app: XeroApp, pilot: Pilot[Any], sandbox: SandboxInfo
) -> tuple[str, dict[str, Any]]:
    """Open the first model's detail while the server fails the next GET on a model.

    Returns the model id and the envelope the server sends for that fault — taken from the
    server by a request of the test's own (the fault answers two requests, the test's first).
    """
    await set_faults(sandbox, fail_next=2, **FAULT)
    model_id = app.feed.highlighted
    assert model_id
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers) as http:
        response = await http.get(f"/models/{model_id}")
        assert response.status_code == 500
        envelope = response.json()
    await pilot.press("enter")
    await settle(pilot)
    return model_id, envelope


async def test_the_initial_list_request_is_logged(make_app: MakeApp, sandbox: SandboxInfo) -> None:
    truth = await server_models(sandbox)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await go_log(app, pilot)
        shown = rows(screen)
        assert len(shown) == len(app.request_log) == 1  # 43 models: one page
        first = shown[0]
        assert first["method"] == "GET"
        assert first["status"] == "200"
        assert first["code"] == ""
        assert first["path"] == "/v1/models?limit=100&offset=0&extended=true"
        assert REQUEST_ID.match(first["request"])
        assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d{3}", first["time"])
        assert summary(screen) == "1 request  ·  0 errors"
        # the pane shows the selected (newest) request in full, key masked
        pane = detail_text(screen)
        assert f"request id {first['request']}" in pane
        assert f"{sandbox.base_url}/models?limit=100&offset=0&extended=true" in pane
        assert "endpoint models.list" in pane
        assert f"key {mask_key(sandbox.api_key)}" in pane
        assert sandbox.api_key not in pane
        assert len(truth) == 43


async def test_a_failed_request_is_marked_with_its_code_and_envelope(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        model_id, envelope = await fail_one_detail(app, pilot, sandbox)
        _, toast = await wait_toast(pilot, "Internal server error", severity="error")
        screen = await go_log(app, pilot)
        shown = rows(screen)
        assert len(shown) == 2
        failed = shown[-1]
        assert failed["method"] == "GET"
        assert failed["status"] == "500"
        assert failed["code"] == envelope["error"]["code"] == "internal_error"
        assert failed["path"] == f"/v1/models/{model_id}?extended=true"
        assert REQUEST_ID.match(failed["request"])
        assert f"request {failed['request']}" in toast  # the toast and the log agree
        # marked: the failed row is red, the good one is not
        cells = screen.table.get_row_at(1)
        path_cell = cells[COLUMNS.index("path")]
        assert isinstance(path_cell, Text)
        assert path_cell.style == "red"
        good_path = screen.table.get_row_at(0)[COLUMNS.index("path")]
        assert isinstance(good_path, Text)
        assert good_path.style == ""  # exactly unstyled, not merely "not red"
        assert summary(screen) == "2 requests  ·  1 error"
        # the newest row is selected: the pane shows the full envelope and the request id
        assert detail_json(screen) == envelope
        pane = detail_text(screen)
        assert f"request id {failed['request']}" in pane
        assert "endpoint models.get" in pane


async def test_e_shows_errors_only_and_slash_filters(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        model_id, _ = await fail_one_detail(app, pilot, sandbox)
        await pilot.press("escape")  # back to the table; open another detail that works
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = await go_log(app, pilot)
        assert [r["status"] for r in rows(screen)] == ["200", "500", "200"]
        await pilot.press("e")
        assert [r["status"] for r in rows(screen)] == ["500"]
        assert "showing errors only (e)" in summary(screen)
        await pilot.press("e")
        assert len(rows(screen)) == 3
        # `/` filters by any text: path, code, status, request id, endpoint
        await pilot.press("slash")
        field = screen.query_one("#log-filter", Input)
        assert field.has_focus
        await pilot.press(*"internal")
        assert [r["code"] for r in rows(screen)] == ["internal_error"]
        await pilot.press("enter")
        assert screen.table.has_focus
        assert "filter “internal”" in summary(screen)
        await pilot.press("escape")
        assert len(rows(screen)) == 3
        await pilot.press("slash")
        field.value = model_id[:8]  # pasted rather than typed, to keep the test short
        await pilot.press("enter")
        assert [r["path"] for r in rows(screen)] == [f"/v1/models/{model_id}?extended=true"]
        await pilot.press("escape", "slash")
        field.value = "models.list"  # the endpoint key
        await pilot.press("enter")
        assert [r["path"] for r in rows(screen)] == ["/v1/models?limit=100&offset=0&extended=true"]


async def test_selecting_a_row_shows_it_and_y_copies_its_request_id(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        _, envelope = await fail_one_detail(app, pilot, sandbox)
        screen = await go_log(app, pilot)
        shown = rows(screen)
        await pilot.press("up")  # the list request: no envelope
        pane = detail_text(screen)
        assert f"request id {shown[0]['request']}" in pane
        assert "{" not in pane
        await pilot.press("y")
        assert app.clipboard == shown[0]["request"]
        await wait_toast(pilot, f"Copied request id\n{shown[0]['request']}")
        await pilot.press("down")  # the failed request
        assert detail_json(screen) == envelope
        await pilot.press("y")
        assert app.clipboard == shown[1]["request"]


async def test_ctrl_l_clears_and_new_requests_appear_live(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await go_log(app, pilot)
        assert len(rows(screen)) == 1
        await pilot.press("ctrl+l")
        assert rows(screen) == []
        assert len(app.request_log) == 0
        assert summary(screen) == "0 requests  ·  0 errors"
        assert "Select a request" in detail_text(screen)
        # a request made by the session while the log is on screen shows up at once
        assert app.session is not None
        await app.session.client.get_model(truth[4]["id"])
        await wait_until(pilot, lambda: len(rows(screen)) == 1, what="the live row")
        live = rows(screen)[0]
        assert live["path"] == f"/v1/models/{truth[4]['id']}?extended=true"
        assert live["status"] == "200"
        await wait_until(  # the cursor follows the newest row; the pane shows it
            pilot,
            lambda: f"request id {live['request']}" in detail_text(screen),
            what="the pane to show the live request",
        )
        assert summary(screen) == "1 request  ·  0 errors"


async def test_the_log_table_never_holds_more_than_the_log(make_app: MakeApp) -> None:
    """A long session: rows the bounded request log has forgotten leave the table too."""
    from xerotui.api.requestlog import RequestLog
    from xerotui.tui.screens.api_log import ApiLogScreen

    app = make_app(log=RequestLog(maxlen=5))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g", "e")
        await settle(pilot)
        log = app.screen
        assert isinstance(log, ApiLogScreen)
        for _ in range(8):
            await pilot.press("g", "l", "ctrl+r")
            await settle(pilot)
        await pilot.press("g", "e")
        await settle(pilot)
        assert len(app.request_log) == 5
        assert log.table.row_count == 5
        assert log.shown == app.request_log.records()
