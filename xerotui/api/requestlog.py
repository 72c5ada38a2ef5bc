"""The request log: one record per HTTP attempt, bounded, observable by plain callbacks.

The client appends a :class:`RequestRecord` for every attempt (retries included), the API-log
screen lists them and the scope screen asks :meth:`RequestLog.last_for` what the server last
answered on each endpoint. Records never hold the API key: only its masked form.

A request the client's mode kept from the server (``--dry-run``, ``--read-only``: see
:mod:`xerotui.api.guard`) is recorded too, with ``held`` saying which ("dry-run" or
"read-only"), no status, and the client's message in ``error_message`` (for a dry run it
ends with the masked curl); it is not an error and never counts as what the server
answered. A request the client refused to build (``InvalidRequestError``) is not recorded:
nothing was planned.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from xerotui.api import endpoints
from xerotui.api.errors import HeldRequestError, StreamInterruptedError, XeroError

log = logging.getLogger(__name__)

Subscriber = Callable[["RequestRecord"], None]


@dataclass(frozen=True)
class RequestRecord:
    """One HTTP attempt as it happened. ``status`` is None when no response arrived."""

    started: float  # epoch seconds
    method: str
    path: str  # project-relative, e.g. /v1/models/abc
    url: str  # absolute, without query and without credentials
    query: str = ""
    status: int | None = None
    latency_ms: float = 0.0
    request_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    error_body: dict[str, Any] | None = None
    endpoint_key: str | None = None
    attempt: int = 1
    streamed: bool = False
    cancelled: bool = False
    key_masked: str = ""
    held: str = ""  # "dry-run" / "read-only": never sent (see the module doc)

    @property
    def sent(self) -> bool:
        """Whether the request left the client (False for a dry run or a refusal)."""
        return not self.held

    @property
    def is_error(self) -> bool:
        """A failure worth listing: no response, an HTTP error, or an in-band stream error."""
        if self.cancelled or self.held:
            return False
        return self.status is None or self.status >= 400 or self.error_code is not None

    @property
    def target(self) -> str:
        """Path and query as one string, for display."""
        return f"{self.path}?{self.query}" if self.query else self.path

    @classmethod
    def of_attempt(
        cls,
        started: float,
        t0: float,
        method: str,
        path: str,
        url: str,
        query: str,
        response: httpx.Response | None,
        error: XeroError | None,
        attempt: int,
        streamed: bool = False,
        cancelled: bool = False,
        *,
        key_masked: str = "",
    ) -> RequestRecord:
        """The record of an attempt started at ``started`` (epoch) / ``t0`` (perf counter)."""
        endpoint = endpoints.match(method, path)
        code = error.code if error is not None else None
        if isinstance(error, StreamInterruptedError) and code is None:
            code = "stream_interrupted"
        return cls(
            started,
            method,
            path,
            url,
            query=query,
            status=response.status_code if response is not None else None,
            latency_ms=(time.perf_counter() - t0) * 1000.0,
            request_id=response.headers.get("x-request-id") if response is not None else None,
            error_code=code,
            error_message=error.message if error is not None else None,
            error_body=error.body if error is not None else None,
            endpoint_key=endpoint.key if endpoint else None,
            attempt=attempt,
            streamed=streamed,
            cancelled=cancelled,
            key_masked=key_masked,
            held=error.kind if isinstance(error, HeldRequestError) else "",
        )


class RequestLog:
    """A bounded, newest-last list of :class:`RequestRecord` with change callbacks."""

    def __init__(self, maxlen: int = 5000) -> None:
        self._records: deque[RequestRecord] = deque(maxlen=maxlen)
        self._subscribers: list[Subscriber] = []

    @property
    def maxlen(self) -> int:
        return self._records.maxlen or 0

    def __len__(self) -> int:
        return len(self._records)

    def append(self, record: RequestRecord) -> None:
        """Store a record (the oldest falls off when full) and tell every subscriber."""
        self._records.append(record)
        for callback in list(self._subscribers):
            try:
                callback(record)
            except Exception:  # a broken observer must not fail the request
                log.exception("request log subscriber %r failed", callback)

    def records(self) -> list[RequestRecord]:
        """Every stored record, newest last."""
        return list(self._records)

    def errors(self) -> list[RequestRecord]:
        """The records that failed, newest last."""
        return [r for r in self._records if r.is_error]

    def last_for(self, endpoint_key: str) -> RequestRecord | None:
        """The newest record of a sent request for a scope-table row (``endpoints.ENDPOINTS``)."""
        for record in reversed(self._records):
            if record.endpoint_key == endpoint_key and record.sent:
                return record
        return None

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(record)`` synchronously on every append; returns an unsubscriber."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def clear(self) -> None:
        """Forget every record (subscribers stay)."""
        self._records.clear()
