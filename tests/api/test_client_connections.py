"""Connections the server closed: resend only what never reached it.

Against a small real server (tests/api/raw_server.py) that closes keep-alive connections at
exact moments, and against the sandbox: a PATCH right after a 500 succeeds and reaches the
server once; a request whose head could not be written on a dead connection is sent again
once, on a new connection; a request that reached the server (or may have) and then lost its
connection is never sent again when it is a mutation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from raw_server import Answer, Drop, RawServer

from xerotui.api.client import XeroClient
from xerotui.api.errors import ConnectionFailedError, ServerError, XeroError
from xerotui.api.schema import Model, ModelUpdate
from xerotui.launcher import SandboxInfo

KEY = "xero_proj_demo_test-key-0001"
GET = ("GET", "/proj_demo/v1/models/m1?extended=true")
PATCH = ("PATCH", "/proj_demo/v1/models/m1")
EDIT = ModelUpdate(description="edited")
MAY_HAVE_REACHED = "may have reached the server, so it was not sent again"


async def no_sleep(_seconds: float) -> None:
    return None


async def test_a_patch_right_after_a_500_goes_out_on_a_new_connection() -> None:
    """The sandbox's case: uvicorn answers 500, then closes with the next request unread."""
    server = RawServer(lambda n: Answer(500, then="close-on-next") if n == 1 else Answer(200))
    async with server.running(), XeroClient(server.base_url, KEY, sleep=no_sleep) as client:
        with pytest.raises(ServerError):
            await client.get_model("m1")
        model = await client.update_model("m1", EDIT)
    assert model.id == "m1"
    assert server.seen == [GET, PATCH]  # the PATCH reached the server exactly once
    assert server.connections == 2


class ResetBeforeWrite(httpx.AsyncBaseTransport):
    """httpx's own transport; on the request marked ``armed``, the server resets the pooled
    connection right after the pool handed it out and before the request head is written
    (through the request's trace extension), the race no pool check can close."""

    def __init__(self, server: RawServer) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._server = server
        self._streams: list[Any] = []
        self.armed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        client_trace = request.extensions.get("trace")
        armed, self.armed = self.armed, False

        async def trace(event: str, info: dict[str, Any]) -> None:
            if event == "connection.connect_tcp.complete":
                self._streams.append(info["return_value"])
            if armed and event == "http11.send_request_headers.started":
                await self._server.reset_idle()
                await wait_for(lambda: self._streams[0].get_extra_info("is_readable"))
            if client_trace is not None:
                await client_trace(event, info)

        request.extensions["trace"] = trace
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def wait_for(condition: Any, bound: float = 10.0) -> None:
    """Yield to the loop until ``condition()`` holds (fail after ``bound`` seconds)."""
    async with asyncio.timeout(bound):
        while not condition():  # noqa: ASYNC110 - a socket state no event reports
            await asyncio.sleep(0.001)


@pytest.mark.parametrize(
    ("call", "sent"),
    [
        (lambda c: c.update_model("m1", EDIT), PATCH),
        (
            lambda c: c.set_capabilities("m1", ["chat"]),
            ("PATCH", "/proj_demo/v1/models/m1/capabilities"),
        ),
    ],
    ids=["update", "capabilities"],
)
async def test_a_mutation_whose_connection_died_before_it_was_written_is_sent_once_more(
    call: Callable[[XeroClient], Awaitable[Any]], sent: tuple[str, str]
) -> None:
    server = RawServer(lambda n: Answer(200))
    transport = ResetBeforeWrite(server)
    async with server.running():
        client = XeroClient(server.base_url, KEY, transport=transport)
        async with client:
            await client.get_model("m1")
            transport.armed = True
            await call(client)
    assert server.seen == [GET, sent]  # exactly once, on a new connection
    assert server.connections == 2
    assert [r.status for r in client.log.records()] == [200, 200]


async def test_a_bodyless_post_that_met_a_reset_is_not_resent() -> None:
    """asyncio reports a reset met by a request's only write at the next write, which a
    body-less request does not make: the client cannot tell it from a request that arrived,
    so it is not resent."""
    server = RawServer(lambda n: Answer(200))
    transport = ResetBeforeWrite(server)
    async with server.running():
        client = XeroClient(server.base_url, KEY, transport=transport)
        async with client:
            await client.get_model("m1")
            transport.armed = True
            with pytest.raises(ConnectionFailedError) as info:
                await client.share_model("m1")
    assert server.seen == [GET]
    assert MAY_HAVE_REACHED in info.value.message


@pytest.mark.parametrize("how", ["fin", "reset"])
@pytest.mark.parametrize("reused", [True, False], ids=["reused", "new"])
async def test_a_patch_the_server_read_and_then_dropped_is_never_resent(
    how: str, reused: bool
) -> None:
    first = 2 if reused else 1
    server = RawServer(lambda n: Drop(how) if n == first else Answer(200))  # type: ignore[arg-type]
    async with server.running(), XeroClient(server.base_url, KEY, sleep=no_sleep) as client:
        if reused:
            await client.get_model("m1")
        with pytest.raises(ConnectionFailedError) as info:
            await client.update_model("m1", EDIT)
    assert server.seen == ([GET] if reused else []) + [PATCH]  # once, not again
    assert server.connections == 1
    assert MAY_HAVE_REACHED in info.value.message
    assert "check whether it took effect" in str(info.value)


async def test_a_patch_written_as_the_server_closed_is_not_resent_but_a_get_is_retried() -> None:
    """The idle-timeout race: the request was written, then the server closed the connection
    without reading it. The client cannot know that it was not read: a PATCH fails with a
    message that says so, a GET is retried by the retry policy."""
    server = RawServer(lambda n: Answer(200, then="close-on-next"))
    async with server.running(), XeroClient(server.base_url, KEY, sleep=no_sleep) as client:
        await client.get_model("m1")
        with pytest.raises(ConnectionFailedError) as info:
            await client.update_model("m1", EDIT)
        assert MAY_HAVE_REACHED in info.value.message
        await client.get_model("m1")  # closes its connection on the next request too
        model = await client.get_model("m1")
    assert model.id == "m1"
    assert server.seen == [GET, GET, GET]  # the PATCH never reached it; nor was it resent
    attempts = [(r.method, r.status, r.attempt) for r in client.log.records()]
    assert attempts == [
        ("GET", 200, 1),
        ("PATCH", None, 1),
        ("GET", 200, 1),
        ("GET", None, 1),
        ("GET", 200, 2),
    ]


async def test_after_a_sandbox_500_the_next_patch_is_applied(
    client: XeroClient, sandbox: SandboxInfo
) -> None:
    """The probe's case against the sandbox: a PATCH right after a failed PATCH (an integer
    the sandbox could not store answered 500 and closed the connection) is applied."""
    admin = XeroClient(sandbox.base_url, sandbox.admin_api_key)
    async with admin:
        page = await admin.list_models(limit=1)
        model_id = page.data[0].id
        for trial in range(20):
            with pytest.raises(XeroError):
                await admin.update_model(model_id, ModelUpdate(context_length=10**20))
            model = await admin.update_model(model_id, ModelUpdate(description=f"t{trial}"))
            assert model.description == f"t{trial}"
        back: Model = await client.get_model(model_id)
    assert back.description == "t19"


async def test_retiring_connections_after_5xx_spares_concurrent_requests(
    client: XeroClient, faults: Any
) -> None:
    await faults(error_rate=0.3, error_status=503, methods=["GET"], seed=7)
    pages = await asyncio.gather(*(client.list_models(limit=5, offset=i) for i in range(24)))
    assert [len(p.data) for p in pages] == [5] * 24
    errors = [r for r in client.log.records() if r.status is None]
    assert errors == []  # a 503 never took another request's connection down
    assert any(r.status == 503 for r in client.log.records())
