"""A fake clock and a scripted model source, to drive StatusWatcher in virtual time.

Nothing here waits for real time: the fake sleep parks until the test moves the clock, and
every wait is on a condition (bounded by a generous real-time limit, in case of a bug).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from xerotui.api.errors import NotFoundError
from xerotui.api.schema import Model, ModelList
from xerotui.api.watch import StatusWatcher
from xerotui.api.watch_state import PollPolicy, WatchUpdate

START = 1000.0  # the fake monotonic clock at the start
WALL = 1_767_225_600.0  # 2026-01-01T00:00:00Z, the wall clock at the start
BOUND = 10.0  # real seconds any wait may take before the test fails


def model(model_id: str, status: str | None, name: str | None = None) -> Model:
    return Model(id=model_id, created=1, owned_by="proj_demo", name=name or model_id, status=status)


class FakeClock:
    """Monotonic time that moves only when told; ``sleep`` parks until then."""

    def __init__(self, changed: asyncio.Event) -> None:
        self.now = START
        self.sleeps: list[float] = []
        self._parked: list[tuple[float, asyncio.Future[None]]] = []
        self._changed = changed

    def __call__(self) -> float:
        return self.now

    def wall(self) -> float:
        return WALL + (self.now - START)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        entry = (self.now + seconds, asyncio.get_running_loop().create_future())
        self._parked.append(entry)
        self._changed.set()
        try:
            await entry[1]
        finally:
            self._parked.remove(entry)

    @property
    def sleeping(self) -> bool:
        return any(not future.done() for _, future in self._parked)

    def next_wake(self) -> float | None:
        waiting = [due for due, future in self._parked if not future.done()]
        return min(waiting) if waiting else None

    def advance_to_next(self) -> None:
        """Jump to the earliest pending sleep's end and release it (and any others due)."""
        due = self.next_wake()
        assert due is not None, "nothing is sleeping"
        self.now = max(self.now, due)
        for when, future in self._parked:
            if when <= self.now and not future.done():
                future.set_result(None)


class FakeSource:
    """Models whose status follows a timeline in virtual seconds from the start.

    ``timeline[id] = [(0, "validating"), (5, "ready")]``. ``failures`` are raised, in order,
    by the next requests; ids in ``gone`` answer 404; ``total`` pretends the project has
    ``filler`` adds that many ready models; the list is sorted by id.
    """

    def __init__(self, clock: FakeClock, changed: asyncio.Event) -> None:
        self.clock = clock
        self.timeline: dict[str, list[tuple[float, str]]] = {}
        self.failures: list[Exception] = []
        self.gone: set[str] = set()
        self.calls: list[tuple[str, Any, float]] = []  # ("get", id, t) / ("list", offset, t)
        self.filler = 0
        self._changed = changed

    def status_of(self, model_id: str) -> str:
        elapsed = self.clock.now - START
        return [s for t, s in self.timeline[model_id] if t <= elapsed][-1]

    def _call(self, kind: str, what: Any) -> None:
        self.calls.append((kind, what, self.clock.now - START))
        self._changed.set()
        if self.failures:
            raise self.failures.pop(0)

    async def get_model(self, model_id: str, extended: bool = True) -> Model:
        self._call("get", model_id)
        if model_id in self.gone or model_id not in self.timeline:
            raise NotFoundError("Model not found", code="model_not_found", status=404)
        return model(model_id, self.status_of(model_id))

    async def list_models(
        self, limit: int = 100, offset: int = 0, extended: bool = True
    ) -> ModelList:
        self._call("list", offset)
        real = [model(m, self.status_of(m)) for m in sorted(self.timeline) if m not in self.gone]
        filler = [model(f"filler-{n:05d}", "ready") for n in range(self.filler)]
        everything = sorted(real + filler, key=lambda m: m.id)
        page = everything[offset : offset + limit]
        more = offset + len(page) < len(everything)
        return ModelList(data=page, has_more=more, total=len(everything))

    def gets(self, model_id: str | None = None) -> list[float]:
        """Virtual times of the GETs (of one model, or all)."""
        return [t for kind, what, t in self.calls if kind == "get" and model_id in (None, what)]

    def lists(self) -> list[float]:
        return [t for kind, _, t in self.calls if kind == "list"]


class Harness:
    """A StatusWatcher on a FakeSource and a FakeClock, with the updates it published."""

    def __init__(self, policy: PollPolicy | None = None, **kw: Any) -> None:
        self.changed = asyncio.Event()
        self.clock = FakeClock(self.changed)
        self.source = FakeSource(self.clock, self.changed)
        self.watcher = StatusWatcher(
            self.source,
            policy=policy,
            clock=self.clock,
            wall=self.clock.wall,
            sleep=self.clock.sleep,
            **kw,
        )
        self.updates: list[WatchUpdate] = []
        self.watcher.subscribe(self._record)

    def _record(self, update: WatchUpdate) -> None:
        self.updates.append(update)
        self.changed.set()

    @property
    def elapsed(self) -> float:
        return self.clock.now - START

    async def until(self, condition: Callable[[], bool]) -> None:
        """Let the loop run (no virtual time passes) until ``condition`` holds."""
        async with asyncio.timeout(BOUND):
            while not condition():
                self.changed.clear()
                await self.changed.wait()

    async def idle(self) -> None:
        """Until the loop sleeps again (after a round, a wake-up, ...)."""
        await self.until(lambda: self.clock.sleeping)

    async def run_until(self, condition: Callable[[], bool], horizon: float = 3600.0) -> None:
        """Move virtual time, one sleep at a time, until ``condition`` holds."""
        limit = self.clock.now + horizon
        for _ in range(10_000):
            await self.until(lambda: condition() or self.clock.sleeping)
            if condition():
                return
            self.clock.advance_to_next()
            assert self.clock.now <= limit, f"not reached within {horizon:g} virtual seconds"
        raise AssertionError("the watcher keeps waking without time passing")

    def changes(self, kind: str | None = None) -> list[tuple[str, str, str | None, str | None]]:
        """(model id, kind, status, previous) of every change published, in order."""
        return [
            (c.watch.model_id, str(c.kind), c.status, c.previous)
            for u in self.updates
            for c in u.changes
            if kind is None or c.kind == kind
        ]
