"""The start-up prefetch: its response is handled like any other; failures fall back."""

from __future__ import annotations

import socket

import pytest

from xerotui.api.client import XeroClient
from xerotui.api.errors import AuthError, ConnectionFailedError
from xerotui.api.prefetch import Prefetch
from xerotui.api.requestlog import RequestLog
from xerotui.launcher import SandboxInfo

AGENT = "xerotui/test"


def request_id_of(prefetch: Prefetch) -> str:
    raw = prefetch.result()
    assert raw is not None
    return dict((k.lower(), v) for k, v in raw[1])["x-request-id"]


async def test_the_prefetched_page_answers_the_first_list_request(sandbox: SandboxInfo) -> None:
    prefetch = Prefetch.first_page(sandbox.base_url, sandbox.api_key, AGENT)
    assert prefetch is not None
    log = RequestLog()
    async with XeroClient(sandbox.base_url, sandbox.api_key, log=log, prefetch=prefetch) as client:
        page = await client.list_models(limit=100, offset=0)
        again = await client.list_models(limit=100, offset=0)
    assert page.total == again.total == len(page.data)
    first, second = log.records()
    assert first.request_id == request_id_of(prefetch)  # the prefetched response, logged
    assert first.status == 200
    assert first.endpoint_key == "models.list"
    assert second.request_id != first.request_id  # used once: the next one is a new request


async def test_other_requests_are_never_answered_from_the_prefetch(sandbox: SandboxInfo) -> None:
    prefetch = Prefetch.first_page(sandbox.base_url, sandbox.api_key, AGENT)
    assert prefetch is not None
    log = RequestLog()
    async with XeroClient(sandbox.base_url, sandbox.api_key, log=log, prefetch=prefetch) as client:
        small = await client.list_models(limit=5, offset=0)
    assert len(small.data) == 5
    assert log.records()[0].request_id != request_id_of(prefetch)


async def test_a_prefetched_error_is_mapped_like_any_other(sandbox: SandboxInfo) -> None:
    refused = "xero_proj_demo_not-a-key"
    prefetch = Prefetch.first_page(sandbox.base_url, refused, AGENT)
    assert prefetch is not None
    async with XeroClient(sandbox.base_url, refused, prefetch=prefetch) as client:
        with pytest.raises(AuthError) as info:
            await client.list_models(limit=100, offset=0)
    assert info.value.code == "invalid_api_key"
    assert info.value.request_id == request_id_of(prefetch)


async def test_a_failed_prefetch_falls_back_to_the_client() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/proj_demo/v1"
    prefetch = Prefetch.first_page(dead, "xero_proj_demo_k", AGENT)
    assert prefetch is not None
    assert prefetch.result() is None
    log = RequestLog()
    async with XeroClient(
        dead, "xero_proj_demo_k", log=log, max_attempts=1, prefetch=prefetch
    ) as c:
        with pytest.raises(ConnectionFailedError):
            await c.list_models(limit=100, offset=0)
    assert [r.status for r in log.records()] == [None]  # the client's own attempt, logged


def test_no_prefetch_through_a_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:3128")
    assert Prefetch.first_page("http://127.0.0.1:1/p/v1", "xero_p_k", AGENT) is None
