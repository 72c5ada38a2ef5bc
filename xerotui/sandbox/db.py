"""Database: the one SQLite connection of the sandbox (stdlib sqlite3, WAL) and its schema.

Every query runs on the event-loop thread, so one connection is enough; statements are
short and indexed. ``broken`` (files marked broken, the revalidation outcome) and
``synthetic`` are internal columns and never reach the wire.

Text that is not valid Unicode (a lone surrogate, which only the raw-field knob may store,
for hostile-data tests) cannot be bound as SQLite TEXT; :func:`storable` keeps it as the
surrogate-preserving bytes and the ``TEXT`` converter turns every TEXT column back into str.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MODEL_COLUMNS: tuple[str, ...] = (
    "id", "project", "created", "name", "format", "size_bytes", "status", "version",
    "description", "license", "architecture", "quantization", "context_length",
    "parameter_count", "hidden_size", "num_layers", "vocab_size", "workload_type",
    "torch_dtype", "num_experts", "num_experts_per_tok", "pre_quantized",
    "pre_quantization_method", "pre_quantization_bits", "capabilities", "is_shared",
    "catalog_role", "deployment_count", "featured", "shared_at", "broken", "synthetic",
)  # fmt: skip

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS models (
    id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    created INTEGER NOT NULL,
    name TEXT NOT NULL,
    format TEXT,
    size_bytes INTEGER,
    status TEXT NOT NULL,
    version TEXT NOT NULL DEFAULT '1.0.0',
    description TEXT,
    license TEXT,
    architecture TEXT,
    quantization TEXT,
    context_length INTEGER,
    parameter_count INTEGER,
    hidden_size INTEGER,
    num_layers INTEGER,
    vocab_size INTEGER,
    workload_type TEXT,
    torch_dtype TEXT,
    num_experts INTEGER,
    num_experts_per_tok INTEGER,
    pre_quantized INTEGER,
    pre_quantization_method TEXT,
    pre_quantization_bits INTEGER,
    capabilities TEXT,
    is_shared INTEGER NOT NULL DEFAULT 0,
    catalog_role TEXT,
    deployment_count INTEGER NOT NULL DEFAULT 0,
    featured INTEGER NOT NULL DEFAULT 0,
    shared_at TEXT,
    broken TEXT,
    synthetic INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS models_page ON models (project, created DESC, id);
CREATE INDEX IF NOT EXISTS models_synthetic ON models (synthetic);
CREATE TABLE IF NOT EXISTS versions (
    id TEXT PRIMARY KEY,
    model_id TEXT NOT NULL,
    version TEXT NOT NULL,
    created INTEGER NOT NULL,
    notes TEXT,
    UNIQUE (model_id, version)
);
CREATE TABLE IF NOT EXISTS endpoints (
    slug TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    model_id TEXT NOT NULL,
    worker_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS endpoints_model ON endpoints (model_id);
CREATE TABLE IF NOT EXISTS workspaces (
    id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    name TEXT NOT NULL,
    focus TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id TEXT NOT NULL,
    due REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (due);
CREATE TABLE IF NOT EXISTS completions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    project TEXT NOT NULL,
    slug TEXT NOT NULL,
    created INTEGER NOT NULL,
    model TEXT NOT NULL,
    body TEXT NOT NULL,
    messages TEXT NOT NULL,
    metadata TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS completions_page ON completions (project, slug, seq);
"""

DATA_TABLES = ("models", "versions", "endpoints", "workspaces", "jobs", "completions")


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogatepass")


sqlite3.register_converter("TEXT", _text)


def storable(value: Any) -> Any:
    """A value SQLite can bind: text with lone surrogates becomes bytes (read back by _text)."""
    if isinstance(value, str) and not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "surrogatepass")
    return value


class Database:
    """One sqlite3 connection in autocommit mode; ``transaction()`` groups statements."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.is_new = not path.exists() or path.stat().st_size == 0
        self.conn = sqlite3.connect(
            str(path),
            isolation_level=None,
            check_same_thread=False,
            detect_types=sqlite3.PARSE_DECLTYPES,
        )
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA temp_store=MEMORY")
        self.conn.executescript(SCHEMA)
        if self.get_meta("seeded") is None:
            self.is_new = True
        self._depth = 0

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN ... COMMIT (ROLLBACK on error); nested use joins the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return list(self.conn.execute(sql, params).fetchall())

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute one statement; the number of rows it changed."""
        return self.conn.execute(sql, params).rowcount

    def run_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def get_meta(self, key: str) -> str | None:
        value = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        self.run("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def clear_data(self) -> None:
        """Delete every row of the data tables (inside the caller's transaction)."""
        for table in DATA_TABLES:
            self.run(f"DELETE FROM {table}")


def insert_sql(table: str, columns: Sequence[str], *, ignore: bool = False) -> str:
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    marks = ", ".join("?" for _ in columns)
    return f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({marks})"
