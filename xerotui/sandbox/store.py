"""ModelStore: the queries behind the model-management routes (models, versions, catalog,
endpoints, workspaces). Routes validate; the store only reads and writes rows.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

import semver

from xerotui.api.schema import METADATA_FIELDS
from xerotui.sandbox.db import Database, storable
from xerotui.sandbox.seed import iso, version_id

PAGE_SQL = "SELECT * FROM models WHERE project = ? ORDER BY created DESC, id LIMIT ? OFFSET ?"
UPDATABLE = frozenset({*(f.name for f in METADATA_FIELDS), "capabilities", "status"})
"""Columns a PATCH (the metadata fields), set-capabilities and the worker may write."""


def semver_key(version: str) -> semver.Version:
    return semver.Version.parse(version)


class ModelStore:
    """Reads and writes model rows and everything hanging off them."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------------ models

    def page(self, project: str, limit: int, offset: int) -> list[sqlite3.Row]:
        return self.db.all(PAGE_SQL, (project, limit, offset))

    def count(self, project: str) -> int:
        return int(self.db.scalar("SELECT COUNT(*) FROM models WHERE project = ?", (project,)))

    def get(self, project: str, mid: str) -> sqlite3.Row | None:
        return self.db.one("SELECT * FROM models WHERE id = ? AND project = ?", (mid, project))

    def update(self, mid: str, fields: dict[str, Any]) -> None:
        columns = [name for name in fields if name in UPDATABLE]
        if not columns:
            return
        assignments = ", ".join(f"{name} = ?" for name in columns)
        values = [self._column_value(name, fields[name]) for name in columns]
        with self.db.transaction():
            self.db.run(f"UPDATE models SET {assignments} WHERE id = ?", (*values, mid))

    def set_raw(self, mid: str, columns: dict[str, Any]) -> None:
        """Store column values as given (the raw-field knob; rawfields.py checks types)."""
        if not columns:
            return
        assignments = ", ".join(f"{name} = ?" for name in columns)
        values = [storable(value) for value in columns.values()]
        with self.db.transaction():
            self.db.run(f"UPDATE models SET {assignments} WHERE id = ?", (*values, mid))

    @staticmethod
    def _column_value(name: str, value: Any) -> Any:
        if name == "capabilities":
            return json.dumps(list(value))
        if name == "pre_quantized":
            return int(bool(value))
        return value

    def delete(self, mid: str) -> None:
        """Delete a model and what it owns: versions, endpoints, pending jobs."""
        with self.db.transaction():
            self.db.run("DELETE FROM models WHERE id = ?", (mid,))
            self.db.run("DELETE FROM versions WHERE model_id = ?", (mid,))
            self.db.run("DELETE FROM endpoints WHERE model_id = ?", (mid,))
            self.db.run("DELETE FROM jobs WHERE model_id = ?", (mid,))

    def success_models(self, project: str) -> list[sqlite3.Row]:
        return self.db.all(
            "SELECT * FROM models WHERE project = ? AND synthetic = 0"
            " AND status IN ('ready', 'active', 'validated')",
            (project,),
        )

    # ------------------------------------------------------------------ catalog

    def share(self, mid: str) -> None:
        """Mark shared; `shared_at` is the first share and survives unshare/re-share."""
        self.db.run(
            "UPDATE models SET is_shared = 1,"
            " catalog_role = COALESCE(catalog_role, 'deployable'),"
            " shared_at = COALESCE(shared_at, ?) WHERE id = ?",
            (iso(int(time.time())), mid),
        )

    def unshare(self, mid: str) -> None:
        """Remove the catalog footprint (role, deployment count, featured); keep shared_at."""
        self.db.run(
            "UPDATE models SET is_shared = 0, catalog_role = NULL, deployment_count = 0,"
            " featured = 0 WHERE id = ?",
            (mid,),
        )

    # ------------------------------------------------------------------ versions

    def versions(self, mid: str) -> list[sqlite3.Row]:
        """Versions of a model, newest semver first."""
        rows = self.db.all("SELECT * FROM versions WHERE model_id = ?", (mid,))
        return sorted(rows, key=lambda row: semver_key(row["version"]), reverse=True)

    def version(self, mid: str, version: str) -> sqlite3.Row | None:
        return self.db.one(
            "SELECT * FROM versions WHERE model_id = ? AND version = ?", (mid, version)
        )

    def add_version(self, mid: str, version: str, notes: str | None) -> sqlite3.Row:
        vid = version_id(mid, version)
        self.db.run(
            "INSERT INTO versions (id, model_id, version, created, notes) VALUES (?, ?, ?, ?, ?)",
            (vid, mid, version, int(time.time()), notes),
        )
        row = self.version(mid, version)
        assert row is not None
        return row

    def set_latest(self, mid: str, version: str) -> None:
        self.db.run("UPDATE models SET version = ? WHERE id = ?", (version, mid))

    # ------------------------------------------------------------------ endpoints

    def endpoint(self, project: str, slug: str) -> sqlite3.Row | None:
        return self.db.one(
            "SELECT * FROM endpoints WHERE slug = ? AND project = ?", (slug, project)
        )

    def endpoint_of_model(self, mid: str) -> sqlite3.Row | None:
        return self.db.one("SELECT * FROM endpoints WHERE model_id = ? LIMIT 1", (mid,))

    def model_by_id(self, mid: str) -> sqlite3.Row | None:
        return self.db.one("SELECT * FROM models WHERE id = ?", (mid,))

    # ------------------------------------------------------------------ workspaces

    def workspace(self, project: str, wid: str) -> sqlite3.Row | None:
        return self.db.one("SELECT * FROM workspaces WHERE id = ? AND project = ?", (wid, project))
