"""StatusPoller: one round of status polls, with the fewest requests that answer it.

Two ways to learn the status of the models under watch:

- ``GET /models/{id}`` for each one: N requests for N watched models;
- ``GET /models?limit=100&extended=true`` pages: ceil(T / 100) requests for a project of T
  models, whatever N is (the list items carry ``status``).

Each round takes the cheaper one: the pages when there are fewer pages than models due,
else one GET per model (at most ``PollPolicy.concurrency`` at once). The project's page count
is learned from ``total`` on the first list; before that a round with two or more models due
reads the first page (one request, never more than the GETs it replaces). A scan goes on
while the pages left cost fewer requests than GETs of the models not seen yet, and GETs
the rest. Models due but missing from the pages (deleted, or moved by a concurrent
change in the order) are fetched one by one, so a 404 still says "gone".

Requests per minute (benchmarks/bench_watch.py, sandbox, first minute / once backed off to
one round per 10 s): 5 or 50 models in a 100-model project: 9 / 6 (one page per round);
in a 1,043-model project: 5 models 41 / 30 (GETs), 50 models 90 / 52 (pages). A naive loop
polling each model once a second sends 60 N a minute: 300 for 5, 3,000 for 50. Requests are
what rate limits count; bytes are the price: a page of 100 extended models is ~43 KB against
~0.7 KB for one model, so about 4 KB/s at the cap.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from xerotui.api.errors import RateLimitedError
from xerotui.api.schema import Model, ModelList
from xerotui.api.watch_state import PollPolicy


class ModelSource(Protocol):
    """What the watcher needs of a client (``XeroClient`` has both)."""

    async def get_model(self, model_id: str, extended: bool = True) -> Model: ...

    async def list_models(
        self, limit: int = 100, offset: int = 0, extended: bool = True
    ) -> ModelList: ...


@dataclass
class PollResult:
    """What one round learned: fresh models by id, and the error of each model not fetched."""

    models: dict[str, Model] = field(default_factory=dict)
    errors: dict[str, Exception] = field(default_factory=dict)
    rate_limited: RateLimitedError | None = None
    used_list: bool = False


class StatusPoller:
    """Fetches the models due in a round (see the module docstring for the choice)."""

    def __init__(self, source: ModelSource, policy: PollPolicy) -> None:
        self._source = source
        self._policy = policy
        self._pages: int | None = None  # pages of the project, once a list told us

    @property
    def pages(self) -> int | None:
        """The project's page count as last learned (None before any list)."""
        return self._pages

    def uses_list(self, due: int) -> bool:
        """Whether a round with ``due`` models reads list pages rather than one GET each."""
        return (self._pages or 1) < due

    async def poll(self, due: Sequence[str], watched: Collection[str]) -> PollResult:
        """Fetch every id in ``due``; models of ``watched`` seen on the way come along."""
        result = PollResult()
        missing: Sequence[str] = due
        if self.uses_list(len(due)):
            result.used_list = True
            try:
                missing = await self._scan(due, watched, result)
            except RateLimitedError as error:
                result.rate_limited = error
                result.errors.update(dict.fromkeys(due, error))
                return result
            except Exception as error:  # a failing server: no GETs on top this round
                result.errors.update(dict.fromkeys(due, error))
                return result
        await self._get_each(missing, result)
        return result

    async def _scan(
        self, due: Sequence[str], watched: Collection[str], result: PollResult
    ) -> list[str]:
        """Read pages while the pages left cost fewer requests than GETs of the ids not
        seen yet (before the page count is known: the first page only); returns the unseen."""
        size = self._policy.page_size
        wanted = set(due)
        offset = scanned = 0
        while wanted:
            left = (self._pages or 1) - scanned
            if left <= 0 or (scanned and left >= len(wanted)):
                break
            page = await self._source.list_models(limit=size, offset=offset, extended=True)
            scanned += 1
            for model in page.data:
                if model.id in watched:
                    result.models[model.id] = model
                    wanted.discard(model.id)
            if page.total is not None:
                self._pages = max(1, math.ceil(page.total / size))
            short = page.has_more is None and len(page.data) < size
            if not page.data or page.has_more is False or short:
                if page.total is None:
                    self._pages = scanned
                break
            offset += len(page.data)
        return [mid for mid in due if mid in wanted]

    async def _get_each(self, ids: Sequence[str], result: PollResult) -> None:
        """One GET per id, a few at once; after a 429 the rest wait for the next round."""
        gate = asyncio.Semaphore(self._policy.concurrency)

        async def one(model_id: str) -> None:
            async with gate:
                if result.rate_limited is not None:
                    result.errors[model_id] = result.rate_limited
                    return
                try:
                    result.models[model_id] = await self._source.get_model(model_id, extended=True)
                except RateLimitedError as error:
                    result.rate_limited = error
                    result.errors[model_id] = error
                except Exception as error:  # every failure is the watch's problem, not ours
                    result.errors[model_id] = error

        if ids:
            await asyncio.gather(*(one(mid) for mid in ids))
