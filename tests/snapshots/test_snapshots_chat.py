"""SVG snapshots of the chat pane: beside the models table (120x40 and 80x24), choosing an
endpoint, streaming, with usage, with an error, and full screen.

The answers come from a scripted client (fixed text, usage, ids) and a step clock (every
answer takes 4.2 s, first token at 0.4 s), so the footer and the status bar are the same
on every run; the models table beside comes from the snapshot sandbox. The same scenarios
make the README's chat screenshots (`make screenshots`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from chat_host import ScriptedClient, StepClock
from textual.pilot import Pilot
from tui_helpers import build_app, settle, wait_until

from xerotui.api.errors import StreamInterruptedError
from xerotui.config.settings import Settings
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.widgets.chat_dock import ChatDock

Snap = Callable[..., bool]
ANSWER = (
    "Caching keeps the result of an expensive call so the next one is cheap.\n\n"
    "Key points:\n\n"
    "- **Measure** before caching: time the slow part.\n"
    "- **Bound** the cache: size or time limits.\n\n"
    "```python\nfrom functools import lru_cache\n\n\n@lru_cache(maxsize=256)\n"
    "def price(sku: str) -> float:\n    return lookup(sku)\n```\n\n"
    "Invalidate when the source changes."
)
ANNOUNCED = ["llama-chat", "qwen-coder", "deepseek-r1", "mixtral-moe"]


def chat_app(info: SandboxInfo) -> XeroApp:
    app = build_app(info, settings=Settings(refresh_interval=0))
    app.chat.announce(ANNOUNCED)
    return app


async def pane(pilot: Pilot[Any], endpoint: str | None = "llama-chat") -> ChatDock:
    """The models table loaded, `g i`, and (unless None) the endpoint chosen."""
    app: Any = pilot.app
    await settle(pilot)
    await pilot.press("g", "i")
    await wait_until(pilot, lambda: bool(app.screen.query(ChatDock)), what="the pane")
    dock: ChatDock = app.screen.query_one(ChatDock)
    dock.input.cursor_blink = False  # a blinking cursor is drawn or not at random times
    dock.picker.input.cursor_blink = False
    await wait_until(pilot, lambda: dock.picker.input.has_focus, what="the endpoint prompt")
    if endpoint is not None:
        await pilot.press(*endpoint, "enter")
        await wait_until(pilot, lambda: dock.input.has_focus, what="the prompt")
    return dock


def scripted(pilot: Pilot[Any]) -> ScriptedClient:
    """Answers from now on come from a script, with a step clock."""
    app: Any = pilot.app
    client = ScriptedClient()
    app.chat.session.client = client
    app.chat.session._clock = StepClock()  # the session's clock: fixed timings on screen
    return client


async def ask(pilot: Pilot[Any], dock: ChatDock, text: str) -> None:
    dock.input.set_text(text)
    await pilot.press("enter")
    await pilot.pause()


async def answered(pilot: Pilot[Any], dock: ChatDock, text: str = ANSWER) -> None:
    """One question and its whole answer (312 completion tokens, as the seed's example)."""
    client = scripted(pilot)
    await ask(pilot, dock, "How should I cache prices?")
    client.say(text)
    client.finish(148, 312)
    app: Any = pilot.app
    await wait_until(pilot, lambda: not app.chat.busy, what="the answer")
    await settle(pilot)


async def still(pilot: Pilot[Any]) -> None:
    """Let the screen settle; the cursor of the prompt does not blink in snapshots."""
    await settle(pilot)
    await pilot.pause(0.1)


Scenario = Callable[[Pilot[Any]], Awaitable[None]]


class TestChatPane:
    def test_beside_the_models_table(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            dock = await pane(pilot)
            await answered(pilot, dock)
            await still(pilot)

        assert snap(chat_app(snap_sandbox), "chat", run_before=run)

    def test_beside_the_models_table_80x24(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            dock = await pane(pilot)
            await answered(pilot, dock)
            await still(pilot)

        assert snap(chat_app(snap_sandbox), "chat-80x24", size=(80, 24), run_before=run)

    def test_choosing_the_endpoint(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await pane(pilot, endpoint=None)
            await pilot.press("q", "w")
            await still(pilot)

        assert snap(chat_app(snap_sandbox), "chat-endpoint", run_before=run)

    def test_streaming(
        self,
        snap_compare: Snap,
        snap_sandbox: SandboxInfo,
        request: pytest.FixtureRequest,
    ) -> None:
        """The answer stops arriving at a fixed point and the stream stays open, so this one
        cannot wait for the app's workers as the `snap` fixture does: snap_compare direct."""

        async def run(pilot: Pilot[Any]) -> None:
            app: Any = pilot.app
            dock = await pane(pilot)
            client = scripted(pilot)
            await ask(pilot, dock, "How should I cache prices?")
            client.say(ANSWER[:220])  # stopped here: the rest never comes in this scenario
            await wait_until(pilot, lambda: len(app.chat.stream.live_text) == 220, what="text")
            await pilot.pause(0.1)
            out = request.config.getoption("--screenshots")
            if out:
                path = Path(out) / "chat-streaming.svg"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(app.export_screenshot(title="xerotui — chat-streaming"))

        app = chat_app(snap_sandbox)
        assert snap_compare(app, terminal_size=(120, 40), run_before=run)
        assert not app.unexpected_errors

    def test_with_usage(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            app: Any = pilot.app
            dock = await pane(pilot)
            app.chat.apply_options(app.chat.session.options.replace(show_usage=True))
            await answered(pilot, dock, "The answer is **42**.")
            await still(pilot)

        assert snap(chat_app(snap_sandbox), "chat-usage", run_before=run)

    def test_with_an_error(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            app: Any = pilot.app
            dock = await pane(pilot)
            client = scripted(pilot)
            await ask(pilot, dock, "How should I cache prices?")
            client.say(ANSWER[:160])
            client.script.put_nowait(StreamInterruptedError("the connection was closed"))
            await wait_until(pilot, lambda: not app.chat.busy, what="the cut")
            await still(pilot)

        assert snap(chat_app(snap_sandbox), "chat-error", run_before=run)

    def test_full_screen(self, snap: Snap, snap_sandbox: SandboxInfo) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            dock = await pane(pilot)
            await answered(pilot, dock)
            await pilot.press("ctrl+f")
            await still(pilot)

        assert snap(chat_app(snap_sandbox), "chat-full", run_before=run)
