"""PrefetchTransport: answer the one request a Prefetch already made, send the rest; and
client_transport(), which assembles the client's transport."""

from __future__ import annotations

import asyncio
import contextlib

import httpx

from xerotui.api.prefetch import Prefetch, Raw


class PrefetchTransport(httpx.AsyncBaseTransport):
    """Wraps the real transport; used once, for the request the prefetch matches."""

    def __init__(self, inner: httpx.AsyncBaseTransport, prefetch: Prefetch) -> None:
        self._inner = inner
        self._prefetch: Prefetch | None = prefetch

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        prefetch = self._prefetch
        params = dict(request.url.params)
        if prefetch is not None and prefetch.matches(request.method, request.url.path, params):
            self._prefetch = None
            raw = await self._wait(prefetch)
            if raw is not None:
                status, headers, body = raw
                return httpx.Response(status, headers=headers, content=body, request=request)
        return await self._inner.handle_async_request(request)

    @staticmethod
    async def _wait(prefetch: Prefetch) -> Raw | None:
        """Await the prefetch without tying up a thread (quitting must not wait for it)."""
        loop = asyncio.get_running_loop()
        arrived: asyncio.Future[Raw | None] = loop.create_future()

        def settle(raw: Raw | None) -> None:
            if not arrived.done():  # not cancelled meanwhile
                arrived.set_result(raw)

        def deliver(raw: Raw | None) -> None:
            with contextlib.suppress(RuntimeError):  # the loop closed: nobody is waiting
                loop.call_soon_threadsafe(settle, raw)

        prefetch.when_done(deliver)
        return await arrived

    async def aclose(self) -> None:
        await self._inner.aclose()


def client_transport(
    root: str, transport: httpx.AsyncBaseTransport | None, prefetch: Prefetch | None
) -> httpx.AsyncBaseTransport:
    """The client's transport: the one given (tests), else httpx's own, behind the prefetch.

    Plain http:// (the local sandbox) never does TLS, so the CA bundle is not loaded (~20 ms
    at start-up); https:// keeps full certificate verification.
    """
    if transport is None:
        transport = httpx.AsyncHTTPTransport(verify=not root.startswith("http://"))
    return transport if prefetch is None else PrefetchTransport(transport, prefetch)
