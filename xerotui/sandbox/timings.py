"""Timings: the sandbox's configurable speeds (validation time, token rate, first token).

Each has a sane range (``RANGES``), checked for the flags and for ``/_sandbox/settings``:
``tokens_per_second=1e-300`` once made every chat wait for ever.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

# name -> (lowest, highest) allowed value
RANGES: dict[str, tuple[float, float]] = {
    "validation_seconds": (0.0, 86_400.0),
    "tokens_per_second": (1.0, 100_000.0),
    "first_token_ms": (0.0, 60_000.0),
}


def check_timing(name: str, value: Any) -> str | None:
    """The problem with one setting, or None when it is a number in its range."""
    if name not in RANGES:
        return f"Unknown setting: {name}"
    low, high = RANGES[name]
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not low <= value <= high
    ):
        return f"{name} must be a number between {low:g} and {high:g}"
    return None


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
        for key, value in updates.items():
            problem = check_timing(key, value)
            if problem is not None:
                return key, problem
        for key, value in updates.items():
            setattr(self, key, float(value))
        return None
