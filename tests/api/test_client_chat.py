"""Chat against the sandbox: completions, streaming, usage details, stored completions."""

from __future__ import annotations

import asyncio

import pytest

from xerotui.api.client import XeroClient
from xerotui.api.errors import NotFoundError
from xerotui.api.schema import (
    ChatChunk,
    ChatCompletion,
    ChatMessage,
    ChatRequest,
    CompletionDeleted,
    EndpointModelList,
    StreamOptions,
)
from xerotui.launcher import SandboxInfo


def ask(text: str = "Explain prefix caching briefly", **kw: object) -> ChatRequest:
    return ChatRequest(
        messages=[
            ChatMessage(role="system", content="You are terse."),
            ChatMessage(role="user", content=text),
        ],
        **kw,
    )


async def collect(client: XeroClient, slug: str, request: ChatRequest) -> list[ChatChunk]:
    return [chunk async for chunk in client.stream_chat(slug, request)]


async def test_chat_completion(client: XeroClient) -> None:
    result = await client.chat_completion("llama-chat", ask(max_tokens=30, seed=3))
    assert isinstance(result, ChatCompletion)
    assert result.id.startswith("chatcmpl-")
    assert result.text
    assert result.choices[0].message.role == "assistant"
    assert result.choices[0].finish_reason in ("stop", "length")
    assert result.usage is not None
    assert result.usage.total_tokens == result.usage.prompt_tokens + result.usage.completion_tokens
    assert 0 < result.usage.completion_tokens <= 30
    record = client.log.records()[-1]
    assert (record.endpoint_key, record.status, record.streamed) == ("chat.create", 200, False)
    assert record.request_id


async def test_chat_completion_never_streams(client: XeroClient) -> None:
    request = ask(max_tokens=10, stream=True, stream_options=StreamOptions(include_usage=True))
    result = await client.chat_completion("llama-chat", request)
    assert result.text


async def test_stream_yields_text_then_usage(client: XeroClient) -> None:
    request = ask(max_tokens=60, seed=11)  # no stream flags: the client forces them
    chunks = await collect(client, "llama-chat", request)
    assert len(chunks) > 3
    assert all(isinstance(c, ChatChunk) for c in chunks)
    assert len({c.id for c in chunks}) == 1
    assert chunks[0].choices[0].delta.role == "assistant"
    with_usage = [c for c in chunks if c.usage is not None]
    assert with_usage == [chunks[-1]]  # usage only on the final chunk
    usage = chunks[-1].usage
    assert usage is not None
    text = "".join(c.text for c in chunks)
    assert text
    assert 0 < usage.completion_tokens <= 60
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    finish = [c.finish_reason for c in chunks if c.finish_reason]
    assert finish in (["stop"], ["length"])
    same = await client.chat_completion("llama-chat", ask(max_tokens=60, seed=11))
    assert same.text == text  # the sandbox is deterministic for a prompt and seed
    record = client.log.records()[-2]
    assert (record.streamed, record.status, record.error_code) == (True, 200, None)
    assert record.endpoint_key == "chat.create"


async def test_stream_usage_details_cached_and_reasoning(client: XeroClient) -> None:
    first = (await collect(client, "deepseek-r1", ask(max_tokens=80)))[-1].usage
    assert first is not None
    assert first.reasoning_tokens > 0
    assert first.completion_tokens_details is not None
    assert first.completion_tokens_details.reasoning_tokens == first.reasoning_tokens
    assert first.cached_tokens == 0
    again = (await collect(client, "deepseek-r1", ask(max_tokens=80)))[-1].usage
    assert again is not None
    assert 0 < again.cached_tokens <= again.prompt_tokens  # the same prompt hits the cache
    assert again.prompt_tokens_details is not None


async def test_unknown_endpoint(client: XeroClient) -> None:
    with pytest.raises(NotFoundError) as info:
        await client.chat_completion("no-such-endpoint", ask())
    assert (info.value.status, info.value.code) == (404, "endpoint_not_found")
    with pytest.raises(NotFoundError) as streamed:
        await collect(client, "no-such-endpoint", ask())
    assert streamed.value.code == "endpoint_not_found"
    assert streamed.value.request_id
    record = client.log.records()[-1]
    assert (record.streamed, record.status, record.error_code) == (
        True,
        404,
        "endpoint_not_found",
    )


async def test_closing_the_stream_early_closes_the_response(client: XeroClient) -> None:
    stream = client.stream_chat("llama-chat", ask(max_tokens=400))
    received = [await anext(stream) for _ in range(3)]
    assert len(received) == 3
    await stream.aclose()
    record = client.log.records()[-1]
    assert (record.streamed, record.cancelled, record.status) == (True, True, 200)
    assert not record.is_error
    assert (await client.list_models(limit=1)).data  # the client is still usable


async def test_cancelling_the_consumer_cancels_the_stream(client: XeroClient) -> None:
    started = asyncio.Event()

    async def consume() -> None:
        async for _ in client.stream_chat("llama-chat", ask(max_tokens=4000)):
            started.set()

    task = asyncio.create_task(consume())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    record = client.log.records()[-1]
    assert (record.streamed, record.cancelled) == (True, True)
    assert (await client.list_models(limit=1)).data


async def test_stored_completions(client: XeroClient) -> None:
    made = [
        await client.chat_completion("qwen-coder", ask(f"question {n}", max_tokens=8, store=True))
        for n in range(3)
    ]
    await client.chat_completion("qwen-coder", ask("not stored", max_tokens=8))
    listing = await client.list_stored_completions("qwen-coder")
    assert [c.id for c in listing.data] == [c.id for c in reversed(made)]  # newest first
    assert listing.has_more is False
    oldest_first = await client.list_stored_completions("qwen-coder", order="asc")
    assert [c.id for c in oldest_first.data] == [c.id for c in made]

    page = await client.list_stored_completions("qwen-coder", limit=2)
    assert len(page.data) == 2
    assert page.has_more is True
    assert page.last_id == page.data[-1].id
    rest = await client.list_stored_completions("qwen-coder", after=page.last_id, limit=2)
    assert [c.id for c in rest.data] == [made[0].id]
    assert rest.has_more is False

    fetched = await client.get_stored_completion("qwen-coder", made[1].id)
    assert fetched.id == made[1].id
    assert fetched.text == made[1].text
    deleted = await client.delete_stored_completion("qwen-coder", made[1].id)
    assert deleted == CompletionDeleted(id=made[1].id)
    for call in (client.get_stored_completion, client.delete_stored_completion):
        with pytest.raises(NotFoundError) as info:
            await call("qwen-coder", made[1].id)
        assert info.value.code == "completion_not_found"
    keys = [r.endpoint_key for r in client.log.records()[-4:]]
    assert keys == [
        "completions.get",
        "completions.delete",
        "completions.get",
        "completions.delete",
    ]


async def test_endpoint_models(client: XeroClient, sandbox: SandboxInfo) -> None:
    result = await client.list_endpoint_models("llama-chat")
    assert isinstance(result, EndpointModelList)
    model = await client.get_model(sandbox.endpoints["llama-chat"])
    assert [m.id for m in result.data] == [model.name]
    with pytest.raises(NotFoundError):
        await client.list_endpoint_models("no-such-endpoint")
