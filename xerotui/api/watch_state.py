"""Watch: one model under watch by the status watcher, and the updates subscribers receive.

Kept apart from :mod:`xerotui.api.watch` (the polling loop) so screens, stores and tests can
read a watch without the loop. A :class:`Watch` is owned and changed only by its
:class:`~xerotui.api.watch.StatusWatcher`; everyone else reads it. Times are kept twice: the
watcher's monotonic clock (elapsed, deadlines) and wall-clock seconds (to show the time of
day of each status change).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from xerotui.api.errors import XeroError
from xerotui.api.schema import FAILURE_STATUSES, SUCCESS_STATUSES, Model

DEFAULT_TIMEOUT = 600.0  # seconds, as xeroctl's --wait-timeout
ORIGIN_REVALIDATE = "revalidate"  # started by the user: its end is reported
ORIGIN_LIST = "seen in list"  # an in-progress model the model list came across: silent


class Outcome(enum.StrEnum):
    """How a watch ended."""

    SUCCESS = "success"  # active, ready, validated
    FAILURE = "failure"  # error, failed, invalid
    TIMEOUT = "timeout"  # still in progress when its timeout passed
    GONE = "gone"  # the server answered 404: the model no longer exists
    CANCELLED = "cancelled"  # the user stopped watching
    ENDED = "ended"  # stopped for a reason given in words (e.g. a profile switch)


def outcome_of(status: str | None) -> Outcome | None:
    """The outcome a polled status means, or None while the model is in progress."""
    if status in SUCCESS_STATUSES:
        return Outcome.SUCCESS
    if status in FAILURE_STATUSES:
        return Outcome.FAILURE
    return None


def describe(error: BaseException) -> str:
    """A failed poll in one line, for the watch's ``problem``."""
    if isinstance(error, XeroError):
        detail = error.detail
        return f"{error.title}: {error.message}" + (f" ({detail})" if detail else "")
    return f"Unexpected error: {error!r}"


@dataclass(frozen=True)
class PollPolicy:
    """How often the watcher polls.

    Each watch starts at ``first`` seconds between polls; every poll that shows no change
    (or fails) multiplies its interval by ``factor`` up to ``cap``; a status change brings it
    back to ``first``. Watches due within ``coalesce`` seconds of each other share a round.
    """

    first: float = 1.0
    factor: float = 1.5
    cap: float = 10.0
    coalesce: float = 0.5
    concurrency: int = 8  # GETs in flight at once
    page_size: int = 100  # the server's ceiling for `limit`
    rate_limit_wait: float = 10.0  # pause after a 429 that names no Retry-After

    def __post_init__(self) -> None:
        if not 0 < self.first <= self.cap or self.factor < 1 or self.concurrency < 1:
            raise ValueError("PollPolicy needs 0 < first <= cap, factor >= 1, concurrency >= 1")

    def slower(self, interval: float) -> float:
        """The interval after a poll that showed no change (or failed)."""
        return min(self.cap, interval * self.factor)

    def schedule(self, polls: int) -> list[float]:
        """The intervals of the first ``polls`` polls of a model that never changes."""
        intervals, interval = [], self.first
        for _ in range(polls):
            intervals.append(interval)
            interval = self.slower(interval)
        return intervals


@dataclass(eq=False)
class Watch:
    """One model under watch. Read-only outside the watcher."""

    number: int  # 1, 2, ... in the order watches started this session
    model_id: str
    origin: str
    reported: bool  # whether its end deserves a notice (user-started) or not (passive)
    started: float  # watcher clock (monotonic seconds)
    started_wall: float  # epoch seconds
    timeout: float
    name: str | None = None
    status: str | None = None  # the last status known
    history: list[tuple[float, str]] = field(default_factory=list)  # (epoch seconds, status)
    polls: int = 0
    failures: int = 0  # consecutive failed polls
    problem: str | None = None  # why the last poll failed, while it keeps failing
    outcome: Outcome | None = None
    reason: str | None = None  # the outcome in words (404 text, timeout, "profile switched")
    ended: float | None = None  # watcher clock
    # schedule (watcher-internal)
    interval: float = 0.0
    next_due: float = 0.0

    @property
    def running(self) -> bool:
        return self.outcome is None

    @property
    def deadline(self) -> float:
        return self.started + self.timeout

    @property
    def label(self) -> str:
        """The model's name when known, else its id."""
        return self.name or self.model_id

    def wall(self, clock_time: float) -> float:
        """Epoch seconds of a time on the watcher clock."""
        return self.started_wall + (clock_time - self.started)

    def elapsed(self, now: float) -> float:
        """Seconds watched: until ``now`` (watcher clock) while running, else until the end."""
        end = self.ended if self.ended is not None else now
        return max(0.0, end - self.started)

    def observed(
        self, model: Model, policy: PollPolicy, now: float, *, due: bool
    ) -> list[WatchChange]:
        """A fresh copy of the model: a new status is recorded and restarts the schedule, a
        problem is cleared, a due poll that changed nothing slows the schedule down. (The
        watcher ends the watch if the status is terminal.)"""
        changes: list[WatchChange] = []
        self.polls += 1
        self.name = model.name or self.name
        if self.failures:
            self.failures, self.problem = 0, None
            changes.append(WatchChange(self, Change.PROBLEM, self.status, self.status))
        previous = self.status
        status = previous if model.status is None else model.status  # no status: no news
        if status != previous:
            self.status = status
            if status:
                self.history.append((self.wall(now), status))
            changes.append(WatchChange(self, Change.STATUS, status, previous))
            self.interval = policy.first
        elif due:
            self.interval = policy.slower(self.interval)
        self.next_due = now + self.interval
        return changes

    def poll_failed(self, problem: str, policy: PollPolicy, now: float) -> WatchChange:
        """A failed poll: counted and shown; the watch goes on, polled less often."""
        self.failures += 1
        self.problem = problem
        self.interval = policy.slower(self.interval)
        self.next_due = now + self.interval
        return WatchChange(self, Change.PROBLEM, self.status, self.status)


class Change(enum.StrEnum):
    """What happened to a watch."""

    STARTED = "started"  # a new watch, or a passive one the user now asked to follow
    STATUS = "status"  # a poll showed a new status
    PROBLEM = "problem"  # a poll failed (problem set) or worked again (problem cleared)
    ENDED = "ended"  # the watch has its outcome


@dataclass(frozen=True)
class WatchChange:
    """One change of one watch, with the status before and after (for a UI to animate)."""

    watch: Watch
    kind: Change
    status: str | None
    previous: str | None = None


@dataclass(frozen=True)
class WatchUpdate:
    """What one round (or one call such as ``watch()``) changed, delivered in one callback.

    ``models`` holds every model the round fetched (to merge into an inventory), ``gone`` the
    ids the server answered 404 for.
    """

    changes: tuple[WatchChange, ...] = ()
    models: tuple[Model, ...] = ()
    gone: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.changes or self.models or self.gone)

    def ended(self) -> list[Watch]:
        """The watches that ended in this update."""
        return [c.watch for c in self.changes if c.kind is Change.ENDED]
