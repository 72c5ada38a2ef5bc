"""Driving the chat pane of the real app in Pilot tests (against the sandbox, over HTTP)."""

from __future__ import annotations

from typing import Any

import httpx
from textual.pilot import Pilot
from tui_helpers import wait_until

from xerotui.api.chat_transcript import ChatEntry
from xerotui.launcher import SandboxInfo
from xerotui.tui.widgets.chat_dock import ChatDock
from xerotui.tui.widgets.chat_message import ChatMessageView


async def mounted_dock(pilot: Pilot[Any]) -> ChatDock:
    """The pane on the current screen, once mounted (its widgets composed)."""

    def ready() -> bool:
        docks = pilot.app.screen.query(ChatDock)
        return bool(docks) and docks.first().is_mounted

    await wait_until(pilot, ready, what="the chat pane")
    return pilot.app.screen.query_one(ChatDock)


async def open_chat(pilot: Pilot[Any], endpoint: str = "llama-chat") -> ChatDock:
    """`g i`, type the endpoint, enter: the pane with its prompt focused. (A profile that
    chatted before gets its last endpoint at once: ctrl+n then asks for another.)"""
    app: Any = pilot.app
    await pilot.press("g", "i")
    dock = await mounted_dock(pilot)
    await wait_until(
        pilot, lambda: dock.picker.input.has_focus or dock.input.has_focus, what="the pane"
    )
    if app.chat.session is not None:
        if app.chat.session.endpoint == endpoint:
            return dock
        await pilot.press("ctrl+n")
    await wait_until(pilot, lambda: dock.picker.input.has_focus, what="the endpoint prompt")
    await pilot.press(*endpoint, "enter")
    await wait_until(
        pilot,
        lambda: app.chat.session is not None and dock.input.has_focus,
        what=f"the chat with {endpoint}",
    )
    return dock


async def type_line(pilot: Pilot[Any], dock: ChatDock, text: str) -> None:
    """Put `text` in the prompt (as if typed) and press enter."""
    dock.input.focus()
    dock.input.set_text(text)
    await pilot.pause()
    await pilot.press("enter")


async def ask(pilot: Pilot[Any], dock: ChatDock, text: str, seconds: float = 20) -> ChatEntry:
    """Send `text`; wait for the answer to end; return it."""
    app: Any = pilot.app
    before = len(app.chat.session.entries)
    await type_line(pilot, dock, text)
    await wait_until(
        pilot,
        lambda: len(app.chat.session.entries) >= before + 2 and not app.chat.busy,
        seconds=seconds,
        what=f"the answer to {text!r}",
    )
    await pilot.pause()
    entry: ChatEntry = app.chat.session.entries[-1]
    return entry


def last_view(dock: ChatDock) -> ChatMessageView:
    return dock.transcript.messages()[-1]


def meta_text(view: ChatMessageView) -> str:
    return str(view.query_one(".chat-meta").render())


def notes(dock: ChatDock) -> list[str]:
    from xerotui.tui.widgets.chat_note import ChatNoteView

    return [view.text for view in dock.transcript.query(ChatNoteView)]


def status_text(dock: ChatDock) -> str:
    """The status bar and the badge of the title line."""
    bar = str(dock.query_one("#chat-status").render())
    return f"{bar}  {dock.query_one('#chat-state').render()}"


async def sandbox_control(info: SandboxInfo, path: str, **body: Any) -> None:
    async with httpx.AsyncClient(base_url=info.root_url, timeout=30) as http:
        (await http.post(path, json=body)).raise_for_status()


async def slow_tokens(info: SandboxInfo, per_second: float) -> None:
    await sandbox_control(info, "/_sandbox/settings", tokens_per_second=per_second)
