"""ChatSession against the sandbox: streamed answers, usage, options on the wire, stop,
cut streams, 429, unknown endpoints, regenerate, non-streamed answers and dry runs."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from xerotui.api.chat import ChatSession, ChatSessionError
from xerotui.api.chat_events import (
    ChatEvent,
    FinishReason,
    FirstToken,
    TextDelta,
    TurnDone,
    TurnFailed,
    TurnStopped,
    UsageReport,
)
from xerotui.api.chat_options import ChatOptions
from xerotui.api.client import XeroClient
from xerotui.api.errors import NotFoundError, RateLimitedError, StreamInterruptedError
from xerotui.launcher import SandboxInfo

Faults = Callable[..., Awaitable[dict[str, Any]]]
FOOTER = re.compile(r"^-- \d+ tokens in \d+\.\ds \(\d+\.\d tok/s\)$")


class Recording(httpx.AsyncBaseTransport):
    """httpx's own transport, keeping the JSON body of every POST it sends."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.bodies: list[dict[str, Any]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            self.bodies.append(json.loads(request.content))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def drain(events: AsyncIterator[ChatEvent]) -> list[ChatEvent]:
    return [event async for event in events]


def text_of(events: list[ChatEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


async def set_speed(sandbox: SandboxInfo, tokens_per_second: float) -> None:
    async with httpx.AsyncClient(base_url=sandbox.root_url, timeout=10) as http:
        response = await http.post(
            "/_sandbox/settings", json={"tokens_per_second": tokens_per_second}
        )
        response.raise_for_status()


def chat(client: XeroClient, **options: Any) -> ChatSession:
    options.setdefault("endpoint", "llama-chat")
    options.setdefault("seed", 7)
    return ChatSession(client, ChatOptions.parse(options))


async def test_a_streamed_answer_with_usage_footer_and_status_bar(client: XeroClient) -> None:
    session = chat(client, model="llama-3", show_usage=True)
    events = await drain(session.send("Explain prefix caching briefly"))
    assert isinstance(events[0], FirstToken)
    assert events[0].seconds > 0
    assert [type(e) for e in events[-3:]] == [FinishReason, UsageReport, TurnDone]
    end = events[-1]
    assert isinstance(end, TurnDone)
    entry = end.entry
    assert entry.content == text_of(events)
    assert entry.content.count("```") == 2  # the sandbox answers in Markdown with code
    assert (entry.role, entry.status, entry.finish_reason) == ("assistant", "complete", "stop")
    report = events[-2]
    assert isinstance(report, UsageReport)
    usage = report.usage
    assert entry.usage == usage
    assert entry.tokens == usage.completion_tokens
    assert entry.response_id == report.response_id == session.last_response_id
    assert entry.response_id is not None
    assert entry.response_id.startswith("chatcmpl-")
    assert entry.footer is not None
    assert FOOTER.match(entry.footer)
    assert entry.first_token_line is not None
    assert entry.first_token_line.startswith("first token in ")
    assert entry.usage_lines == [
        f"prompt {usage.prompt_tokens} · completion {usage.completion_tokens} · "
        f"total {usage.total_tokens} · cached 0 · reasoning 0",
        f"response id {entry.response_id}",
    ]
    assert session.status_bar() == (
        f"endpoint: llama-chat | model: llama-3 | "
        f"tokens: {usage.prompt_tokens}/{usage.completion_tokens} | msgs: 2"
    )
    assert not session.busy

    second = await drain(session.send("And how does it save money?"))
    last = second[-1]
    assert isinstance(last, TurnDone)
    assert last.entry.usage is not None
    assert last.entry.usage.prompt_tokens > usage.prompt_tokens  # the history was sent
    assert last.entry.usage.cached_tokens > 0  # ... and its prefix was cached
    assert session.usage.prompt_tokens == usage.prompt_tokens + last.entry.usage.prompt_tokens
    assert session.usage.answers == 2
    assert [(e.role, e.status) for e in session.entries] == [
        ("user", "complete"),
        ("assistant", "complete"),
        ("user", "complete"),
        ("assistant", "complete"),
    ]
    assert session.message_count == 4
    record = client.log.records()[-1]
    assert (record.streamed, record.status, record.endpoint_key) == (True, 200, "chat.create")


async def test_options_reach_the_request(
    make_client: Callable[..., XeroClient], sandbox: SandboxInfo, tmp_path: Any
) -> None:
    recording = Recording()
    client = make_client(transport=recording)
    persona = tmp_path / "persona.txt"
    persona.write_text("You are a terse senior engineer.\n", encoding="utf-8")
    options = ChatOptions.parse(
        endpoint="qwen-coder",
        model="qwen-coder-7b",
        system="ignored: the file wins",
        system_file=str(persona),
        max_tokens="7",
        temperature="0.2",
        top_p="0.9",
        frequency_penalty="0.5",
        presence_penalty="-0.5",
        seed="42",
        store=True,
    )
    session = ChatSession(client, options)
    end = (await drain(session.send("Write a haiku about caches")))[-1]
    assert isinstance(end, TurnDone)
    assert recording.bodies[-1] == {
        "model": "qwen-coder-7b",
        "messages": [
            {"role": "system", "content": "You are a terse senior engineer."},
            {"role": "user", "content": "Write a haiku about caches"},
        ],
        "max_tokens": 7,
        "temperature": 0.2,
        "top_p": 0.9,
        "frequency_penalty": 0.5,
        "presence_penalty": -0.5,
        "seed": 42,
        "store": True,
        "stream": True,
        "stream_options": {"include_usage": True},
    }

    # Read back through the stored completion: the server kept what the options asked for.
    response_id = session.last_response_id
    assert response_id is not None
    listing = await client.list_stored_completions("qwen-coder")
    assert [c.id for c in listing.data] == [response_id]
    stored = await client.get_stored_completion("qwen-coder", response_id)
    assert stored.text == end.entry.content
    assert stored.choices[0].finish_reason == "length"
    assert stored.usage is not None
    assert stored.usage.completion_tokens == 7
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    url = f"{client.chat_url('qwen-coder')}/{response_id}/messages"
    async with httpx.AsyncClient(timeout=10) as http:
        messages = (await http.get(url, headers=headers)).json()["data"]
    assert [(m["role"], m["content"]) for m in messages] == [
        ("system", "You are a terse senior engineer."),
        ("user", "Write a haiku about caches"),
    ]


async def test_defaults_on_the_wire(make_client: Callable[..., XeroClient]) -> None:
    recording = Recording()
    session = ChatSession(make_client(transport=recording), ChatOptions(endpoint="llama-chat"))
    assert isinstance((await drain(session.send("hi there")))[-1], TurnDone)
    body = recording.bodies[-1]
    assert body["max_tokens"] == 4096  # interactive mode's default
    assert set(body) == {"model", "messages", "max_tokens", "stream", "stream_options"}
    listing = await session.client.list_stored_completions("llama-chat")
    assert listing.data == []  # store is off unless asked for


async def test_without_streaming_one_answer_and_its_raw_json(
    make_client: Callable[..., XeroClient],
) -> None:
    recording = Recording()
    session = chat(make_client(transport=recording), stream=False)
    events = await drain(session.send("Explain retries"))
    assert [type(e) for e in events] == [FirstToken, TextDelta, FinishReason, UsageReport, TurnDone]
    end = events[-1]
    assert isinstance(end, TurnDone)
    assert "stream" not in recording.bodies[-1]
    assert end.entry.raw is not None
    assert end.entry.raw["object"] == "chat.completion"
    assert end.entry.raw["choices"][0]["message"]["content"] == end.entry.content
    assert end.entry.tokens == end.entry.raw["usage"]["completion_tokens"]
    assert session.client.log.records()[-1].streamed is False


async def test_stop_keeps_the_partial_answer_marked_stopped(
    client: XeroClient, sandbox: SandboxInfo
) -> None:
    await set_speed(sandbox, 40)
    session = chat(client)
    events: list[ChatEvent] = []
    async for event in session.send("Tell me about resilient systems"):
        events.append(event)
        if isinstance(event, TextDelta):
            assert session.busy
            assert session.live_text.startswith(event.text)
            assert session.stop()
    end = events[-1]
    assert isinstance(end, TurnStopped)
    partial = text_of(events)
    assert partial
    assert (end.entry.status, end.entry.content, end.entry.usage) == ("stopped", partial, None)
    assert end.entry.tokens is not None
    assert end.entry.tokens >= 1
    assert not session.busy
    assert not session.stop()
    assert session.can_retry
    record = client.log.records()[-1]
    assert (record.streamed, record.cancelled) == (True, True)

    await set_speed(sandbox, 2000)
    again = (await drain(session.regenerate()))[-1]
    assert isinstance(again, TurnDone)
    assert again.entry.content.startswith(partial)
    assert len(again.entry.content) > len(partial)
    assert [(e.role, e.status) for e in session.entries] == [
        ("user", "complete"),
        ("assistant", "complete"),
    ]


async def test_cancelling_the_consumer_stops_the_turn(
    client: XeroClient, sandbox: SandboxInfo
) -> None:
    await set_speed(sandbox, 40)
    session = chat(client)
    arrived = asyncio.Event()

    async def consume() -> None:
        async for event in session.send("Tell me about queues"):
            if isinstance(event, TextDelta):
                arrived.set()

    task = asyncio.create_task(consume())
    await arrived.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not session.busy
    assert session.entries[-1].status == "stopped"
    assert session.entries[-1].content

    events = session.send("Tell me about stacks")
    while not isinstance(await anext(events), TextDelta):
        pass
    await events.aclose()  # closing the generator stops the turn too
    assert not session.busy
    assert session.entries[-1].status == "stopped"
    assert client.log.records()[-1].cancelled


async def test_a_cut_stream_keeps_the_partial_text_and_can_be_retried(
    client: XeroClient, faults: Faults
) -> None:
    await faults(stream_cut_after=8)
    session = chat(client)
    events = await drain(session.send("Write about retries"))
    end = events[-1]
    assert isinstance(end, TurnFailed)
    assert isinstance(end.error, StreamInterruptedError)
    partial = text_of(events)
    assert partial == end.error.partial_text
    assert (end.entry.status, end.entry.content) == ("incomplete", partial)
    assert end.retryable
    assert end.retry_after is None
    assert "cut off" in end.message
    assert "partial answer is kept" in end.message
    assert end.entry.error == end.message
    assert session.can_retry

    await faults(stream_cut_after=None)
    done = (await drain(session.retry()))[-1]
    assert isinstance(done, TurnDone)
    assert done.entry.content.startswith(partial)
    assert [e.role for e in session.entries] == ["user", "assistant"]


async def test_a_dropped_connection_before_the_answer(client: XeroClient, faults: Faults) -> None:
    await faults(drop_next=1, methods=["POST"])
    session = chat(client)
    end = (await drain(session.send("hello")))[-1]
    assert isinstance(end, TurnFailed)
    assert isinstance(end.error, StreamInterruptedError)
    assert (end.entry.status, end.entry.content) == ("incomplete", "")
    assert end.retryable
    assert session.messages()[-1].role == "user"  # an empty answer is never sent back
    assert isinstance((await drain(session.retry()))[-1], TurnDone)


async def test_rate_limited_reports_the_wait(client: XeroClient, faults: Faults) -> None:
    await faults(rate_limit_next=1, retry_after=7, methods=["POST"])
    session = chat(client)
    end = (await drain(session.send("hello")))[-1]
    assert isinstance(end, TurnFailed)
    assert isinstance(end.error, RateLimitedError)
    assert (end.retryable, end.retry_after) == (True, 7)
    assert "in 7 s" in end.message
    assert session.usage.answers == 0
    assert isinstance((await drain(session.retry()))[-1], TurnDone)
    assert session.usage.answers == 1


async def test_an_unknown_endpoint_is_explained(client: XeroClient) -> None:
    session = chat(client, endpoint="no-such-endpoint")
    end = (await drain(session.send("hello")))[-1]
    assert isinstance(end, TurnFailed)
    assert isinstance(end.error, NotFoundError)
    assert end.error.code == "endpoint_not_found"
    assert not end.retryable
    assert end.message.startswith("There is no endpoint 'no-such-endpoint' in project proj_demo")
    assert "Check the slug" in end.message


async def test_regenerate_replaces_the_last_answer(client: XeroClient) -> None:
    session = chat(client, seed=None, temperature=1.2)  # random: each answer differs
    first = (await drain(session.send("Explain backoff")))[-1]
    assert isinstance(first, TurnDone)
    assert not session.can_retry
    second = (await drain(session.regenerate()))[-1]
    assert isinstance(second, TurnDone)
    assert second.entry.response_id != first.entry.response_id
    assert [e.role for e in session.entries] == ["user", "assistant"]
    assert session.entries[-1] is second.entry
    assert session.usage.answers == 2  # both answers were paid for


async def test_misuse_is_refused(client: XeroClient, sandbox: SandboxInfo) -> None:
    session = chat(client)
    with pytest.raises(ChatSessionError, match="no question"):
        await drain(session.regenerate())
    with pytest.raises(ChatSessionError, match="Nothing to send"):
        await drain(session.send("   "))
    await set_speed(sandbox, 40)
    events = session.send("a long one")
    await anext(events)
    with pytest.raises(ChatSessionError, match="still arriving"):
        await drain(session.send("another"))
    with pytest.raises(ChatSessionError, match="still arriving"):
        session.clear()
    assert session.stop()
    assert isinstance((await drain(events))[-1], TurnStopped)
    with pytest.raises(ChatSessionError, match="keeps its endpoint"):
        session.apply_options(ChatOptions(endpoint="qwen-coder"))


async def test_apply_options_changes_the_system_prompt(client: XeroClient, tmp_path: Any) -> None:
    session = chat(client, system="Be brief.")
    assert session.system == "Be brief."
    session.apply_options(session.options.replace(temperature=0.5))
    assert session.system == "Be brief."
    session.set_system("Be verbose.")  # /system wins until the options' prompt changes
    session.apply_options(session.options.replace(top_p=0.5))
    assert session.system == "Be verbose."
    prompt = tmp_path / "p.txt"
    prompt.write_text("From a file.", encoding="utf-8")
    session.apply_options(session.options.replace(system_file=str(prompt)))
    assert session.system == "From a file."
    assert session.messages()[0].content == "From a file."


async def test_dry_run_shows_the_request_without_sending(
    client: XeroClient, sandbox: SandboxInfo
) -> None:
    session = chat(client, system="Be brief.", temperature=0)
    before = len(client.log.records())
    dry = session.dry_run("What is 2+2?")
    assert len(client.log.records()) == before
    assert dry.url == client.chat_url("llama-chat")
    assert dry.body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "What is 2+2?"},
    ]
    assert (dry.body["stream"], dry.body["temperature"], dry.body["seed"]) == (True, 0.0, 7)
    assert dry.curl.startswith("curl")
    assert client.api_key_masked in dry.curl
    assert sandbox.api_key not in dry.curl
    assert session.entries == []
