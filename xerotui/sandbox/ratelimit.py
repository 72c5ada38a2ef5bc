"""RateLimiter: per-key request counts in fixed one-minute windows.

Every request is counted so `X-RateLimit-Remaining` moves; requests are refused (429) only
when a limit is enforced (the `rate_limit` fault / `--rate-limit`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

DEFAULT_LIMIT = 240  # requests per minute, the GPU shared tiers' documented figure
WINDOW = 60.0


@dataclass(frozen=True)
class RateDecision:
    limit: int
    remaining: int
    retry_after: int | None  # set when the request must be refused


class RateLimiter:
    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, int]] = {}

    def clear(self) -> None:
        self._windows.clear()

    def hit(self, key: str, enforced: int = 0, now: float | None = None) -> RateDecision:
        """Count one request of ``key``; ``enforced`` > 0 refuses requests over that limit."""
        now = time.time() if now is None else now
        window = int(now // WINDOW)
        current, count = self._windows.get(key, (window, 0))
        if current != window:
            count = 0
        count += 1
        if len(self._windows) > 10_000:
            self._windows.clear()
        self._windows[key] = (window, count)
        limit = enforced or DEFAULT_LIMIT
        remaining = max(0, limit - count)
        retry_after = None
        if enforced and count > enforced:
            retry_after = max(1, math.ceil((window + 1) * WINDOW - now))
        return RateDecision(limit, remaining, retry_after)
