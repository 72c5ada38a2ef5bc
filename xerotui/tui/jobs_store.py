"""JobsStore: the session's revalidations under watch, over one StatusWatcher per session.

The app-level store of design.md section 2 for watches, and the app's only poller of model
statuses. It owns the watcher of the current session's client (made on first use) and
publishes each of its updates on ONE signal, `changed`:

- revalidations the user starts (`g r`, `r`; flows in :mod:`xerotui.tui.revalidate`) are
  *reported* watches: when each ends, a toast says how and how long it took;
- models the model list finds in progress, whoever started them, are *tracked* silently
  (ModelFeed calls :meth:`JobsStore.track` after each load while auto refresh is on), so
  a revalidation started elsewhere stops spinning a second or so after the server finished
  instead of at the next refresh;
- every model a round fetched is merged into the feed (only the fields that changed, so
  a list item never wipes the extended fields of a detail), and models the server no
  longer has are removed from it.

A profile switch (:meth:`JobsStore.switch`) ends the old profile's watches with a reason
that says so — their revalidations go on on the server; only the watching stops — keeps
them for the Jobs screen and adds a notice line. The clocks are injectable: snapshots
freeze them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.notifications import SeverityLevel
from textual.signal import Signal

from xerotui.api.schema import Model, is_terminal
from xerotui.api.watch_state import (
    ORIGIN_REVALIDATE,
    Outcome,
    PollPolicy,
    Watch,
    WatchUpdate,
)
from xerotui.tui.format import duration_text
from xerotui.tui.host import host
from xerotui.tui.sanitize import one_line

if TYPE_CHECKING:
    from textual.app import App

    from xerotui.api.watch import StatusWatcher
    from xerotui.tui.revalidate import Revalidator
    from xerotui.tui.session import Session

KEEP_PAST = 500
"""Watches of earlier sessions kept for the Jobs screen."""
TOAST_SECONDS = 8


@dataclass(frozen=True)
class Notice:
    """A line for the Jobs screen about the watches as a whole (e.g. a profile switch)."""

    at: float  # epoch seconds
    text: str


def overlay(old: Model, fresh: Model) -> Model | None:
    """`old` with the fields `fresh` carries (those its server answer set), or None when
    none of them differs: a list item refreshes the status and version of an extended copy
    without dropping its description."""
    changes = {
        name: getattr(fresh, name)
        for name in fresh.model_fields_set
        if getattr(old, name, None) != getattr(fresh, name)
    }
    return old.model_copy(update=changes) if changes else None


class JobsStore:
    """Watches of this app run: the current session's watcher, and those of earlier ones."""

    def __init__(
        self,
        app: App[Any],
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        policy: PollPolicy | None = None,
    ) -> None:
        self.app = app
        self.changed: Signal[WatchUpdate] = Signal(app, "jobs-changed")
        self.clock = clock
        """Monotonic seconds (set before the first watch to freeze time)."""
        self.wall = wall
        """Epoch seconds (likewise)."""
        self.policy = policy
        """How often to poll (None: the watcher's default); set before the first watch."""
        self.watch_timeout: float | None = None
        """Seconds a revalidation is watched; None: the `watch_timeout` setting (600)."""
        self.notices: list[Notice] = []
        self._watcher: StatusWatcher | None = None
        self._client: object | None = None
        self._past: list[Watch] = []
        self._unsubscribe: Callable[[], None] | None = None
        self._revalidate: Revalidator | None = None

    # ------------------------------------------------------------------ state

    @property
    def revalidate(self) -> Revalidator:
        """The `g r` / `r` flows (their module and the watcher's are imported on first use,
        not at start-up)."""
        if self._revalidate is None:
            from xerotui.tui.revalidate import Revalidator

            self._revalidate = Revalidator(self.app, self)
        return self._revalidate

    @property
    def watcher(self) -> StatusWatcher | None:
        """The current session's watcher (made on first use; None before a connection)."""
        session = host(self.app).session
        if session is None:
            return None
        if self._watcher is None or self._client is not session.client:
            _ended, old = self._retire("Connection changed")
            if old is not None:  # (a switch retires it first, and waits for it to stop)
                self.app.run_worker(old.aclose(), group="jobs", exit_on_error=False)
            from xerotui.api.watch import StatusWatcher

            self._watcher = StatusWatcher(
                session.client,
                timeout=self.timeout,
                policy=self.policy,
                clock=self.clock,
                wall=self.wall,
            )
            self._client = session.client
            self._unsubscribe = self._watcher.subscribe(self._on_update)
        return self._watcher

    def now(self) -> float:
        """The watchers' clock now (for elapsed times)."""
        return self.clock()

    def watches(self) -> list[Watch]:
        """Every watch of this app run, oldest first (earlier sessions' first)."""
        current = self._watcher.watches() if self._watcher is not None else []
        return [*self._past, *current]

    def running(self) -> list[Watch]:
        """The user's watches still running (revalidations, not silent tracks)."""
        if self._watcher is None:
            return []
        return [w for w in self._watcher.running() if w.reported]

    def get(self, model_id: str) -> Watch | None:
        """The running watch of a model (reported or tracked), if any."""
        return self._watcher.get(model_id) if self._watcher is not None else None

    def watched_ids(self) -> frozenset[str]:
        """Models under a reported watch (the table marks them)."""
        return frozenset(w.model_id for w in self.running())

    # ------------------------------------------------------------------ commands

    def watch(
        self,
        model_id: str,
        *,
        status: str | None = None,
        name: str | None = None,
        origin: str = ORIGIN_REVALIDATE,
    ) -> Watch | None:
        """Follow a model until it ends and report the end (an existing watch is returned)."""
        watcher = self.watcher
        if watcher is None:
            return None
        return watcher.watch(
            model_id, status=status, name=name, origin=origin, timeout=self.timeout
        )

    @property
    def timeout(self) -> float:
        """Seconds a new watch may run (xeroctl's --wait-timeout, 600 by default)."""
        if self.watch_timeout is not None:
            return self.watch_timeout
        return host(self.app).settings.watch_timeout

    def track(self, models: Iterable[Model]) -> None:
        """Follow, silently, the models in progress among `models` (the model list's)."""
        models = [m for m in models if m.status is not None and not is_terminal(m.status)]
        if not models:
            return  # nothing in progress: the watcher (and its imports) can wait
        watcher = self.watcher
        if watcher is not None:
            watcher.track(models)

    def cancel(self, watch: Watch) -> bool:
        """Stop watching (the server's revalidation goes on)."""
        return self._watcher is not None and self._watcher.cancel(watch)

    async def switch(self, old: Session | None, new: Session) -> None:
        """A profile switch: the old profile's watches end, with a line that says so."""
        if old is None:
            return
        ended, watcher = self._retire(f"Profile switched to {new.profile}")
        if watcher is not None:
            await watcher.aclose()
        mine = [w for w in ended if w.reported]
        if mine:
            count = f"{len(mine)} revalidation{'s' if len(mine) != 1 else ''}"
            text = (
                f"Profile switched from {old.profile} to {new.profile}: stopped watching "
                f"{count} of {old.profile} (the server goes on with them)."
            )
            self.notices.append(Notice(self.wall(), text))
            self.app.notify(
                one_line(text, limit=400), title="Jobs", timeout=TOAST_SECONDS, markup=False
            )
        self.changed.publish(WatchUpdate())

    async def aclose(self) -> None:
        """The app is ending: stop the loop (no watch is ended)."""
        watcher, self._watcher = self._watcher, None
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if watcher is not None:
            await watcher.aclose()

    # ------------------------------------------------------------------ internals

    def _retire(self, reason: str) -> tuple[list[Watch], StatusWatcher | None]:
        """End the current watcher's watches (with `reason`), keep them as the past, and
        hand back the watcher (its loop is still to be closed) with the watches it ended."""
        watcher, self._watcher, self._client = self._watcher, None, None
        if watcher is None:
            return [], None
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        ended = watcher.end_all(reason)
        self._past = [*self._past, *watcher.watches()][-KEEP_PAST:]
        return ended, watcher

    def _on_update(self, update: WatchUpdate) -> None:
        """One round of the watcher: into the feed, toasts for reported ends, then redraw."""
        feed = host(self.app).feed
        inventory = feed.inventory
        fresh = []
        for model in update.models:
            old = inventory.get(model.id)
            merged = overlay(old, model) if old is not None else None
            if merged is not None:
                fresh.append(merged)
        if fresh:
            feed.merge_many(fresh)
        if update.gone:
            feed.remove(update.gone)
        for watch in update.ended():
            if watch.reported:
                self._announce(watch)
        self.changed.publish(update)

    def _announce(self, watch: Watch) -> None:
        """The toast of a reported watch's end: outcome and the time it took."""
        took = duration_text(watch.elapsed(self.clock()))
        name = one_line(watch.label, limit=60)
        status = one_line(watch.status, "unknown", limit=40)
        severity: SeverityLevel = "information"
        match watch.outcome:
            case Outcome.SUCCESS:
                title, text = "Revalidated", f"{name}: {status} after {took}"
            case Outcome.FAILURE:
                title, text = "Revalidation failed", f"{name}: {status} after {took}"
                severity = "error"
            case Outcome.TIMEOUT:
                title = "Revalidation timed out"
                text = (
                    f"{name}: still {status} after {took}; stopped watching "
                    "(the server may still finish it)."
                )
                severity = "warning"
            case Outcome.GONE:
                title = "Model gone"
                text = f"{name} was deleted while it was being revalidated ({took})."
                severity = "error"
            case Outcome.CANCELLED:
                title = "Watch cancelled"
                text = f"Stopped watching {name} after {took}; the server goes on with it."
            case _:  # ENDED (a profile switch): one line for all of them, from switch()
                return
        self.app.notify(text, title=title, severity=severity, timeout=TOAST_SECONDS, markup=False)
