"""check_connection(): is the server there, does it take the key, how fast does it answer."""

from __future__ import annotations

import time
from dataclasses import dataclass

from xerotui.api.client import XeroClient


@dataclass(frozen=True)
class ConnectionCheck:
    latency_ms: float
    models: int | None
    project: str


async def check_connection(client: XeroClient) -> ConnectionCheck:
    """One `GET /models?limit=1&extended=true`; raises the XeroError that explains a failure."""
    started = time.perf_counter()
    page = await client.list_models(limit=1, extended=True)
    latency = (time.perf_counter() - started) * 1000
    return ConnectionCheck(latency, page.total, client.project)
