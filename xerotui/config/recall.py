"""Recall: small answers xerotui remembers between runs, per profile (the last workspace id
asked for recommendations, ...). One JSON file in the data dir, replaced atomically; a
missing or unreadable file simply means nothing is remembered."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from xerotui.config import paths


def recall_file() -> Path:
    return paths.data_dir() / "recall.json"


def _read() -> dict[str, Any]:
    try:
        data = json.loads(recall_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def recall(profile: str, key: str) -> str | None:
    value = _read().get(profile, {})
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, str) else None


def remember(profile: str, key: str, value: str) -> None:
    """Store `value`; a failure to write is not worth an error (it is only a convenience)."""
    data = _read()
    entry = data.get(profile)
    data[profile] = {**(entry if isinstance(entry, dict) else {}), key: value}
    with contextlib.suppress(OSError):
        paths.write_private(recall_file(), json.dumps(data, indent=2).encode("utf-8"))
