"""PrefetchTransport: answer the one request a Prefetch already made, send the rest."""

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
