"""A host app for the chat pane alone, with a scripted stream instead of a server.

`PaneHost` implements the part of the Host protocol the pane and the chat store use (the
session, the chat store, copy, chord keys, the link state) and shows one XeroScreen, so the
pane is placed exactly as in the real app. `ScriptedClient` answers `stream_chat` with the
chunks a test puts in its queue, when the test puts them — streaming made deterministic.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any

from textual.app import App, ComposeResult
from textual.reactive import var
from textual.widgets import Static

from xerotui.api.errors import StreamInterruptedError
from xerotui.api.requestlog import RequestLog
from xerotui.api.schema import (
    ChatChunk,
    ChatRequest,
    ChunkChoice,
    ChunkDelta,
    CompletionTokensDetails,
    PromptTokensDetails,
    Usage,
)
from xerotui.tui.chat_store import ChatStore
from xerotui.tui.jobs_store import JobsStore
from xerotui.tui.link import LinkState
from xerotui.tui.screens.base import XeroScreen
from xerotui.tui.session import Session

END = object()


class StepClock:
    """A clock for ChatSession that makes each answer take the same time: a turn reads it
    when sent, at the first token and at the end (0.0, +0.4, +4.2 s), then 10 s pass."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> float:
        turn, step = divmod(self.calls, 3)
        self.calls += 1
        return 1000.0 + 10 * turn + (0.0, 0.4, 4.2)[step]


def chunk(text: str = "", finish: str | None = None, usage: Usage | None = None) -> ChatChunk:
    choice = ChunkChoice(delta=ChunkDelta(content=text or None), finish_reason=finish)
    return ChatChunk(
        id="chatcmpl-scripted", created=1_700_000_000, model="scripted", choices=[choice],
        usage=usage,
    )  # fmt: skip


def usage(prompt: int, completion: int) -> Usage:
    return Usage(
        prompt_tokens=prompt,
        completion_tokens=completion,
        total_tokens=prompt + completion,
        prompt_tokens_details=PromptTokensDetails(cached_tokens=3),
        completion_tokens_details=CompletionTokensDetails(reasoning_tokens=2),
    )


@dataclass
class ScriptedClient:
    """What ChatSession needs of XeroClient; each stream_chat reads `script` until END."""

    script: asyncio.Queue[object] = field(default_factory=asyncio.Queue)
    requests: list[ChatRequest] = field(default_factory=list)
    project: str = "proj_scripted"
    api_key_masked: str = "xero_proj_scripted_••••"
    log: RequestLog = field(default_factory=RequestLog)
    root: str = "http://127.0.0.1:1"
    base_url: str = "http://127.0.0.1:1/proj_scripted/v1"
    mode: str = "normal"

    async def stream_chat(self, slug: str, request: ChatRequest) -> AsyncGenerator[ChatChunk, None]:
        self.requests.append(request)
        arrived = ""
        while True:
            item = await self.script.get()
            if item is END:
                return
            if isinstance(item, Exception):
                if isinstance(item, StreamInterruptedError):
                    item.partial_text = arrived
                raise item
            assert isinstance(item, ChatChunk)
            arrived += item.text
            yield item

    def say(self, *parts: str) -> None:
        for part in parts:
            self.script.put_nowait(chunk(part))

    def finish(self, prompt: int = 5, completion: int = 7) -> None:
        self.script.put_nowait(chunk(finish="stop", usage=usage(prompt, completion)))
        self.script.put_nowait(END)

    def chat_url(self, slug: str) -> str:
        return f"{self.base_url.rsplit('/v1', 1)[0]}/{slug}/v1/chat/completions"

    def curl(self, method: str, path: str, body: Any = None, *, reveal: bool = False) -> str:
        return f"curl -X {method} {self.root}/{self.project}{path}"

    async def aclose(self) -> None:
        pass


class HostScreen(XeroScreen):
    TITLE = "Host"

    def compose_body(self) -> ComposeResult:
        yield Static("the screen beside the pane", id="beside")


class PaneHost(App[None]):
    """Just enough of the app for the pane: session, chat store, copy, chord keys, link."""

    link: var[LinkState] = var(LinkState, always_update=True)

    def __init__(self, client: ScriptedClient) -> None:
        super().__init__()
        self.session = Session(
            client=client,  # type: ignore[arg-type]
            api_key="xero_proj_scripted_secret",
            profile="scripted",
            origin="test",
        )
        self.chat = ChatStore(self)
        self.jobs = JobsStore(self)  # the screen header counts running revalidations
        self.copied: list[tuple[str, str]] = []
        self.started = time.monotonic()

    def on_mount(self) -> None:
        self.push_screen(HostScreen())

    def chord_keys(self) -> dict[str, str]:
        return {}

    def copy(self, text: str, *, what: str) -> None:
        self.copied.append((what, text))
