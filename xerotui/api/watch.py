"""StatusWatcher: every model under watch, polled by one loop until its status is terminal.

One asyncio task serves all watches (never one task per model). Each watch keeps its own
schedule: polled ``PollPolicy.first`` s after it starts, then at an interval that grows by
``factor`` up to ``cap`` while nothing changes and drops back to ``first`` when the status
changes; watches due within ``coalesce`` s share a round, and a round costs the fewest
requests that answer it (:mod:`xerotui.api.watch_poll`: list pages or one GET each).

- A watch ends at a terminal status (success: active, ready, validated; failure: error,
  failed, invalid), at its timeout (600 s unless told), on a 404 (the model is gone), when
  cancelled, or by :meth:`StatusWatcher.end_all` with a reason (e.g. a profile switch).
  A status the caller knew before the watch started is history, never an outcome: only a
  polled status ends a watch.
- 5xx, timeouts and dropped connections never end a watch: they count as consecutive
  failures, shown as the watch's ``problem``, and back its polls off like an unchanged poll.
  A 429 pauses the whole loop for its Retry-After (rate limits are per key).
- :meth:`watch` is for user-started watches (their end is ``reported``); :meth:`track` is
  for in-progress models the model list came across, whoever started them (they end
  silently). Watching an id already under watch returns that watch.
- Subscribers get one :class:`~xerotui.api.watch_state.WatchUpdate` per round or per call:
  the changes (which watch, new and previous status) and every model fetched.

The client, the clock and the sleep are injected, so tests run in plain asyncio with a fake
clock and never wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from xerotui.api.errors import NotFoundError, XeroError
from xerotui.api.schema import Model
from xerotui.api.watch_poll import ModelSource, StatusPoller
from xerotui.api.watch_state import (
    DEFAULT_TIMEOUT,
    ORIGIN_LIST,
    ORIGIN_REVALIDATE,
    Change,
    Outcome,
    PollPolicy,
    Watch,
    WatchChange,
    WatchUpdate,
    describe,
    outcome_of,
)

log = logging.getLogger(__name__)

Subscriber = Callable[[WatchUpdate], None]
Sleep = Callable[[float], Awaitable[Any]]
KEEP_ENDED = 500  # ended watches kept for the Jobs screen; older ones are forgotten


class StatusWatcher:
    """Watches models of one client. ``start()`` (or the first watch) runs its loop."""

    def __init__(
        self,
        source: ModelSource,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        policy: PollPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.timeout = timeout
        self.policy = policy or PollPolicy()
        self._poller = StatusPoller(source, self.policy)
        self._clock = clock
        self._wall = wall
        self._sleep = sleep
        self._watches: list[Watch] = []
        self._running: dict[str, Watch] = {}
        self._waiters: dict[int, asyncio.Future[Outcome]] = {}
        self._subscribers: list[Subscriber] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._count = 0
        self._epoch = 0  # bumped by end_all: answers to older polls are dropped
        self._paused_until = float("-inf")

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Run the loop on the running event loop (idempotent)."""
        if self._closed:
            raise RuntimeError("this StatusWatcher is closed")
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="status-watch")

    async def aclose(self) -> None:
        """Stop the loop. Watches keep their state; none is ended."""
        self._closed = True
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def __aenter__(self) -> StatusWatcher:
        self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ queries

    def watches(self) -> list[Watch]:
        """Every watch of the session (the oldest ended ones forgotten), oldest first."""
        return list(self._watches)

    def running(self) -> list[Watch]:
        return list(self._running.values())

    def get(self, model_id: str) -> Watch | None:
        """The running watch of a model, if any."""
        return self._running.get(model_id)

    @property
    def pages(self) -> int | None:
        """The project's page count as the poller last learned it (None before a list)."""
        return self._poller.pages

    # ------------------------------------------------------------------ commands

    def watch(
        self,
        model_id: str,
        *,
        status: str | None = None,
        name: str | None = None,
        timeout: float | None = None,
        origin: str = ORIGIN_REVALIDATE,
    ) -> Watch:
        """Follow a model until it ends, and report the end (``reported``).

        ``status`` is what the caller knows now (e.g. the revalidate answer): the first entry
        of the history; without it the model is polled at once. An id already under watch
        returns that watch; a passive one becomes reported, with ``timeout`` from now.
        """
        now = self._clock()
        existing = self._running.get(model_id)
        if existing is not None:
            if not existing.reported:
                existing.reported, existing.origin = True, origin
                wanted = self.timeout if timeout is None else timeout
                existing.timeout = (now - existing.started) + wanted
                existing.interval = self.policy.first
                existing.next_due = min(existing.next_due, now + self.policy.first)
                change = WatchChange(existing, Change.STARTED, existing.status)
                self._publish(WatchUpdate((change,)))
                self._kick()
            return existing
        watch = self._add(model_id, status, name, timeout, origin, reported=True, now=now)
        self._publish(WatchUpdate((WatchChange(watch, Change.STARTED, watch.status),)))
        self._kick()
        return watch

    def track(self, models: Iterable[Model], *, origin: str = ORIGIN_LIST) -> list[Watch]:
        """Follow, silently, each model in progress that is not under watch yet.

        For the model list: pass what it loaded; terminal models, models without a status
        and models already under watch are skipped (a list read before a watch started
        never changes that watch). Returns the new watches.
        """
        now = self._clock()
        added: list[Watch] = []
        for model in models:
            if model.status is None or outcome_of(model.status) is not None:
                continue
            if model.id in self._running:
                continue
            added.append(
                self._add(model.id, model.status, model.name, None, origin, False, now=now)
            )
        if added:
            changes = tuple(WatchChange(w, Change.STARTED, w.status) for w in added)
            self._publish(WatchUpdate(changes))
            self._kick()
        return added

    def cancel(self, target: Watch | str) -> bool:
        """Stop watching (a watch or a model id); False when it was not running."""
        watch = self._running.get(target if isinstance(target, str) else target.model_id)
        if watch is None or (isinstance(target, Watch) and watch is not target):
            return False
        change = self._end(watch, Outcome.CANCELLED, "Cancelled", self._clock())
        self._publish(WatchUpdate((change,)))
        self._wake.set()
        return True

    def end_all(self, reason: str) -> list[Watch]:
        """End every running watch with ``reason`` (e.g. "profile switched to prod")."""
        now = self._clock()
        ended = list(self._running.values())
        self._epoch += 1
        changes = tuple(self._end(w, Outcome.ENDED, reason, now) for w in ended)
        if changes:
            self._publish(WatchUpdate(changes))
        self._wake.set()
        return ended

    async def wait(self, watch: Watch) -> Outcome:
        """The watch's outcome, once it has one (cancelling the wait leaves the watch)."""
        if watch.outcome is not None:
            return watch.outcome
        future = self._waiters.get(watch.number)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._waiters[watch.number] = future
        return await asyncio.shield(future)

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(update)`` on every change; returns an unsubscriber."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    # ------------------------------------------------------------------ bookkeeping

    def _add(
        self,
        model_id: str,
        status: str | None,
        name: str | None,
        timeout: float | None,
        origin: str,
        reported: bool,
        *,
        now: float,
    ) -> Watch:
        self._count += 1
        first = self.policy.first
        watch = Watch(
            number=self._count,
            model_id=model_id,
            origin=origin,
            reported=reported,
            started=now,
            started_wall=self._wall(),
            timeout=self.timeout if timeout is None else timeout,
            name=name,
            status=status,
            interval=first,
            next_due=now + first if status else now,
        )
        if status:
            watch.history.append((watch.started_wall, status))
        self._watches.append(watch)
        self._running[model_id] = watch
        return watch

    def _end(self, watch: Watch, outcome: Outcome, reason: str, now: float) -> WatchChange:
        watch.outcome, watch.reason, watch.ended = outcome, reason, now
        self._running.pop(watch.model_id, None)
        future = self._waiters.pop(watch.number, None)
        if future is not None and not future.done():
            future.set_result(outcome)
        ended = [w for w in self._watches if not w.running]
        for old in ended[: max(0, len(ended) - KEEP_ENDED)]:
            self._watches.remove(old)
        return WatchChange(watch, Change.ENDED, watch.status, watch.status)

    def _publish(self, update: WatchUpdate) -> None:
        if not update:
            return
        for callback in list(self._subscribers):
            try:
                callback(update)
            except Exception:  # a broken observer must not stop the watches
                log.exception("status watcher subscriber %r failed", callback)

    def _kick(self) -> None:
        """Wake the loop (starting it when an event loop runs and nobody started it)."""
        self._wake.set()
        if self._task is None and not self._closed:
            with contextlib.suppress(RuntimeError):  # no running loop: start() later
                self.start()

    # ------------------------------------------------------------------ the loop

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self._round()
            except Exception:  # keep watching whatever one round did
                log.exception("status watcher round failed")
                await self._pause(self.policy.cap)
                continue
            await self._pause(self._delay())

    def _delay(self) -> float | None:
        """Seconds until the next poll or deadline; None when nothing runs."""
        if not self._running:
            return None
        wake_at = min(
            min(w.deadline, max(w.next_due, self._paused_until)) for w in self._running.values()
        )
        return max(0.0, wake_at - self._clock())

    async def _pause(self, delay: float | None) -> None:
        """Sleep ``delay`` s (forever when None) or until woken, whichever comes first."""
        if self._wake.is_set():
            return
        waiters: list[asyncio.Future[Any]] = [asyncio.ensure_future(self._wake.wait())]
        if delay is not None:
            waiters.append(asyncio.ensure_future(self._sleep(delay)))
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            await asyncio.gather(*waiters, return_exceptions=True)

    async def _round(self) -> None:
        now = self._clock()
        changes: list[WatchChange] = []
        models: list[Model] = []
        gone: list[str] = []
        if self._running and now >= self._paused_until:
            horizon = now + self.policy.coalesce
            due = [w for w in self._running.values() if min(w.next_due, w.deadline) <= horizon]
            if due:
                await self._poll(due, changes, models, gone)
        now = self._clock()
        for watch in [w for w in self._running.values() if now >= w.deadline]:
            status = watch.status or "unknown"
            reason = f"Still {status} after {watch.timeout:g} s"
            changes.append(self._end(watch, Outcome.TIMEOUT, reason, now))
        self._publish(WatchUpdate(tuple(changes), tuple(models), tuple(gone)))

    async def _poll(
        self, due: list[Watch], changes: list[WatchChange], models: list[Model], gone: list[str]
    ) -> None:
        epoch = self._epoch
        result = await self._poller.poll([w.model_id for w in due], set(self._running))
        if epoch != self._epoch:  # end_all ran meanwhile: these answers are of the past
            return
        now = self._clock()
        due_ids = {w.model_id for w in due}
        models.extend(result.models.values())
        for model_id, model in result.models.items():
            watch = self._running.get(model_id)
            if watch is None:
                continue
            changes += watch.observed(model, self.policy, now, due=model_id in due_ids)
            outcome = outcome_of(watch.status)
            if outcome is not None:
                changes.append(self._end(watch, outcome, f"Status {watch.status}", now))
        for model_id, error in result.errors.items():
            watch = self._running.get(model_id)
            if watch is None:
                continue
            if isinstance(error, NotFoundError) and error.code in (None, "model_not_found"):
                gone.append(model_id)
                changes.append(self._end(watch, Outcome.GONE, f"Model gone: {error.message}", now))
            else:
                if not isinstance(error, XeroError):
                    log.warning("status poll of %s failed: %r", model_id, error)
                changes.append(watch.poll_failed(describe(error), self.policy, now))
        if result.rate_limited is not None:
            wait = result.rate_limited.retry_after
            self._paused_until = now + (self.policy.rate_limit_wait if wait is None else wait)
