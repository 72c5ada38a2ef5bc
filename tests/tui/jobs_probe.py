"""Helpers for the Jobs and Versions tests: sandbox timings, seed models by name, watches."""

from __future__ import annotations

from typing import Any

import httpx
from textual.pilot import Pilot
from tui_helpers import server_models, wait_until
from tui_probe import grid_cell, highlight

from xerotui.api.watch_state import PollPolicy, Watch
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.models import ModelsScreen

FAST = PollPolicy(first=0.2, cap=1.0)
"""Polls for tests: the sandbox validates in 0.4 s here."""
BOUND = 30.0
"""Seconds any wait may take (a shared, busy machine)."""
HEALTHY = (
    "e5-mistral-7b-instruct",
    "phi-3.5-mini-instruct",
    "mistral-7b-instruct-v0.3",
    "qwen2.5-7b-instruct",
    "llama-guard-3-8b",
)
"""Seed models in `ready` whose files are fine: revalidation ends `ready`."""
BROKEN = "smollm2-1.7b-instruct"
"""A seed model in `ready` whose files are broken: revalidation ends `failed`."""


async def set_timings(info: SandboxInfo, **values: float) -> None:
    """`/_sandbox/settings`, e.g. validation_seconds=120 (a reset restores them)."""
    async with httpx.AsyncClient(base_url=info.root_url, timeout=30) as http:
        (await http.post("/_sandbox/settings", json=values)).raise_for_status()


async def ids_by_name(info: SandboxInfo) -> dict[str, str]:
    return {m["name"]: m["id"] for m in await server_models(info)}


def fast(app: XeroApp) -> XeroApp:
    """Poll quickly (before the first watch makes the watcher)."""
    app.jobs.policy = FAST
    return app


def models_screen(app: XeroApp) -> ModelsScreen:
    screen = app.screen
    assert isinstance(screen, ModelsScreen), app.screen_stack
    return screen


def cell(app: XeroApp, model_id: str, column: str) -> str:
    """The plain text of one cell of the models table, as drawn."""
    return grid_cell(models_screen(app).table, model_id, column)


async def revalidate_row(pilot: Pilot[Any], model_id: str) -> Watch:
    """Highlight a model in the table, press r, return its watch once it exists."""
    app = pilot.app
    assert isinstance(app, XeroApp)
    await highlight(pilot, model_id)
    await pilot.press("r")
    await wait_until(
        pilot, lambda: app.jobs.get(model_id) is not None, seconds=BOUND, what="the watch"
    )
    watch = app.jobs.get(model_id)
    assert watch is not None
    return watch


async def ended(pilot: Pilot[Any], watch: Watch) -> None:
    await wait_until(pilot, lambda: not watch.running, seconds=BOUND, what=f"{watch} to end")
