"""SVG snapshots of every screen state worth seeing, at 120x40 (and the table at 80x24).

The same scenarios make the README's screenshots: `make screenshots` runs this file with
`--screenshots screenshots`. Update the baselines with `make snapshots-update` after
looking at the differences (`snapshot_report.html`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from snapshot_helpers import app_on, freeze_log
from textual.pilot import Pilot
from textual.widgets import Input

from xerotui.api.client import XeroClient
from xerotui.api.requestlog import RequestLog
from xerotui.config.settings import Settings
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.api_log import ApiLogScreen
from xerotui.tui.screens.error_screen import ErrorScreen
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.screens.overview import OverviewScreen
from xerotui.tui.screens.scope import ScopeScreen
from xerotui.tui.session import Session, SessionOpener

Snap = Callable[..., bool]
LONG_DESCRIPTION = "acme-support-llama-3.1-8b"
PROD_KEY = "xero_proj_demo_sandbox-member-key"


async def models_screen(pilot: Pilot[Any]) -> ModelsScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ModelsScreen)
    return screen


async def highlight(pilot: Pilot[Any], name: str) -> None:
    screen = await models_screen(pilot)
    index = next(i for i, m in enumerate(screen.view) if m.name == name)
    screen.table.move_cursor(index)
    await pilot.pause()


class TestModels:
    def test_table(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        assert snap(app_on(snap_sandbox), "models", run_before=models_screen)

    def test_table_80x24(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        assert snap(app_on(snap_sandbox), "models-80x24", size=(80, 24), run_before=models_screen)

    def test_wide(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await models_screen(pilot)
            await pilot.press("down", "down", "w")  # the five wide columns, Name frozen

        assert snap(app_on(snap_sandbox), "models-wide", run_before=run)

    def test_wide_80x24(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await models_screen(pilot)
            await pilot.press("w")

        assert snap(app_on(snap_sandbox), "models-wide-80x24", size=(80, 24), run_before=run)

    def test_field_filter(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await models_screen(pilot)
            await pilot.press("slash", *"format:safetensors", "space", *"size>20GB", "enter")

        assert snap(app_on(snap_sandbox), "models-field-filter", run_before=run)

    def test_bad_filter(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await models_screen(pilot)
            await pilot.press("slash", *"qwen")
            screen = await models_screen(pilot)
            screen.query_one("#filter", Input).insert_text_at_cursor(" size>lots")
            await pilot.pause()

        assert snap(app_on(snap_sandbox), "models-bad-filter", run_before=run)

    def test_filtered(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await models_screen(pilot)
            await pilot.press("slash", *"qwen")

        assert snap(app_on(snap_sandbox), "models-filter", run_before=run)

    def test_marked_and_sorted_by_size(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            screen = await models_screen(pilot)
            screen.sort_by("size")
            await pilot.press("space", "space", "down", "space")

        assert snap(app_on(snap_sandbox), "models-marked-sorted", run_before=run)

    def test_which_key(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await models_screen(pilot)
            await pilot.press("g")

        assert snap(app_on(snap_sandbox), "which-key", run_before=run)

    def test_help(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await models_screen(pilot)
            await pilot.press("question_mark")

        assert snap(app_on(snap_sandbox), "help", run_before=run)

    def test_command_palette(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await models_screen(pilot)
            await pilot.press("ctrl+p", *"sort by")
            await pilot.pause(0.3)

        assert snap(app_on(snap_sandbox), "command-palette", run_before=run)


class TestDetail:
    def test_detail(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await highlight(pilot, "mixtral-8x7b-instruct-v0.1")
            await pilot.press("enter")

        assert snap(app_on(snap_sandbox), "detail", run_before=run)

    def test_description_cut_and_full(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await highlight(pilot, LONG_DESCRIPTION)
            await pilot.press("enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.press("f")

        assert snap(app_on(snap_sandbox), "detail-full-description", run_before=run)

    def test_json(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await highlight(pilot, "mixtral-8x7b-instruct-v0.1")
            await pilot.press("enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.press("j")

        assert snap(app_on(snap_sandbox), "detail-json", run_before=run)


class TestScreens:
    def test_overview(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await models_screen(pilot)
            await pilot.press("g", "o")
            await pilot.app.workers.wait_for_complete()
            freeze_log(pilot.app)  # type: ignore[arg-type]
            screen = pilot.app.screen
            assert isinstance(screen, OverviewScreen)
            screen.redraw()

        assert snap(app_on(snap_sandbox), "overview", run_before=run)

    def test_api_log_with_an_error(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await highlight(pilot, "phi-4")
            screen = await models_screen(pilot)
            gone = screen.table.highlighted_id
            headers = {"Authorization": f"Bearer {snap_sandbox.api_key}"}
            async with httpx.AsyncClient(base_url=snap_sandbox.base_url, headers=headers) as http:
                (await http.delete(f"/models/{gone}")).raise_for_status()
            await pilot.press("enter")  # the detail of a model the server no longer has: 404
            await pilot.app.workers.wait_for_complete()
            await pilot.press("escape", "g", "e")
            pilot.app.clear_notifications()  # the toast carries the server's random request id
            freeze_log(pilot.app)  # type: ignore[arg-type]
            log = pilot.app.screen
            assert isinstance(log, ApiLogScreen)
            log.rebuild()

        assert snap(app_on(snap_sandbox), "api-log", run_before=run)

    def test_scope(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await highlight(pilot, "phi-4")
            await pilot.press("enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.press("g", "t")
            freeze_log(pilot.app)  # type: ignore[arg-type]
            assert isinstance(pilot.app.screen, ScopeScreen)

        assert snap(app_on(snap_sandbox), "scope", run_before=run)

    def test_connection(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        from xerotui.config import paths

        xeroctl = paths.xeroctl_config_file()
        xeroctl.parent.mkdir(parents=True, exist_ok=True)
        xeroctl.write_text(
            'current = "prod"\n'
            "[deployment.prod]\n"
            'base_url = "https://api.xerotier.ai/acme-prod/v1"\n'
            'api_key = "xero_acme-prod_0123456789abcdef"\n'
            "[deployment.staging]\n"
            'base_url = "https://staging.example/acme-stg/v1"\n'
            'api_key_keychain = "xeroctl-staging"\n'
        )

        async def run(pilot: Pilot[Any]) -> None:
            await models_screen(pilot)
            await pilot.press("g", "b")

        assert snap(app_on(snap_sandbox), "connection", run_before=run)


class TestStates:
    def test_first_run(self, snap: Snap) -> None:
        app = XeroApp(None, Settings())
        assert snap(app, "first-run")

    def test_unreachable_server(self, snap: Snap) -> None:
        log = RequestLog()
        # Port 9 (discard) on loopback: nothing listens there; one attempt, no retries.
        client = XeroClient("http://127.0.0.1:9/proj_demo/v1", PROD_KEY, max_attempts=1, log=log)
        session = Session(client, PROD_KEY, profile="prod", origin="profile prod")
        app = XeroApp(session, Settings(refresh_interval=0), opener=SessionOpener(log))
        assert snap(app, "connection-problem")

    def test_unexpected_error(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await models_screen(pilot)
            error = RuntimeError("the table lost its rows")
            trace = 'Traceback (most recent call last):\n  File "models.py", line 1\nRuntimeError'
            pilot.app.push_screen(ErrorScreen(error, trace, doing="Loading models"))

        assert snap(app_on(snap_sandbox), "error-modal", run_before=run)
