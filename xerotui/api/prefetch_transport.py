"""PrefetchTransport: answer the one request a Prefetch already made, send the rest; and
client_transport(), which assembles the client's transport."""

from __future__ import annotations

import asyncio

import httpx

from xerotui.api.prefetch import Prefetch


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
            raw = await asyncio.to_thread(prefetch.result)
            if raw is not None:
                status, headers, body = raw
                return httpx.Response(status, headers=headers, content=body, request=request)
        return await self._inner.handle_async_request(request)

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
