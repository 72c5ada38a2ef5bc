"""Seeder: writes the demo data and N synthetic models, with fixed ids and timestamps.

Nothing here depends on today's date except the due time of the seeded `validating`
model's job, so every screenshot of the seed looks the same.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from xerotui.sandbox.db import MODEL_COLUMNS, Database, insert_sql
from xerotui.sandbox.seed_data import (
    DEMO_MODELS,
    ENDPOINTS,
    OTHER_MODELS,
    WORKSPACES,
    ModelSpec,
)

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://xerotier.ai/xerotui/sandbox")
FIRST = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
LAST = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
START = int(FIRST.timestamp())
SPAN = int(LAST.timestamp()) - START
DAY = 86400


def model_id(project: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{project}/{name}"))


def version_id(mid: str, version: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"version/{mid}/{version}"))


def iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def bytes_per_param(spec: ModelSpec) -> float:
    if spec.fmt == "gguf":
        return 1.065 if "q8" in spec.name else 0.6
    if spec.quant in ("awq", "gptq", "int4"):
        return 0.565
    if spec.quant in ("fp8", "int8"):
        return 1.02
    return 4.0 if spec.dtype == "float32" else 2.0


def size_of(spec: ModelSpec) -> int:
    return int(spec.params * bytes_per_param(spec)) + spec.vocab * 68 + 4096


def model_row(
    spec: ModelSpec,
    mid: str,
    created: int,
    *,
    name: str | None = None,
    status: str | None = None,
    description: str | None = None,
    synthetic: bool = False,
) -> tuple[Any, ...]:
    share = spec.share
    experts, per_tok = spec.experts or (None, None)
    method, bits = spec.preq or (None, None)
    latest = spec.latest or spec.versions[-1][0]
    values: dict[str, Any] = {
        "id": mid,
        "project": spec.project,
        "created": created,
        "name": name or spec.name,
        "format": spec.fmt,
        "size_bytes": size_of(spec),
        "status": status or spec.status,
        "version": latest if not synthetic else "1.0.0",
        "description": description or spec.description,
        "license": spec.license,
        "architecture": spec.architecture,
        "quantization": spec.quant,
        "context_length": spec.context,
        "parameter_count": spec.params,
        "hidden_size": spec.hidden,
        "num_layers": spec.layers,
        "vocab_size": spec.vocab,
        "workload_type": spec.workload,
        "torch_dtype": spec.dtype,
        "num_experts": experts,
        "num_experts_per_tok": per_tok,
        "pre_quantized": 1 if spec.preq else None,
        "pre_quantization_method": method,
        "pre_quantization_bits": bits,
        "capabilities": json.dumps(list(spec.caps)),
        "is_shared": 1 if share and not synthetic else 0,
        "catalog_role": share.role if share and not synthetic else None,
        "deployment_count": share.deployment_count if share and not synthetic else 0,
        "featured": 1 if share and share.featured and not synthetic else 0,
        "shared_at": iso(created + 3 * DAY + 5400) if share and not synthetic else None,
        "broken": spec.broken if not synthetic else None,
        "synthetic": 1 if synthetic else 0,
    }
    return tuple(values[column] for column in MODEL_COLUMNS)


class Seeder:
    """Writes seed rows into a :class:`Database` (inside the caller's transaction)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def seed_demo(self, validation_seconds: float) -> None:
        """The ~45 demo models, their versions, endpoints, workspaces and pending jobs."""
        specs = DEMO_MODELS + OTHER_MODELS
        count = len(specs)
        rows: list[tuple[Any, ...]] = []
        versions: list[tuple[Any, ...]] = []
        ids: dict[str, str] = {}
        for index, spec in enumerate(specs):
            # A fixed permutation spreads families over the whole 2025-06..2026-11 range.
            slot = (index * 17) % count
            created = START + slot * (SPAN // count) + (index * 7919) % 21600
            mid = model_id(spec.project, spec.name)
            ids[spec.name] = mid
            rows.append(model_row(spec, mid, created))
            for step, (version, notes) in enumerate(spec.versions):
                vcreated = created + step * 9 * DAY + step * 3700
                versions.append((version_id(mid, version), mid, version, vcreated, notes))
        self.db.run_many(insert_sql("models", MODEL_COLUMNS), rows)
        self.db.run_many(
            insert_sql("versions", ("id", "model_id", "version", "created", "notes")), versions
        )
        self.db.run_many(
            insert_sql("endpoints", ("slug", "project", "model_id", "worker_id")),
            [(slug, project, ids[name], worker) for slug, project, name, worker in ENDPOINTS],
        )
        self.db.run_many(
            insert_sql("workspaces", ("id", "project", "name", "focus")),
            [(wid, project, name, json.dumps(focus)) for wid, project, name, focus in WORKSPACES],
        )
        due = time.time() + validation_seconds
        pending = [(ids[s.name], due) for s in specs if s.status == "validating"]
        self.db.run_many(insert_sql("jobs", ("model_id", "due")), pending)

    def ensure_synthetic(self, count: int) -> int:
        """Make sure synthetic models 0..count-1 exist; returns how many were inserted."""
        if count <= 0:
            return 0
        present = int(self.db.scalar("SELECT COUNT(*) FROM models WHERE synthetic = 1") or 0)
        if present >= count:
            return 0
        before = self.db.conn.total_changes
        self.db.run_many(insert_sql("models", MODEL_COLUMNS, ignore=True), self._synthetic(count))
        inserted = self.db.conn.total_changes - before
        self.db.run_many(
            insert_sql("versions", ("id", "model_id", "version", "created", "notes"), ignore=True),
            (
                (version_id(mid, "1.0.0"), mid, "1.0.0", created, "Synthetic baseline")
                for mid, created in self._synthetic_ids(count)
            ),
        )
        return inserted

    @staticmethod
    def _synthetic_ids(count: int) -> Iterator[tuple[str, int]]:
        for index in range(count):
            mid = str(uuid.uuid5(NAMESPACE, f"synthetic/{index}"))
            yield mid, START + (index * 7_654_321) % SPAN

    def _synthetic(self, count: int) -> Iterator[tuple[Any, ...]]:
        templates = [s for s in DEMO_MODELS if s.status == "ready" and not s.broken]
        for index, (mid, created) in enumerate(self._synthetic_ids(count)):
            spec = templates[index % len(templates)]
            status = "ready"
            if index % 41 == 7:
                status = "failed"
            elif index % 97 == 13:
                status = "invalid"
            elif index % 53 == 5:
                status = "validated"
            yield model_row(
                spec,
                mid,
                created,
                name=f"{spec.name}-ft-{index:05d}",
                status=status,
                description=f"Synthetic fine-tune #{index} of {spec.name} (scale testing).",
                synthetic=True,
            )


def demo_endpoints() -> dict[str, str]:
    """`{slug: model_id}` of proj_demo's endpoints, as announced in the ready line."""
    return {
        slug: model_id(project, name)
        for slug, project, name, _ in ENDPOINTS
        if project == "proj_demo"
    }
