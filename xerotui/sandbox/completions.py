"""CompletionStore: stored chat completions (`store: true`), per project and endpoint."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from xerotui.sandbox.db import Database


@dataclass(frozen=True)
class CompletionPage:
    rows: list[sqlite3.Row]
    has_more: bool


class CompletionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        project: str,
        slug: str,
        body: dict[str, Any],
        messages: list[dict[str, Any]],
        metadata: dict[str, str],
    ) -> None:
        self.db.run(
            "INSERT INTO completions (id, project, slug, created, model, body, messages, metadata)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                body["id"],
                project,
                slug,
                body["created"],
                body["model"],
                json.dumps(body),
                json.dumps(messages),
                json.dumps(metadata),
            ),
        )

    def get(self, project: str, slug: str, cid: str) -> sqlite3.Row | None:
        return self.db.one(
            "SELECT * FROM completions WHERE id = ? AND project = ? AND slug = ?",
            (cid, project, slug),
        )

    def page(
        self,
        project: str,
        slug: str,
        *,
        after_seq: int | None,
        limit: int,
        descending: bool,
        model: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> CompletionPage:
        sql = "SELECT * FROM completions WHERE project = ? AND slug = ?"
        params: list[Any] = [project, slug]
        if after_seq is not None:
            sql += " AND seq < ?" if descending else " AND seq > ?"
            params.append(after_seq)
        if model:
            sql += " AND model = ?"
            params.append(model)
        sql += " ORDER BY seq DESC" if descending else " ORDER BY seq"
        rows = self.db.all(sql, params)
        if metadata:
            rows = [r for r in rows if _matches(json.loads(r["metadata"]), metadata)]
        return CompletionPage(rows[:limit], len(rows) > limit)

    def set_metadata(self, cid: str, metadata: dict[str, str]) -> None:
        self.db.run("UPDATE completions SET metadata = ? WHERE id = ?", (json.dumps(metadata), cid))

    def delete(self, cid: str) -> None:
        self.db.run("DELETE FROM completions WHERE id = ?", (cid,))


def _matches(have: dict[str, str], want: dict[str, str]) -> bool:
    return all(have.get(key) == value for key, value in want.items())


def completion_body(row: sqlite3.Row) -> dict[str, Any]:
    """The stored chat.completion object with its current metadata."""
    body: dict[str, Any] = json.loads(row["body"])
    body["metadata"] = json.loads(row["metadata"])
    return body
