"""Snapshots of the model actions (issue 8): the edit form, its field error and its diff,
the delete confirmations, a bulk result, the catalog panel, probe, capabilities,
recommendations and a dry-run preview."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from snapshot_helpers import app_on
from textual.pilot import Pilot
from textual.widgets import Input, Select

from xerotui.launcher import SandboxInfo
from xerotui.tui.screens.bulk_result import BulkResultScreen
from xerotui.tui.screens.models import ModelsScreen

Snap = Callable[..., bool]


async def highlight(pilot: Pilot[Any], name: str) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ModelsScreen)
    index = next(i for i, m in enumerate(screen.view) if m.name == name)
    screen.table.move_cursor(index)
    await pilot.pause()


async def edit_form(pilot: Pilot[Any]) -> None:
    await highlight(pilot, "qwen3-8b")
    await pilot.press("e")
    await pilot.pause()


async def until(pilot: Pilot[Any], condition: Callable[[], bool]) -> None:
    for _ in range(400):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out")


class TestEdit:
    def test_edit_form(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        assert snap(app_on(snap_sandbox), "edit-form", run_before=edit_form)

    def test_edit_field_error(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await edit_form(pilot)
            field = pilot.app.screen.query_one("#field-context_length", Input)
            field.value = ""
            field.focus()
            await pilot.press("0")
            await pilot.pause()

        assert snap(app_on(snap_sandbox), "edit-form-error", run_before=run)

    def test_edit_diff(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await edit_form(pilot)
            pilot.app.screen.query_one("#field-description", Input).value = "Tuned for support"
            pilot.app.screen.query_one("#field-torch_dtype", Select).value = "float32"
            await pilot.press("ctrl+s")
            await pilot.pause()

        assert snap(app_on(snap_sandbox), "edit-form-diff", run_before=run)


class TestDelete:
    def test_confirm_one(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await highlight(pilot, "phi-4")
            await pilot.press("d")
            await pilot.pause()

        assert snap(app_on(snap_sandbox), "delete-confirm", run_before=run)

    def test_confirm_several_needs_the_count(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await highlight(pilot, "phi-4")
            await pilot.press("space", "space", "space", "d")
            await pilot.pause()

        assert snap(app_on(snap_sandbox), "delete-confirm-bulk", run_before=run)

    def test_bulk_result(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await highlight(pilot, "phi-4")
            screen = pilot.app.screen
            assert isinstance(screen, ModelsScreen)
            failing = screen.view[screen.table.cursor_row + 1].id
            async with httpx.AsyncClient(base_url=snap_sandbox.root_url) as http:
                faults = {"fail_next": 1, "error_status": 500, "path_contains": failing}
                (await http.post("/_sandbox/faults", json=faults)).raise_for_status()
            await pilot.press("space", "space", "space", "d")
            await pilot.pause()
            pilot.app.screen.query_one("#confirm-typed", Input).focus()
            await pilot.press("3", "enter")
            await until(
                pilot,
                lambda: isinstance(pilot.app.screen, BulkResultScreen) and pilot.app.screen.done,
            )
            pilot.app.clear_notifications()

        assert snap(app_on(snap_sandbox), "delete-bulk-result", run_before=run)


class TestCatalogAndMore:
    def test_catalog_panel(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await highlight(pilot, "mistral-7b-instruct-v0.3")
            await pilot.press("g", "c")
            await pilot.app.workers.wait_for_complete()

        assert snap(app_on(snap_sandbox), "catalog", run_before=run)

    def test_probe(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await highlight(pilot, "mixtral-8x7b-instruct-v0.1")
            await pilot.press("g", "p")
            await pilot.app.workers.wait_for_complete()

        assert snap(app_on(snap_sandbox), "probe", run_before=run)

    def test_probe_not_available(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            async with httpx.AsyncClient(base_url=snap_sandbox.root_url) as http:
                faults = {"probe_disabled": True}
                (await http.post("/_sandbox/faults", json=faults)).raise_for_status()
            await highlight(pilot, "mixtral-8x7b-instruct-v0.1")
            await pilot.press("g", "p")
            await pilot.app.workers.wait_for_complete()

        assert snap(app_on(snap_sandbox), "probe-501", run_before=run)

    def test_capabilities(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await highlight(pilot, "mixtral-8x7b-instruct-v0.1")
            await pilot.press("g", "k")
            await pilot.pause()

        assert snap(app_on(snap_sandbox), "capabilities", run_before=run)

    def test_recommendations(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await highlight(pilot, "phi-4")
            await pilot.press("g", "w")
            await pilot.pause()
            await pilot.press(*"ws_0123456789abcdef", "enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

        assert snap(app_on(snap_sandbox), "recommendations", run_before=run)

    def test_dry_run_preview(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await highlight(pilot, "phi-4")
            await pilot.press("g", "s")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

        assert snap(app_on(snap_sandbox, dry_run=True), "dry-run-preview", run_before=run)
