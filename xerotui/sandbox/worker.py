"""RevalidationWorker: finishes revalidation jobs when they fall due.

Jobs live in SQLite (table ``jobs``), so they survive a restart. The worker is one asyncio
task that sleeps until the next due job and is woken by an Event when a job is queued:
no polling, so an idle sandbox uses no CPU.

Tests steer a revalidation with :meth:`RevalidationWorker.plan` (the knob
``POST /_sandbox/models/{id}/revalidation``): its outcome and/or its duration, for the job
already pending or else for the model's next one. Plans live in memory (a restart or
``/_sandbox/reset`` forgets them).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass

from xerotui.api.schema import TERMINAL_STATUSES
from xerotui.sandbox.db import Database

log = logging.getLogger("xerotui.sandbox.worker")


@dataclass(frozen=True)
class RevalidationPlan:
    """How a revalidation ends: ``outcome`` None = as usual, ``seconds`` None = as set."""

    outcome: str | None = None
    seconds: float | None = None


class RevalidationWorker:
    """Queues jobs and applies their outcome: `ready`, or the model's broken outcome."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._plans: dict[str, RevalidationPlan] = {}  # for the next revalidation
        self._outcomes: dict[str, str] = {}  # for the pending job

    def plan(self, model_id: str, plan: RevalidationPlan) -> str:
        """Steer the pending revalidation of a model (-> "pending") or its next (-> "next")."""
        pending = self.db.scalar("SELECT id FROM jobs WHERE model_id = ?", (model_id,))
        if pending is None:
            self._plans[model_id] = plan
            return "next"
        with self.db.transaction():
            if plan.seconds is not None:
                due = time.time() + plan.seconds
                self.db.run("UPDATE jobs SET due = ? WHERE model_id = ?", (due, model_id))
        if plan.outcome is not None:
            self._outcomes[model_id] = plan.outcome
        self.wake()
        return "pending"

    def forget_plans(self) -> None:
        self._plans.clear()
        self._outcomes.clear()

    # ------------------------------------------------------------------ queue

    def enqueue(self, model_id: str, delay: float) -> bool:
        """Flip a model in a terminal status to `validating` and queue its job.

        Returns False (the route answers 404) when the model is not in a terminal status.
        A plan set for this model's next revalidation is used up here.
        """
        plan = self._plans.get(model_id, RevalidationPlan())
        if plan.seconds is not None:
            delay = plan.seconds
        with self.db.transaction():
            changed = self.db.run(
                "UPDATE models SET status = 'validating' WHERE id = ? AND status IN ("
                + ", ".join("?" for _ in TERMINAL_STATUSES)
                + ")",
                (model_id, *sorted(TERMINAL_STATUSES)),
            )
            if not changed:
                return False
            self.db.run("DELETE FROM jobs WHERE model_id = ?", (model_id,))
            self.db.run(
                "INSERT INTO jobs (model_id, due) VALUES (?, ?)", (model_id, time.time() + delay)
            )
        self._plans.pop(model_id, None)
        self._outcomes.pop(model_id, None)
        if plan.outcome is not None:
            self._outcomes[model_id] = plan.outcome
        self.wake()
        return True

    def pending(self) -> int:
        return int(self.db.scalar("SELECT COUNT(*) FROM jobs") or 0)

    def run_due(self, now: float | None = None) -> int:
        """Finish every job due by ``now``; returns how many."""
        now = time.time() if now is None else now
        due = self.db.all("SELECT id, model_id FROM jobs WHERE due <= ? ORDER BY due", (now,))
        if not due:
            return 0
        with self.db.transaction():
            for job in due:
                broken = self.db.scalar(
                    "SELECT broken FROM models WHERE id = ?", (job["model_id"],)
                )
                outcome = self._outcomes.pop(job["model_id"], None) or broken or "ready"
                self.db.run(
                    "UPDATE models SET status = ? WHERE id = ? AND status = 'validating'",
                    (outcome, job["model_id"]),
                )
                self.db.run("DELETE FROM jobs WHERE id = ?", (job["id"],))
                log.info("revalidation of %s finished: %s", job["model_id"], outcome)
        return len(due)

    def next_due(self) -> float | None:
        value = self.db.scalar("SELECT MIN(due) FROM jobs")
        return None if value is None else float(value)

    # ------------------------------------------------------------------ task

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="revalidation")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                self.run_due()
            except Exception:  # keep the worker alive whatever one job does
                log.exception("revalidation job failed")
                await asyncio.sleep(1.0)
            next_due = self.next_due()
            timeout = None if next_due is None else max(0.0, next_due - time.time())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)
