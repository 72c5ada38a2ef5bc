"""Faults injected by the sandbox: retries of GETs only, Retry-After, drops, cut streams, and
every mutation against 502/503/504/429/a drop reaching the server exactly once."""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from xerotui.api.client import XeroClient
from xerotui.api.errors import (
    ConnectionFailedError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    StreamInterruptedError,
    XeroError,
)
from xerotui.api.schema import ChatMessage, ChatRequest, Model, ModelUpdate
from xerotui.launcher import SandboxInfo
from xerotui.sandbox.seed import model_id

Faults = Callable[..., Awaitable[dict[str, Any]]]
Pick = Callable[..., Awaitable[Model]]


def ask(max_tokens: int = 200) -> ChatRequest:
    return ChatRequest(
        messages=[ChatMessage(role="user", content="Write about retries")],
        max_tokens=max_tokens,
        seed=5,
    )


async def drain(client: XeroClient, texts: list[str]) -> None:
    async for chunk in client.stream_chat("llama-chat", ask()):
        texts.append(chunk.text)


async def test_get_survives_two_transient_503s(
    client: XeroClient, faults: Faults, slept: list[float]
) -> None:
    await faults(fail_next=2, error_status=503, methods=["GET"])
    page = await client.list_models(limit=3)
    assert len(page.data) == 3
    records = client.log.records()
    assert [r.attempt for r in records] == [1, 2, 3]
    assert [r.status for r in records] == [503, 503, 200]
    assert [r.error_code for r in records] == ["endpoint_inactive", "endpoint_inactive", None]
    assert all(r.endpoint_key == "models.list" for r in records)
    assert len({r.request_id for r in records}) == 3
    assert len(slept) == 2
    assert all(0 < s <= 5 for s in slept)


async def test_get_gives_up_after_max_attempts(
    make_client: Callable[..., XeroClient], faults: Faults, slept: list[float]
) -> None:
    client = make_client(max_attempts=3)
    await faults(fail_next=10, error_status=502)
    with pytest.raises(ServerError) as info:
        await client.get_model("whatever")
    assert info.value.status == 502
    assert [r.attempt for r in client.log.records()] == [1, 2, 3]
    assert len(slept) == 2


async def test_500_on_get_is_not_retried(
    client: XeroClient, faults: Faults, slept: list[float]
) -> None:
    await faults(fail_next=1, error_status=500)
    with pytest.raises(ServerError):
        await client.list_models()
    assert len(client.log.records()) == 1
    assert slept == []


async def test_patch_is_never_retried(
    client: XeroClient, faults: Faults, pick: Pick, slept: list[float]
) -> None:
    model = await pick(status="ready")
    client.log.clear()
    await faults(fail_next=2, error_status=500, methods=["PATCH"])
    update = ModelUpdate(description="after the outage")
    with pytest.raises(ServerError) as info:
        await client.update_model(model.id, update)
    assert (info.value.status, info.value.code) == (500, "internal_error")
    records = client.log.records()
    assert [(r.method, r.attempt, r.status) for r in records] == [("PATCH", 1, 500)]
    # The sandbox saw exactly one request: the second injected failure is still pending.
    with pytest.raises(ServerError):
        await client.update_model(model.id, update)
    assert (await client.update_model(model.id, update)).description == "after the outage"
    assert slept == []


async def test_post_503_is_not_retried(
    client: XeroClient, faults: Faults, pick: Pick, slept: list[float]
) -> None:
    model = await pick(status="failed")
    await faults(fail_next=1, error_status=503, methods=["POST"])
    with pytest.raises(ServerError):
        await client.revalidate_model(model.id)
    assert (await client.revalidate_model(model.id)).status == "validating"
    assert [r.attempt for r in client.log.records() if r.method == "POST"] == [1, 1]
    assert slept == []


async def test_429_retry_after_is_honoured_for_get(
    client: XeroClient, faults: Faults, slept: list[float]
) -> None:
    await faults(rate_limit_next=1, retry_after=7)
    page = await client.list_models(limit=2)
    assert len(page.data) == 2
    assert slept == [7.0]
    first, second = client.log.records()
    assert (first.status, first.error_code, first.attempt) == (429, "rate_limited", 1)
    assert first.error_body is not None
    assert first.error_body["error"]["retry_after"] == 7
    assert (second.status, second.attempt) == (200, 2)


async def test_429_on_a_mutation_is_raised_with_retry_after(
    client: XeroClient, faults: Faults, pick: Pick, slept: list[float]
) -> None:
    model = await pick(status="ready", is_shared=False)
    await faults(rate_limit_next=1, retry_after=4, methods=["POST"])
    with pytest.raises(RateLimitedError) as info:
        await client.share_model(model.id)
    assert (info.value.status, info.value.code, info.value.retry_after) == (429, "rate_limited", 4)
    assert slept == []


async def test_long_retry_after_is_capped(
    client: XeroClient, faults: Faults, slept: list[float]
) -> None:
    await faults(rate_limit_next=1, retry_after=3600)
    await client.list_models(limit=1)
    assert slept == [30.0]


async def test_dropped_connection_on_a_mutation(
    client: XeroClient, faults: Faults, pick: Pick, sandbox: SandboxInfo
) -> None:
    model = await pick(status="ready")
    await faults(drop_next=1, methods=["DELETE"])
    with pytest.raises(ConnectionFailedError) as info:
        await client.delete_model(model.id)
    host = sandbox.root_url.split("://", 1)[1]
    assert host in info.value.message
    assert "closed the connection" in info.value.message
    record = client.log.records()[-1]
    assert (record.status, record.attempt, record.endpoint_key) == (None, 1, "models.delete")
    assert record.is_error


async def test_dropped_connection_on_a_get_is_retried(
    client: XeroClient, faults: Faults, slept: list[float]
) -> None:
    await faults(drop_next=1, methods=["GET"])
    assert (await client.list_models(limit=1)).data
    assert [r.status for r in client.log.records()] == [None, 200]
    assert len(slept) == 1


async def test_nothing_listening(make_client: Callable[..., XeroClient]) -> None:
    with socket.socket() as sock:  # a loopback port that is certainly closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = make_client(base_url=f"http://127.0.0.1:{port}/proj_demo/v1", max_attempts=2)
    with pytest.raises(ConnectionFailedError) as info:
        await client.list_models()
    assert f"127.0.0.1:{port}" in info.value.message
    assert "refused" in info.value.message
    assert [r.status for r in client.log.records()] == [None, None]


async def test_timeout(make_client: Callable[..., XeroClient], faults: Faults) -> None:
    client = make_client(timeout=0.3, max_attempts=1)
    await faults(latency_ms=3000, methods=["GET"])
    with pytest.raises(RequestTimeoutError) as info:
        await client.list_models()
    assert "did not answer in time" in info.value.message


async def test_stream_cut_keeps_the_partial_text(client: XeroClient, faults: Faults) -> None:
    await faults(stream_cut_after=8)
    received: list[str] = []
    with pytest.raises(StreamInterruptedError) as info:
        await drain(client, received)
    err = info.value
    assert err.partial_text
    assert err.partial_text == "".join(received)
    assert err.code == "internal_error"
    assert err.request_id
    assert err.status == 200
    assert err.body is not None
    assert "error" in err.body
    record = client.log.records()[-1]
    assert (record.streamed, record.status, record.error_code) == (True, 200, "internal_error")
    assert record.is_error
    full = await client.chat_completion("llama-chat", ask())
    assert full.text.startswith(err.partial_text)


async def test_dropped_stream(client: XeroClient, faults: Faults) -> None:
    await faults(drop_next=1, methods=["POST"])
    with pytest.raises(StreamInterruptedError) as info:
        await drain(client, [])
    assert info.value.partial_text == ""
    assert "connection" in info.value.message
    assert client.log.records()[-1].error_code == "stream_interrupted"


# ------------------------------------------------------- each mutation reaches the server once

LLAMA = model_id("proj_demo", "llama-3.1-8b-instruct")
UNSHARED_READY = model_id("proj_demo", "qwen2.5-7b-instruct")
CHAT_PATH = "/proj_demo/llama-chat/v1/chat/completions"


@dataclass(frozen=True)
class Mutation:
    method: str
    path: str  # as the server sees it
    call: Callable[[XeroClient], Awaitable[Any]]
    prepare: Callable[[XeroClient], Awaitable[Any]] | None = None


async def _stream(client: XeroClient) -> None:
    async for _ in client.stream_chat("llama-chat", ask()):
        pass


async def _two_versions(client: XeroClient) -> None:
    await client.create_version(LLAMA, "70.0.0")
    await client.create_version(LLAMA, "77.0.0")
    await client.promote_version(LLAMA, "77.0.0")


def _model(mid: str, suffix: str = "") -> str:
    return f"/proj_demo/v1/models/{mid}{suffix}"


MUTATIONS: dict[str, Mutation] = {
    "update": Mutation(
        "PATCH", _model(LLAMA), lambda c: c.update_model(LLAMA, ModelUpdate(description="x"))
    ),
    "delete": Mutation("DELETE", _model(LLAMA), lambda c: c.delete_model(LLAMA)),
    "revalidate": Mutation(
        "POST", _model(LLAMA, "/revalidate"), lambda c: c.revalidate_model(LLAMA)
    ),
    "share": Mutation(
        "POST", _model(UNSHARED_READY, "/share"), lambda c: c.share_model(UNSHARED_READY)
    ),
    "unshare": Mutation(
        "POST",
        _model(UNSHARED_READY, "/unshare"),
        lambda c: c.unshare_model(UNSHARED_READY),
        prepare=lambda c: c.share_model(UNSHARED_READY),
    ),
    "create_version": Mutation(
        "POST", _model(LLAMA, "/versions"), lambda c: c.create_version(LLAMA, "88.0.0")
    ),
    "promote": Mutation(
        "POST",
        _model(LLAMA, "/versions/70.0.0/promote"),
        lambda c: c.promote_version(LLAMA, "70.0.0"),
        prepare=_two_versions,
    ),
    "rollback": Mutation(
        "POST",
        _model(LLAMA, "/versions/70.0.0/rollback"),
        lambda c: c.rollback_version(LLAMA, "70.0.0"),
        prepare=_two_versions,
    ),
    "capabilities": Mutation(
        "PATCH", _model(LLAMA, "/capabilities"), lambda c: c.set_capabilities(LLAMA, ["chat"])
    ),
    "chat_stream": Mutation("POST", CHAT_PATH, _stream),
}

FAULTS: dict[str, tuple[dict[str, Any], int | str]] = {
    "502": ({"fail_next": 1, "error_status": 502}, 502),
    "503": ({"fail_next": 1, "error_status": 503}, 503),
    "504": ({"fail_next": 1, "error_status": 504}, 504),
    "429": ({"rate_limit_next": 1, "retry_after": 1}, 429),
    "drop": ({"drop_next": 1}, "dropped"),
}


async def server_journal(sandbox: SandboxInfo) -> list[dict[str, Any]]:
    """Every API request the sandbox received (GET /_sandbox/requests), oldest first."""
    async with httpx.AsyncClient(base_url=sandbox.root_url, timeout=10) as http:
        response = await http.get("/_sandbox/requests")
        response.raise_for_status()
        data: list[dict[str, Any]] = response.json()["data"]
        return data


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("mutation", MUTATIONS)
async def test_a_failed_mutation_reached_the_server_exactly_once(
    make_client: Callable[..., XeroClient],
    sandbox: SandboxInfo,
    faults: Faults,
    slept: list[float],
    mutation: str,
    fault: str,
) -> None:
    """Counted by the SERVER (its request journal), not the client's log. The drop cuts the
    response after the request arrived: a client that resent it (say, taking the cut for a
    stale keep-alive connection) would show a second request here."""
    client = make_client(sandbox.admin_api_key)
    case = MUTATIONS[mutation]
    if case.prepare is not None:
        await case.prepare(client)
    await client.list_models(limit=1)  # the mutation goes out on a pooled keep-alive connection
    journal = await server_journal(sandbox)
    last = journal[-1]["seq"] if journal else 0
    settings, seen_status = FAULTS[fault]
    await faults(**settings, methods=[case.method], path_contains=case.path)
    client.log.clear()

    with pytest.raises(XeroError) as info:
        await case.call(client)

    if fault == "drop":
        expected = StreamInterruptedError if mutation == "chat_stream" else ConnectionFailedError
        assert isinstance(info.value, expected)
    else:
        assert info.value.status == seen_status
    arrived = [
        (e["method"], e["path"], e["status"])
        for e in await server_journal(sandbox)
        if e["seq"] > last
    ]
    assert arrived == [(case.method, case.path, seen_status)]
    assert [r.attempt for r in client.log.records()] == [1]
    assert slept == []  # no wait before a retry either
