"""ModelFeed: the app's one owner of the model list and of the selection.

It loads pages (one app-level worker group: a new load cancels the running one, whichever
screen asked), holds the start-up request for page one, merges what the server confirmed
(an edit, a delete, a fresher copy) at once, and keeps the selection — the highlighted
model and the marks — so a chord or a palette command on any screen acts on the same
models. Every change is published on `changed` as a FeedUpdate; screens subscribe and draw.

The periodic refresh is cheap on big projects: it reads the first page (new models arrive
there, newest first); only when the project changed size or a new id appeared does it reload
everything. Small projects are simply reloaded. Models in progress are not polled here: while
auto refresh is on, each load hands them to the jobs store's watcher (`track`), the app's one
poller of statuses, which follows them at a short interval that backs off.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.signal import Signal
from textual.worker import Worker

from xerotui.api.errors import XeroError
from xerotui.api.inventory import LoadProgress, ModelInventory
from xerotui.api.schema import Model, ModelList
from xerotui.tui import heap
from xerotui.tui.host import host

if TYPE_CHECKING:
    from textual.app import App

    from xerotui.tui.session import Session

GROUP = "models-load"
FULL_RELOAD_UP_TO = 500
"""Projects up to this size are reloaded whole on each periodic refresh (<= 5 requests)."""
FREEZE_FROM = 5_000
"""The first completed load, and from this many models every one, moves what is alive out
of the cyclic GC's scans (tui/heap.py): the models live until the next load and hold no
cycles, and at 100,000 models one full collection, walking them all, took ~190 ms in the
middle of a keypress."""


@dataclass(frozen=True)
class FeedUpdate:
    """What changed in the inventory."""

    progress: LoadProgress | None = None
    """While pages are still arriving; None once the inventory is whole again."""
    changed: dict[str, str] = field(default_factory=dict)
    """{model id: previous status} for each status this update changed."""
    removed: frozenset[str] = frozenset()
    """Models that are gone (deleted here or elsewhere)."""
    updated: frozenset[str] = frozenset()
    """Models whose fields changed (an edit, a fresher copy), whatever the status did."""


class ModelFeed:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.changed: Signal[FeedUpdate] = Signal(app, "feed-changed")
        self.progress: LoadProgress | None = None
        self.loaded_once = False
        self.highlighted: str | None = None
        """The model under the cursor of the models table (None: no visible row)."""
        self.marks: set[str] = set()
        self.on_busy: Callable[[bool], None] = lambda _busy: None
        """Told when a load or refresh starts and ends (the header shows it)."""
        self._first_page: asyncio.Future[ModelList] | None = None

    # ------------------------------------------------------------------ state

    @property
    def session(self) -> Session | None:
        return host(self.app).session

    @property
    def inventory(self) -> ModelInventory:
        session = self.session
        return session.inventory if session is not None else ModelInventory()

    @property
    def loading(self) -> bool:
        return any(
            w.group == GROUP and not w.is_finished and not w.is_cancelled for w in self.app.workers
        )

    # ------------------------------------------------------------------ selection

    def select(self, model_id: str | None) -> None:
        """The models table's cursor moved (None: no row is visible)."""
        self.highlighted = model_id

    def toggle_mark(self, model_id: str) -> None:
        self.marks ^= {model_id}

    def unmark(self, model_ids: Iterable[str]) -> None:
        """Done with these (an action succeeded on them): the rest stay marked for a retry."""
        before = len(self.marks)
        self.marks.difference_update(model_ids)
        if len(self.marks) != before:
            self.publish()

    def targets(self) -> list[str]:
        """What an action applies to: the marked models, else the highlighted one."""
        if self.marks:
            return [m.id for m in self.inventory.models if m.id in self.marks]
        return [self.highlighted] if self.highlighted is not None else []

    # ------------------------------------------------------------------ loading

    async def prefetch(self, wait: float) -> None:
        """Ask for page one before the first screen is built and give it up to `wait`
        seconds (it is usually prefetched during start-up): the first frame then shows a
        filled table, and a slow server never holds the screen back for longer."""
        session = self.session
        if session is None or session.inventory.models:
            return
        request = asyncio.ensure_future(session.client.list_models(limit=100, offset=0))
        self._first_page = request
        done, _ = await asyncio.wait({request}, timeout=wait)
        if done and request.exception() is None:
            page = request.result()
            session.inventory.replace(page.data, complete=not page.has_more)
            if not page.has_more:
                self._first_page = None  # nothing more to load: consumed here

    def _take_first_page(self) -> asyncio.Future[ModelList] | None:
        first, self._first_page = self._first_page, None
        return first

    def load(self, *, quiet: bool = False) -> Worker[None]:
        """(Re)load every page; a load already running is cancelled."""
        return self.app.run_worker(
            self._load(quiet=quiet),
            group=GROUP,
            exclusive=True,
            exit_on_error=False,
            description="Loading models",
        )

    def ensure_loaded(self) -> None:
        """Load unless the inventory is whole or a load is under way."""
        session = self.session
        if session is None or self.loading:
            return
        if session.inventory.complete:
            self._loaded(len(session.inventory))
            self._track()
        else:
            self.load()

    def reset(self) -> None:
        """A new session: stop the old one's loads, forget its selection and its page one."""
        self.app.workers.cancel_group(self.app, GROUP)
        stale = self._take_first_page()
        if stale is not None:
            stale.cancel()
        self.progress = None
        self.loaded_once = False
        self.highlighted = None
        self.marks.clear()

    def close(self) -> None:
        """The app is ending: drop the start-up request if nobody took it."""
        stale = self._take_first_page()
        if stale is not None:
            stale.cancel()

    # ------------------------------------------------------------------ changes

    def merge(self, model: Model) -> None:
        """The server confirmed a fresher copy of one model: put it in, tell the others."""
        self.merge_many([model])

    def merge_many(self, models: Iterable[Model]) -> None:
        inventory = self.inventory
        changed: dict[str, str] = {}
        updated: set[str] = set()
        for model in models:
            if inventory.get(model.id) is None:
                continue
            previous = inventory.update(model)
            updated.add(model.id)
            if previous is not None:
                changed[model.id] = previous
        if updated:
            self.publish(FeedUpdate(self.progress, changed, updated=frozenset(updated)))

    def remove(self, model_ids: Iterable[str]) -> None:
        """Models the server deleted: out of the list, the marks and the cursor."""
        removed = frozenset(self.inventory.remove(model_ids))
        if removed:
            self.publish(FeedUpdate(self.progress, removed=removed))

    def publish(self, update: FeedUpdate | None = None) -> None:
        update = update or FeedUpdate(self.progress)
        if update.progress is None:  # the inventory is whole: forget marks of vanished models
            self.marks &= self.inventory.ids()
        else:
            self.marks -= update.removed
        if self.highlighted in update.removed:
            self.highlighted = None
        self.changed.publish(update)

    # ------------------------------------------------------------------ refresh

    def periodic(self) -> None:
        """The refresh timer: only once loaded, never on top of a running load."""
        if self.session is not None and self.loaded_once and not self.loading:
            self.app.run_worker(
                self._refresh(),
                group=GROUP,
                exit_on_error=False,
                description="Refreshing models",
            )

    async def _load(self, *, quiet: bool = False) -> None:
        self.on_busy(True)
        try:
            await self._load_pages(quiet=quiet)
        finally:
            self.on_busy(self.loading_others())

    def loading_others(self) -> bool:
        """Whether another load of the group is still running (the current one is ending)."""
        from textual.worker import get_current_worker

        try:
            current = get_current_worker()
        except Exception:  # not in a worker
            current = None
        return any(
            w is not current and w.group == GROUP and not w.is_finished and not w.is_cancelled
            for w in self.app.workers
        )

    async def _load_pages(self, *, quiet: bool = False) -> None:
        session = self.session
        if session is None:
            return
        before = session.inventory.ids()
        pages = session.inventory.load(
            session.client, page_size=100, first_page=self._take_first_page()
        )
        try:
            async with contextlib.aclosing(pages):
                async for progress in pages:
                    self.progress = None if progress.done else progress
                    removed = (
                        frozenset(before - session.inventory.ids())
                        if progress.done
                        else frozenset()
                    )
                    self.publish(FeedUpdate(self.progress, progress.changed, removed=removed))
        except XeroError as error:
            self.progress = None
            self.publish()
            self._failed(error, quiet=quiet)
            return
        self._loaded(len(session.inventory))
        self._track()

    def _loaded(self, models: int) -> None:
        """A load completed: after the first one, and after every big one, what is alive
        leaves the cyclic GC's scans (FREEZE_FROM)."""
        first, self.loaded_once = not self.loaded_once, True
        if first or models >= FREEZE_FROM:
            heap.settle()

    async def _refresh(self) -> None:
        session = self.session
        if session is None:
            return
        inventory = session.inventory
        if len(inventory) <= FULL_RELOAD_UP_TO:
            await self._load(quiet=True)
            return
        self.on_busy(True)
        try:
            await self._refresh_big(session)
        finally:
            self.on_busy(self.loading_others())

    async def _refresh_big(self, session: Session) -> None:
        inventory = session.inventory
        try:
            first = await session.client.list_models(limit=100, offset=0)
        except XeroError as error:
            self._failed(error, quiet=True)
            return
        known = all(inventory.get(m.id) is not None for m in first.data)
        if first.total != len(inventory) or not known:
            await self._load(quiet=True)
            return
        changed = inventory.merge(first.data)
        if changed:
            self.publish(FeedUpdate(None, changed))
        self._track()

    def _track(self) -> None:
        """Models in progress go to the watcher, while auto refresh is on (with it off,
        nothing polls by itself but the revalidations the user started)."""
        app = host(self.app)
        if app.settings.refresh_interval > 0:
            app.jobs.track(self.inventory.in_progress())

    def _failed(self, error: XeroError, *, quiet: bool) -> None:
        """The first load's failure gets the problem screen; later ones a toast (a periodic
        refresh only shows in the header, so a down server does not toast every 30 s)."""
        from xerotui.tui.errors import report

        if not self.loaded_once:
            host(self.app).show_problem(error, retry=self.load)
        elif not quiet:
            report(self.app, error, doing="Refreshing models")
