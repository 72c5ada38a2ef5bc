"""Make screen content repeatable for snapshots: URLs that do not depend on the port the run
got, and a request log with fixed times, latencies and request ids."""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlsplit

import httpx
from tui_helpers import build_app

from xerotui.config.settings import Settings
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp

FROZEN_EPOCH = 1_795_000_000.0  # 2026-11-18 08:53:20 UTC
DISPLAY_PORT = 8000
"""URLs on screen read as `make sandbox` serves them, whatever ephemeral port the run got."""


class PortMap(httpx.AsyncBaseTransport):
    """Real HTTP to the sandbox's real port, for a client that believes it is on DISPLAY_PORT."""

    def __init__(self, port: int) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._port = port

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(port=self._port)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def display_url(info: SandboxInfo) -> str:
    parts = urlsplit(info.base_url)
    return parts._replace(netloc=f"{parts.hostname}:{DISPLAY_PORT}").geturl()


def app_on(
    info: SandboxInfo, *, dry_run: bool = False, read_only: bool = False, **settings: Any
) -> XeroApp:
    """The app on the snapshot sandbox, showing port-independent URLs."""
    port = urlsplit(info.base_url).port
    assert port is not None
    return build_app(
        info,
        base_url=display_url(info),
        settings=Settings(refresh_interval=0, **settings),
        transport=PortMap(port),
        dry_run=dry_run,
        read_only=read_only,
    )


def freeze_log(app: XeroApp) -> None:
    """Give every request of the session a fixed time, latency and request id."""
    records = app.request_log.records()
    app.request_log.clear()
    for index, record in enumerate(records):
        app.request_log.append(
            dataclasses.replace(
                record,
                started=FROZEN_EPOCH + index * 0.25,
                latency_ms=11.0 + index % 5,
                request_id=f"req_{index + 1:024d}" if record.request_id else None,
            )
        )
