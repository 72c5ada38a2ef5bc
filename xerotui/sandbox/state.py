"""SandboxState: everything a running sandbox holds (database, stores, worker, faults,
timings, rate windows, prefix cache, request journal) and the seeding / reset logic.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from xerotui.sandbox.auth import ADMIN_KEY, DEMO_PROJECT, MEMBER_KEY, OTHER_KEY
from xerotui.sandbox.chat import ChatEngine
from xerotui.sandbox.completions import CompletionStore
from xerotui.sandbox.db import Database
from xerotui.sandbox.faults import FaultConfig, Faults
from xerotui.sandbox.journal import RequestJournal
from xerotui.sandbox.prefix_cache import PrefixCache
from xerotui.sandbox.ratelimit import RateLimiter
from xerotui.sandbox.seed import Seeder, demo_endpoints
from xerotui.sandbox.store import ModelStore
from xerotui.sandbox.timings import Timings
from xerotui.sandbox.worker import RevalidationWorker

log = logging.getLogger("xerotui.sandbox")


class SandboxState:
    """Open (and seed when new or asked to) the database and build the services on it."""

    def __init__(
        self,
        db_path: Path,
        *,
        reset: bool = False,
        seed_models: int = 0,
        timings: Timings | None = None,
        faults: FaultConfig | None = None,
    ) -> None:
        self.startup_timings = timings or Timings()
        self.timings = self.startup_timings.copy()
        self.seed_models = seed_models
        self.db = Database(db_path)
        self.models = ModelStore(self.db)
        self.completions = CompletionStore(self.db)
        self.worker = RevalidationWorker(self.db)
        self.faults = Faults(faults)
        self.rate = RateLimiter()
        self.journal = RequestJournal()
        self.prefix = PrefixCache()
        self.chat = ChatEngine(self.prefix)
        if self.db.is_new or reset:
            self.reseed()
        elif seed_models:
            with self.db.transaction():
                inserted = Seeder(self.db).ensure_synthetic(seed_models)
            if inserted:
                log.info("added %d synthetic models", inserted)

    def reseed(self) -> float:
        """Replace all data with the seed; returns the seconds it took."""
        started = time.perf_counter()
        with self.db.transaction():
            self.db.clear_data()
            seeder = Seeder(self.db)
            seeder.seed_demo(self.timings.validation_seconds)
            seeder.ensure_synthetic(self.seed_models)
            self.db.set_meta("seeded", str(int(time.time())))
        return time.perf_counter() - started

    def reset(self) -> dict[str, Any]:
        """`POST /_sandbox/reset`: reseed in place, clear completions, jobs, revalidation
        plans, caches and the request journal, and restore the startup timings. Faults are
        left as they are."""
        self.timings = self.startup_timings.copy()
        elapsed = self.reseed()
        self.worker.forget_plans()
        self.rate.clear()
        self.prefix.clear()
        self.journal.clear()
        self.worker.wake()
        return {
            "object": "sandbox.reset",
            "models": self.db.scalar("SELECT COUNT(*) FROM models"),
            "elapsed_ms": round(elapsed * 1000, 1),
        }

    def announce(self, root_url: str) -> dict[str, Any]:
        """The ready line: where the API is and which keys and endpoints exist."""
        return {
            "base_url": f"{root_url}/{DEMO_PROJECT}/v1",
            "api_key": MEMBER_KEY,
            "admin_api_key": ADMIN_KEY,
            "other_api_key": OTHER_KEY,
            "endpoints": demo_endpoints(),
        }

    def close(self) -> None:
        self.db.close()
