"""Timings: the sandbox's configurable speeds (validation time, token rate, first token)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass
class Timings:
    validation_seconds: float = 3.0
    tokens_per_second: float = 60.0
    first_token_ms: float = 400.0

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def copy(self) -> Timings:
        return dataclasses.replace(self)

    def merge(self, updates: dict[str, Any]) -> tuple[str, str] | None:
        """Apply settings; returns (param, message) of the first bad one, applying nothing."""
        names = {f.name for f in dataclasses.fields(self)}
        checked: dict[str, float] = {}
        for key, value in updates.items():
            if key not in names:
                return key, f"Unknown setting: {key}"
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                return key, f"{key} must be a non-negative number"
            if key == "tokens_per_second" and value <= 0:
                return key, "tokens_per_second must be greater than 0"
            checked[key] = float(value)
        for key, value in checked.items():
            setattr(self, key, value)
        return None
