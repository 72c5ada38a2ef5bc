"""Snapshots of revalidation and versions: the Jobs screen running and finished, a row under
watch, the version timeline and its forms (120x40 and 80x24).

Times are frozen: the jobs store runs on a ManualClock (monotonic and wall clock) that moves
only when a scenario moves it, so elapsed times, the status history and the toasts read the
same on every run. The snapshot sandbox validates for a day unless a scenario shortens it
(`/_sandbox/settings`; the reset before each test restores it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from snapshot_helpers import FROZEN_EPOCH, app_on
from textual.pilot import Pilot

from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.models import ModelsScreen

Snap = Callable[..., bool]
START = 5_000.0
HEALTHY = "phi-3.5-mini-instruct"
BROKEN = "smollm2-1.7b-instruct"
ACME = "acme-support-llama-3.1-8b"


class ManualClock:
    """The jobs store's clocks, frozen until `advance`."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def wall(self) -> float:
        return FROZEN_EPOCH + (self.now - START)

    def advance(self, seconds: float) -> None:
        self.now += seconds


def frozen_app(info: SandboxInfo) -> tuple[XeroApp, ManualClock]:
    app = app_on(info)
    clock = ManualClock()
    app.jobs.clock, app.jobs.wall = clock, clock.wall
    return app, clock


async def models(pilot: Pilot[Any]) -> ModelsScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ModelsScreen)
    return screen


async def revalidate(pilot: Pilot[Any], name: str) -> str:
    """`r` on the row of `name`; returns the model id once its watch exists."""
    app = pilot.app
    assert isinstance(app, XeroApp)
    screen = await models(pilot)
    model_id = next(m.id for m in screen.view if m.name == name)
    row = screen.table.row_of(model_id)
    assert row is not None
    screen.table.move_cursor(row)
    await pilot.pause()
    await pilot.press("r")
    await until(pilot, lambda: app.jobs.get(model_id) is not None)
    return model_id


async def until(pilot: Pilot[Any], condition: Callable[[], bool], seconds: float = 30) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {condition}")


async def server_status(info: SandboxInfo, model_id: str) -> str:
    headers = {"Authorization": f"Bearer {info.api_key}"}
    async with httpx.AsyncClient(base_url=info.base_url, headers=headers) as http:
        answer = await http.get(f"/models/{model_id}", params={"extended": "true"})
        status: str = answer.json()["status"]
        return status


async def fast_validation(info: SandboxInfo) -> None:
    async with httpx.AsyncClient(base_url=info.root_url) as http:
        response = await http.post("/_sandbox/settings", json={"validation_seconds": 0.3})
        response.raise_for_status()


class TestJobs:
    def test_running(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        app, _clock = frozen_app(snap_sandbox)

        async def run(pilot: Pilot[Any]) -> None:
            await revalidate(pilot, HEALTHY)
            await revalidate(pilot, ACME)
            await pilot.press("g", "j")
            pilot.app.clear_notifications()

        assert snap(app, "jobs-running", run_before=run)

    def test_running_80x24(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        app, _clock = frozen_app(snap_sandbox)

        async def run(pilot: Pilot[Any]) -> None:
            await revalidate(pilot, HEALTHY)
            await pilot.press("g", "j")
            pilot.app.clear_notifications()

        assert snap(app, "jobs-80x24", size=(80, 24), run_before=run)

    def test_finished(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        """One ready and one failed, 42 s after they started; the toast of the last one."""
        app, clock = frozen_app(snap_sandbox)

        async def run(pilot: Pilot[Any]) -> None:
            await fast_validation(snap_sandbox)
            ids = [await revalidate(pilot, name) for name in (BROKEN, HEALTHY)]
            for model_id in ids:  # the server is done (real time); then 42 s pass here
                while await server_status(snap_sandbox, model_id) == "validating":
                    await pilot.pause(0.1)
            clock.advance(42)
            await until(pilot, lambda: not app.jobs.running())
            await pilot.press("g", "j")
            pilot.app.clear_notifications()

        assert snap(app, "jobs-finished", run_before=run)

    def test_row_under_watch(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        app, _clock = frozen_app(snap_sandbox)

        async def run(pilot: Pilot[Any]) -> None:
            await revalidate(pilot, HEALTHY)
            pilot.app.clear_notifications()
            await pilot.pause()

        assert snap(app, "models-under-watch", run_before=run)


async def open_versions(pilot: Pilot[Any], name: str = ACME) -> None:
    screen = await models(pilot)
    model_id = next(m.id for m in screen.view if m.name == name)
    row = screen.table.row_of(model_id)
    assert row is not None
    screen.table.move_cursor(row)
    await pilot.pause()
    await pilot.press("v")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


class TestVersions:
    def test_timeline(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        assert snap(app_on(snap_sandbox), "versions", run_before=open_versions)

    def test_timeline_80x24(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        assert snap(app_on(snap_sandbox), "versions-80x24", size=(80, 24), run_before=open_versions)

    def test_create_form(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await open_versions(pilot)
            await pilot.press("c", *"v2.2.0")

        assert snap(app_on(snap_sandbox), "version-create", run_before=run)

    def test_create_form_80x24(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await open_versions(pilot)
            await pilot.press("c", *"2.2.0", "tab", *"Shorter answers")

        assert snap(app_on(snap_sandbox), "version-create-80x24", size=(80, 24), run_before=run)

    def test_rollback_form(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await open_versions(pilot)
            await pilot.press("b")

        assert snap(app_on(snap_sandbox), "version-rollback", run_before=run)

    def test_rollback_confirm(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await open_versions(pilot)
            await pilot.press("b", "down", "enter")

        assert snap(app_on(snap_sandbox), "version-rollback-confirm", run_before=run)
