"""ModelInventory: every model of the project in memory, for filter, sort and paging.

Loading fetches the first page (so a screen can show it at once) and then the remaining
pages a few at a time. Filter and sort run over the whole project in memory: a
lower-cased search string per model is built once, so filtering 10,000 models is a
substring test per model (field terms such as `status:failed` read the model; see
model_query.py), and sort keys are plain tuples.
"""

from __future__ import annotations

import asyncio
import functools
import heapq
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from xerotui.api.model_memory import Sharing
from xerotui.api.model_query import Query, parse
from xerotui.api.schema import Model, ModelList, is_terminal

FILTER_FIELDS = ("name", "id", "architecture", "status", "quantization")


class ModelLister(Protocol):
    async def list_models(
        self, limit: int = 100, offset: int = 0, extended: bool = True
    ) -> ModelList: ...


@functools.lru_cache(maxsize=4096)
def _version_key(version: str | None) -> tuple[Any, ...]:
    """Parsed once per distinct version (most models share a few: sorting 100,000 models by
    version parsed each one again, ~0.4 s)."""
    import semver  # a sort by version is rare: not an import at start-up

    if not version:
        return (0,)
    try:
        parsed = semver.Version.parse(version)
    except ValueError:
        return (1, version)
    # Release versions sort above their pre-releases, as semver says.
    return (2, parsed.major, parsed.minor, parsed.patch, parsed.prerelease is None, version)


def _text(value: str | None) -> str:
    return (value or "").lower()


SORT_KEYS: dict[str, Callable[[Model], Any]] = {
    "id": lambda m: m.id,
    "name": lambda m: (_text(m.name), m.id),
    "format": lambda m: (_text(m.format), _text(m.name)),
    "size": lambda m: (m.size_bytes or 0, _text(m.name)),
    "status": lambda m: (_text(m.status), _text(m.name)),
    "version": lambda m: (_version_key(m.version), _text(m.name)),
    "shared": lambda m: (bool(m.is_shared), _text(m.name)),
    "architecture": lambda m: (_text(m.architecture), _text(m.name)),
    "quantization": lambda m: (_text(m.quantization), _text(m.name)),
    "context": lambda m: (m.context_length or 0, _text(m.name)),
    "parameters": lambda m: (m.parameter_count or 0, _text(m.name)),
    "created": lambda m: (m.created, m.id),
}


@dataclass(frozen=True)
class LoadProgress:
    """One step of a load: how many of how many models have arrived."""

    loaded: int
    total: int
    done: bool
    changed: dict[str, str] = field(default_factory=dict)
    """At the end of a refresh: {model id: previous status} for every status that changed."""


@dataclass
class ModelInventory:
    """All models of the project, kept in server order (created descending)."""

    models: list[Model] = field(default_factory=list)
    complete: bool = False
    _haystacks: list[str] = field(default_factory=list, repr=False)
    _by_id: dict[str, Model] = field(default_factory=dict, repr=False)
    _position: dict[str, int] = field(default_factory=dict, repr=False)
    _pending: set[str] = field(default_factory=set, repr=False)
    """Ids of the models in progress (kept as they change: a refresh asks every 30 s, and
    a scan of 100,000 models took ~30 ms of the UI's time)."""
    _sorted: tuple[tuple[str, bool], list[Model], list[str]] | None = field(
        default=None, repr=False
    )
    """The last order asked for other than the server's: ((sort, descending), models,
    their haystacks), dropped when a model changes. A filter typed under that sort then
    filters the sorted list (Python's sort is stable, so the subset keeps its order) instead
    of sorting its matches again: at 100,000 models a sort by name took ~150 ms."""
    _sharing: Sharing = field(default_factory=Sharing, repr=False)

    def __len__(self) -> int:
        return len(self.models)

    def get(self, model_id: str) -> Model | None:
        return self._by_id.get(model_id)

    def replace(self, models: Iterable[Model], *, complete: bool = True) -> dict[str, str]:
        """Swap in a new model set; returns {id: old status} for models whose status changed."""
        models = list(models)
        self._sharing.lean(models)
        return self._swap(models, complete)

    def _swap(self, models: list[Model], complete: bool) -> dict[str, str]:
        """:meth:`replace` of models that already share their fields (load() leans each
        page as it arrives)."""
        old = self._by_id
        unique: dict[str, Model] = {}
        for model in models:
            unique.setdefault(model.id, model)
        self.models = list(unique.values())
        self._by_id = unique
        self._haystacks = []
        self._pending = set()
        self._sorted = None
        for model in self.models:  # one pass: each model is read once
            self._haystacks.append(self._haystack(model))
            if not is_terminal(model.status):
                self._pending.add(model.id)
        self._position = {m.id: i for i, m in enumerate(self.models)}
        self.complete = complete
        return {
            mid: prev.status or ""
            for mid, model in unique.items()
            if (prev := old.get(mid)) is not None and prev.status != model.status
        }

    def update(self, model: Model) -> str | None:
        """Merge a fresher copy of one model (a GET, a PATCH, a list row) into its place.

        Returns the previous status if the status changed, else None. Unknown ids are
        ignored (the next full load brings new models in their order).
        """
        index = self._position.get(model.id)
        if index is None:
            return None
        current = self.models[index]
        merged = current.model_copy(update=model.model_dump(exclude_none=True))
        self._sharing.lean([merged])
        self.models[index] = merged
        self._by_id[model.id] = merged
        self._haystacks[index] = self._haystack(merged)
        self._sorted = None
        if is_terminal(merged.status):
            self._pending.discard(merged.id)
        else:
            self._pending.add(merged.id)
        return current.status or "" if current.status != merged.status else None

    def merge(self, models: Iterable[Model]) -> dict[str, str]:
        """`update` for many; returns {id: previous status} for each status that changed."""
        changed: dict[str, str] = {}
        for model in models:
            previous = self.update(model)
            if previous is not None:
                changed[model.id] = previous
        return changed

    def ids(self) -> set[str]:
        return set(self._by_id)

    def remove(self, model_ids: Iterable[str]) -> set[str]:
        """Drop models (deleted on the server); returns the ids that were here."""
        gone = {mid for mid in model_ids if mid in self._by_id}
        if gone:
            keep = [
                (m, h)
                for m, h in zip(self.models, self._haystacks, strict=True)
                if m.id not in gone
            ]
            self.models = [m for m, _ in keep]
            self._haystacks = [h for _, h in keep]
            self._by_id = {m.id: m for m in self.models}
            self._position = {m.id: i for i, m in enumerate(self.models)}
            self._pending -= gone
            self._sorted = None
        return gone

    def in_progress(self) -> list[Model]:
        """Models whose status is not terminal (validating, ...), newest first."""
        by_id, position = self._by_id, self._position
        return [by_id[mid] for mid in sorted(self._pending, key=position.__getitem__)]

    @staticmethod
    def _haystack(model: Model) -> str:
        return "\x00".join(_text(getattr(model, name)) for name in FILTER_FIELDS)

    def view(
        self, query: str | Query = "", sort: str = "created", descending: bool = True
    ) -> list[Model]:
        """The models matching `query` (model_query.py's syntax; a string is parsed and may
        raise QueryError) ordered by `sort`."""
        wanted = parse(query) if isinstance(query, str) else query
        models, haystacks = self._ordered(sort, descending)
        if wanted.empty:
            return list(models)
        if not wanted.tests and len(wanted.words) == 1:  # the common case: one word
            needle = wanted.words[0]
            return [m for m, hay in zip(models, haystacks, strict=True) if needle in hay]
        matches = wanted.matches
        return [m for m, hay in zip(models, haystacks, strict=True) if matches(m, hay)]

    def _ordered(self, sort: str, descending: bool) -> tuple[list[Model], list[str]]:
        """Every model and its haystack in `sort` order (the server's order is `created`
        descending)."""
        if sort == "created" and descending:
            return self.models, self._haystacks
        if self._sorted is None or self._sorted[0] != (sort, descending):
            models, haystacks = self.models, self._haystacks
            keys = list(map(SORT_KEYS[sort], models))
            order = sorted(range(len(models)), key=keys.__getitem__, reverse=descending)
            self._sorted = (
                (sort, descending),
                [models[i] for i in order],
                [haystacks[i] for i in order],
            )
        return self._sorted[1], self._sorted[2]

    def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for model in self.models:
            key = model.status or "unknown"
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def total_size(self) -> int:
        return sum(m.size_bytes or 0 for m in self.models)

    def shared(self) -> list[Model]:
        return [m for m in self.models if m.is_shared]

    def newest(self, count: int = 5) -> list[Model]:
        return heapq.nlargest(count, self.models, key=SORT_KEYS["created"])

    async def load(
        self,
        client: ModelLister,
        *,
        page_size: int = 100,
        concurrency: int = 4,
        first_page: Awaitable[ModelList] | None = None,
    ) -> AsyncGenerator[LoadProgress, None]:
        """Fetch every page. Yields after the first page (already visible) and as pages arrive.

        The inventory shows the first page while the rest loads (``complete`` False);
        the full set replaces it atomically at the end. `first_page` is a request for
        page one that was started earlier (at start-up, while the screen was built).
        """
        if first_page is None:
            first_page = client.list_models(limit=page_size, offset=0, extended=True)
        first = await first_page
        self._sharing.lean(first.data)
        total = first.total if first.total is not None else len(first.data)
        if not first.has_more:
            changed = self._swap(first.data, True)
            yield LoadProgress(len(first.data), len(first.data), True, changed)
            return
        if not self.complete or not self.models:
            self._swap(first.data, False)
        yield LoadProgress(len(first.data), total, False)

        pages: dict[int, list[Model]] = {0: first.data}
        more: dict[int, bool] = {0: True}
        gate = asyncio.Semaphore(concurrency)

        async def fetch(offset: int) -> tuple[int, ModelList]:
            async with gate:
                page = await client.list_models(limit=page_size, offset=offset, extended=True)
            self._sharing.lean(page.data)  # as the pages arrive, not all at the end
            return offset, page

        tasks = [asyncio.create_task(fetch(o)) for o in range(page_size, total, page_size)]
        loaded = len(first.data)
        try:
            for next_page in asyncio.as_completed(tasks):
                offset, page = await next_page
                pages[offset], more[offset] = page.data, bool(page.has_more and page.data)
                loaded += len(page.data)
                yield LoadProgress(loaded, total, False)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        # `total` may be missing or stale: go on while the last page says there is more.
        offset = max(pages)
        while more[offset]:
            offset += page_size
            page = await client.list_models(limit=page_size, offset=offset, extended=True)
            self._sharing.lean(page.data)
            pages[offset], more[offset] = page.data, bool(page.has_more and page.data)
            loaded += len(page.data)
            yield LoadProgress(loaded, max(total, loaded), False)
        ordered = [model for offset in sorted(pages) for model in pages[offset]]
        changed = self._swap(ordered, True)
        yield LoadProgress(len(self.models), len(self.models), True, changed)
