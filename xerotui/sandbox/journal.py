"""RequestJournal: every API request the sandbox received, as the server saw it.

Tests read it (``GET /_sandbox/requests``) to count what reached the server: a client log
shows what a client meant to send, the journal what arrived, so "a PATCH is never resent"
is checked where it matters. Each entry gets its status when the response starts, or
``"dropped"`` (the drop fault cut the connection), or ``"disconnected"`` (the client went
away before its body arrived); ``null`` while the request is still being handled.
Control routes (``/_sandbox/...``) and ``/openapi.json`` are not recorded. Bounded; cleared
by ``/_sandbox/reset``.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

MAX_ENTRIES = 10_000


@dataclass
class JournalEntry:
    seq: int
    received: float  # epoch seconds
    method: str
    path: str
    query: str
    request_id: str
    status: int | str | None = None


class RequestJournal:
    def __init__(self, maxlen: int = MAX_ENTRIES) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=maxlen)
        self._seq = itertools.count(1)

    def open(self, method: str, path: str, query: str, request_id: str) -> JournalEntry:
        entry = JournalEntry(next(self._seq), time.time(), method, path, query, request_id)
        self._entries.append(entry)
        return entry

    def entries(
        self, method: str | None = None, path_contains: str | None = None
    ) -> list[dict[str, Any]]:
        """The entries, oldest first, optionally only those of a method / path substring."""
        return [
            asdict(entry)
            for entry in self._entries
            if (method is None or entry.method == method.upper())
            and (path_contains is None or path_contains in entry.path)
        ]

    def clear(self) -> None:
        self._entries.clear()
