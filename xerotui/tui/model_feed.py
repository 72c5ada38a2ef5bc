"""ModelFeed: the app's one loader of the model list. Screens only subscribe and draw.

One app-level worker group loads pages (a new load cancels the running one, whichever
screen asked), so the models table and the overview always show the same inventory.
Every step is published on `app.inventory_changed` as a FeedUpdate.

The periodic refresh is cheap on big projects: it reads the first page (new models arrive
there, newest first) and the models still in progress; only when the project changed size
or a new id appeared does it reload everything. Small projects are simply reloaded.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.worker import Worker

from xerotui.api.errors import XeroError
from xerotui.api.inventory import LoadProgress
from xerotui.api.schema import Model

if TYPE_CHECKING:
    from xerotui.tui.app import XeroApp

GROUP = "models-load"
FULL_RELOAD_UP_TO = 500
"""Projects up to this size are reloaded whole on each periodic refresh (<= 5 requests)."""
MAX_WATCHED = 20
"""More models in progress than this: reload whole instead of asking for each."""


@dataclass(frozen=True)
class FeedUpdate:
    """What changed in the inventory."""

    progress: LoadProgress | None = None
    """While pages are still arriving; None once the inventory is whole again."""
    changed: dict[str, str] = field(default_factory=dict)
    """{model id: previous status} for each status this update changed."""


class ModelFeed:
    def __init__(self, app: XeroApp) -> None:
        self.app = app
        self.progress: LoadProgress | None = None
        self.loaded_once = False

    @property
    def loading(self) -> bool:
        return any(
            w.group == GROUP and not w.is_finished and not w.is_cancelled for w in self.app.workers
        )

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
        session = self.app.session
        if session is None or self.loading:
            return
        if session.inventory.complete:
            self.loaded_once = True
        else:
            self.load()

    def reset(self) -> None:
        """A new session: stop the old one's loads and forget what it had loaded."""
        self.app.workers.cancel_group(self.app, GROUP)
        self.progress = None
        self.loaded_once = False

    def merge(self, model: Model) -> None:
        """A screen fetched a fresher copy of one model: put it in and tell the others."""
        session = self.app.session
        if session is not None:
            previous = session.inventory.update(model)
            changed = {model.id: previous} if previous is not None else {}
            self.publish(FeedUpdate(self.progress, changed))

    def publish(self, update: FeedUpdate | None = None) -> None:
        self.app.inventory_changed.publish(update or FeedUpdate(self.progress))

    def periodic(self) -> None:
        """The refresh timer: only once loaded, never on top of a running load."""
        if self.app.session is not None and self.loaded_once and not self.loading:
            self.app.run_worker(
                self._refresh(),
                group=GROUP,
                exit_on_error=False,
                description="Refreshing models",
            )

    async def _load(self, *, quiet: bool = False) -> None:
        session = self.app.session
        if session is None:
            return
        pages = session.inventory.load(
            session.client, page_size=100, first_page=self.app.take_first_page()
        )
        try:
            async with contextlib.aclosing(pages):
                async for progress in pages:
                    self.progress = None if progress.done else progress
                    self.publish(FeedUpdate(self.progress, progress.changed))
        except XeroError as error:
            self.progress = None
            self.publish()
            self._failed(error, quiet=quiet)
            return
        self.loaded_once = True

    async def _refresh(self) -> None:
        session = self.app.session
        if session is None:
            return
        inventory = session.inventory
        if len(inventory) <= FULL_RELOAD_UP_TO:
            await self._load(quiet=True)
            return
        try:
            first = await session.client.list_models(limit=100, offset=0)
            known = all(inventory.get(m.id) is not None for m in first.data)
            on_first = {m.id for m in first.data}
            pending = [m.id for m in inventory.in_progress() if m.id not in on_first]
            if first.total != len(inventory) or not known or len(pending) > MAX_WATCHED:
                await self._load(quiet=True)
                return
            fresh = await asyncio.gather(*(session.client.get_model(mid) for mid in pending))
        except XeroError as error:
            self._failed(error, quiet=True)
            return
        changed = inventory.merge([*first.data, *fresh])
        if changed:
            self.publish(FeedUpdate(None, changed))

    def _failed(self, error: XeroError, *, quiet: bool) -> None:
        """The first load's failure gets the problem screen; later ones a toast (a periodic
        refresh only shows in the header, so a down server does not toast every 30 s)."""
        from xerotui.tui.errors import report

        if not self.loaded_once:
            self.app.watch_link.problem(error, retry=self.load)
        elif not quiet:
            report(self.app, error, doing="Refreshing models")
