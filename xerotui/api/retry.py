"""RetryPolicy: which failures the client retries, how often, and how long it waits.

Only idempotent GETs are retried (never a stream, never a mutation: design.md section 9), on
connection failures, timeouts, 429 and 502/503/504. The wait is exponential backoff with
jitter, or the server's ``Retry-After`` (capped) when it sent one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import httpx

from xerotui.api.errors import RateLimitedError, XeroError
from xerotui.api.failures import retry_after_seconds

RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries: ``max_attempts`` counts the first try."""

    max_attempts: int = 4
    backoff_base: float = 0.2
    backoff_cap: float = 5.0
    retry_after_cap: float = 30.0
    statuses: frozenset[int] = field(default=RETRY_STATUSES)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def attempts_for(self, method: str) -> int:
        """How many attempts a (non-streamed) request may take."""
        return self.max_attempts if method.upper() == "GET" else 1

    def should_retry(self, error: XeroError) -> bool:
        """Connection failures, timeouts, 429 and 502/503/504 (not an exhausted quota)."""
        if error.code == "quota_exceeded":  # documented as not retryable
            return False
        if error.status is None:
            return error.retryable
        return error.status in self.statuses

    def delay(self, attempt: int, error: XeroError, response: httpx.Response | None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        after = error.retry_after if isinstance(error, RateLimitedError) else None
        if after is None and response is not None:
            after = retry_after_seconds(response, None)
        if after is not None:
            return min(max(after, 0.0), self.retry_after_cap)
        backoff = min(self.backoff_cap, self.backoff_base * 2.0 ** (attempt - 1))
        return backoff * random.uniform(0.5, 1.0)
