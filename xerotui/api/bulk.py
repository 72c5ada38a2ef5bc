"""BulkRunner: one operation (delete, share, revalidate...) over many model ids, a few at once.

Each id gets a :class:`BulkResult`: ``OK``, ``FAIL`` with the server's reason, ``UNKNOWN``
when a mutation lost its connection after the request may have reached the server (we cannot
tell whether it was applied: a refused connection or a connect timeout is a plain ``FAIL``,
nothing was sent), or ``SKIPPED`` when the run stopped before trying it. Progress goes to a
plain callback as each item starts and ends. The report renders xeroctl's lines,
``[OK] <id>`` / ``[FAIL] <id>: <reason>``, and a summary such as
``Deleted 2 of 3 models (1 failed)``.

Cancel-safe: :meth:`BulkRunner.stop` lets the items in flight finish and starts no more;
cancelling :meth:`BulkRunner.run` cancels the items in flight (``UNKNOWN`` for a mutation),
marks the rest ``SKIPPED``, keeps :attr:`BulkRunner.report` complete and re-raises.
Server text in reasons is raw: the TUI sanitises it like any server text.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from xerotui.api.errors import XeroError

log = logging.getLogger(__name__)

T = TypeVar("T")
DEFAULT_CONCURRENCY = 4


class BulkStatus(enum.StrEnum):
    OK = "OK"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"
    SKIPPED = "SKIPPED"


@dataclass(frozen=True)
class BulkResult(Generic[T]):
    """The result of one id. ``error`` is the failure (None for OK), ``value`` the answer."""

    model_id: str
    status: BulkStatus
    error: BaseException | None = None
    value: T | None = None
    note: str = ""  # why, when there is no error to tell it (skipped, cancelled)

    @property
    def reason(self) -> str:
        """The failure in words: the server's message with its code and HTTP status."""
        error = self.error
        if isinstance(error, XeroError):
            bits = [b for b in (error.code, f"HTTP {error.status}" if error.status else "") if b]
            text = error.message + (f" ({', '.join(bits)})" if bits else "")
        elif error is not None:
            text = f"Unexpected error: {error!r}"
        else:
            text = ""
        unknown = "Not known whether it was applied." if self.status is BulkStatus.UNKNOWN else ""
        return " ".join(t for t in (text, self.note, unknown) if t)

    def line(self) -> str:
        """`[OK] <id>` or `[FAIL] <id>: <reason>` (also `[UNKNOWN]`, `[SKIPPED]`)."""
        if self.status is BulkStatus.OK:
            return f"[OK] {self.model_id}"
        return f"[{self.status}] {self.model_id}: {self.reason}"


@dataclass(frozen=True)
class BulkProgress(Generic[T]):
    """Sent when an item starts (``result`` None) and when it ends."""

    total: int
    finished: int
    running: tuple[str, ...]
    result: BulkResult[T] | None = None


@dataclass(frozen=True)
class BulkReport(Generic[T]):
    """Every id's result, in the order asked (duplicates dropped)."""

    results: tuple[BulkResult[T], ...]

    def ids(self, *statuses: BulkStatus) -> list[str]:
        return [r.model_id for r in self.results if r.status in statuses]

    @property
    def ok(self) -> list[str]:
        return self.ids(BulkStatus.OK)

    @property
    def not_ok(self) -> list[str]:
        """Failed, unknown or skipped: what stays marked for a retry."""
        return self.ids(BulkStatus.FAIL, BulkStatus.UNKNOWN, BulkStatus.SKIPPED)

    def count(self, status: BulkStatus) -> int:
        return sum(1 for r in self.results if r.status is status)

    def lines(self) -> list[str]:
        return [r.line() for r in self.results]

    def summary(self, verb: str = "Deleted") -> str:
        """`Deleted 2 of 3 models (1 failed)`; unknown and skipped counts when any."""
        total = len(self.results)
        text = f"{verb} {self.count(BulkStatus.OK)} of {total} model{'' if total == 1 else 's'}"
        others = [
            f"{self.count(BulkStatus.FAIL)} failed",
            f"{self.count(BulkStatus.UNKNOWN)} unknown",
            f"{self.count(BulkStatus.SKIPPED)} not attempted",
        ]
        others = [o for o in others if not o.startswith("0 ")]
        return f"{text} ({', '.join(others)})" if others else text

    def render(self, verb: str = "Deleted") -> str:
        """Every line, then the summary, as xeroctl prints them."""
        return "\n".join([*self.lines(), self.summary(verb)])


class BulkRunner(Generic[T]):
    """Runs ``operation(model_id)`` for each id, ``concurrency`` at once (``mutation``: a
    lost connection means UNKNOWN, not FAIL)."""

    def __init__(
        self,
        operation: Callable[[str], Awaitable[T]],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        mutation: bool = True,
        on_progress: Callable[[BulkProgress[T]], None] | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._operation = operation
        self._concurrency = concurrency
        self._mutation = mutation
        self._on_progress = on_progress
        self._order: list[str] = []
        self._results: dict[str, BulkResult[T]] = {}
        self._running: list[str] = []
        self._stopped = False

    @property
    def report(self) -> BulkReport[T]:
        """The results so far (after a run: every id, in order)."""
        return BulkReport(tuple(self._results[m] for m in self._order if m in self._results))

    def stop(self) -> None:
        """Start no more items; those in flight finish and the rest are SKIPPED."""
        self._stopped = True

    async def run(self, model_ids: Iterable[str]) -> BulkReport[T]:
        self._order = list(dict.fromkeys(model_ids))
        self._results, self._running = {}, []
        pending = iter(self._order)
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(min(self._concurrency, len(self._order))):
                    group.create_task(self._work(pending))
        finally:
            for model_id in self._order:
                if model_id not in self._results:
                    note = "Not attempted: the run was stopped."
                    self._results[model_id] = BulkResult(model_id, BulkStatus.SKIPPED, note=note)
        return self.report

    async def _work(self, pending: Iterator[str]) -> None:
        for model_id in pending:  # shared by the workers: each id is taken once
            if self._stopped:
                return
            self._running.append(model_id)
            self._emit(None)
            try:
                value = await self._operation(model_id)
            except asyncio.CancelledError:
                self._running.remove(model_id)
                note = "Cancelled while the request was in flight."
                status = BulkStatus.UNKNOWN if self._mutation else BulkStatus.SKIPPED
                self._results[model_id] = BulkResult(model_id, status, note=note)
                raise
            except Exception as error:
                result = self._failure(model_id, error)
            else:
                result = BulkResult(model_id, BulkStatus.OK, value=value)
            self._running.remove(model_id)
            self._results[model_id] = result
            self._emit(result)

    def _failure(self, model_id: str, error: Exception) -> BulkResult[T]:
        if not isinstance(error, XeroError):
            log.exception("bulk operation on %s failed unexpectedly", model_id, exc_info=error)
            unknown = self._mutation  # we cannot tell how far it got
        else:
            unknown = self._mutation and error.maybe_applied  # the request may have landed
        return BulkResult(model_id, BulkStatus.UNKNOWN if unknown else BulkStatus.FAIL, error)

    def _emit(self, result: BulkResult[T] | None) -> None:
        if self._on_progress is None:
            return
        progress = BulkProgress(len(self._order), len(self._results), tuple(self._running), result)
        try:
            self._on_progress(progress)
        except Exception:  # a broken observer must not stop the run
            log.exception("bulk progress callback failed")
