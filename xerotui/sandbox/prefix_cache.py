"""PrefixCache: simulated prompt prefix caching, per endpoint.

A request's cached tokens are the prompt tokens of the longest run of leading messages
already seen on that endpoint (an earlier request, or an earlier request plus its answer,
which is how a multi-turn chat hits the cache).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence

MAX_ENTRIES = 50_000


def _chain(messages: Sequence[tuple[str, str]]) -> list[str]:
    """Hashes of each leading run of messages: h(m0), h(m0, m1), ..."""
    digest = hashlib.sha256()
    out: list[str] = []
    for role, content in messages:
        digest.update(role.encode() + b"\x00" + content.encode() + b"\x01")
        out.append(digest.copy().hexdigest())
    return out


class PrefixCache:
    def __init__(self) -> None:
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()

    def clear(self) -> None:
        self._seen.clear()

    def cached_messages(self, scope: str, messages: Sequence[tuple[str, str]]) -> int:
        """How many leading messages of this request were seen before on ``scope``."""
        hits = 0
        for index, key in enumerate(_chain(messages)):
            if (scope, key) in self._seen:
                hits = index + 1
        return hits

    def remember(self, scope: str, messages: Sequence[tuple[str, str]]) -> None:
        for key in _chain(messages):
            self._seen[(scope, key)] = None
            self._seen.move_to_end((scope, key))
        while len(self._seen) > MAX_ENTRIES:
            self._seen.popitem(last=False)
