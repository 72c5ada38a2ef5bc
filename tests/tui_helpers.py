"""Helpers for Pilot tests: wait for workers, poll a condition, read the server's truth."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button

from xerotui.api.requestlog import RequestLog
from xerotui.config.settings import Settings
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.session import SessionOpener

MakeApp = Callable[..., XeroApp]


def build_app(
    info: SandboxInfo,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    settings: Settings | None = None,
    animations: bool = False,
    log: RequestLog | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    dry_run: bool = False,
    read_only: bool = False,
) -> XeroApp:
    """The app as `xerotui --base-url ... --api-key ...` would build it."""
    opener = SessionOpener(
        log if log is not None else RequestLog(), dry_run=dry_run, read_only=read_only
    )
    session = opener.open(
        base_url or info.base_url,
        api_key or info.api_key,
        profile="test",
        origin="test fixture",
        transport=transport,
    )
    app = XeroApp(session, settings or Settings(refresh_interval=0), opener=opener)
    if not animations:
        app.animation_level = "none"
    return app


def current_screen(app: App[Any]) -> Screen[Any]:
    """The app's screen now (a fresh read: no narrowing left from an earlier isinstance)."""
    return app.screen


def current_focus(app: App[Any]) -> Widget | None:
    """The focused widget now (a fresh read, as current_screen)."""
    return app.focused


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until every worker has finished and the screen has caught up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], bool], *, seconds: float = 10.0, what: str = ""
) -> None:
    """Poll `condition` while the app runs; fail the test with `what` after `seconds`."""
    steps = int(seconds / 0.05)
    for _ in range(steps):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what or condition}")


async def loaded(pilot: Pilot[Any]) -> None:
    """Wait until every model is in (the rest of the pages are asked for a moment after
    the first frame, not by a worker settle() would wait for), then settle."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: getattr(app, "session", None) is not None and app.session.inventory.complete,  # type: ignore[attr-defined]
        seconds=30,
        what="every model loaded",
    )
    await settle(pilot)


async def click_button(pilot: Pilot[Any], selector: str) -> None:
    """Click the button once it takes clicks: a Button ignores a click while it still
    shows the previous one (its ``-active`` effect) or while it is disabled."""
    button = pilot.app.screen.query_one(selector, Button)
    await wait_until(
        pilot,
        lambda: not button.has_class("-active") and not button.disabled,
        what=f"{selector} to take clicks",
    )
    await pilot.click(selector)


async def server_models(info: SandboxInfo) -> list[dict[str, Any]]:
    """Every model as the server lists it (the test's independent view of the truth)."""
    models: list[dict[str, Any]] = []
    headers = {"Authorization": f"Bearer {info.api_key}"}
    async with httpx.AsyncClient(base_url=info.base_url, headers=headers) as http:
        offset = 0
        while True:
            page = (
                await http.get(
                    "/models", params={"limit": 100, "offset": offset, "extended": "true"}
                )
            ).json()
            models += page["data"]
            if not page["has_more"]:
                return models
            offset += 100
