"""Faults: injected latency, errors, dropped connections, cut streams, 429s and a 501 probe.

Random faults use a seeded RNG (``seed``) so a run can be repeated; the ``*_next`` counters
are fully deterministic: the next N matching requests get the fault. ``methods`` and
``path_contains`` restrict every fault (except ``probe_disabled``) to matching requests.
``crash_next`` raises an unhandled exception inside the app (the real 500 path, to test
what a client sees after one). Set at startup (flags, ``--faults "k=v,..."``) and at
runtime (``/_sandbox/faults``). Numbers have ranges (``MAXIMA``): a latency of 10^18 ms
would hang the server, not test a client.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from typing import Any


class FaultError(ValueError):
    """A bad fault setting; ``param`` names the key."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param


@dataclass
class FaultConfig:
    latency_ms: int = 0
    error_rate: float = 0.0
    error_status: int = 500
    error_code: str = ""
    """The injected error's `code` ("" = the usual one for its status)."""
    error_message: str = ""
    error_param: str = ""
    """A `param` for the injected error (e.g. a 400 refusing one PATCH field)."""
    fail_next: int = 0
    drop_rate: float = 0.0
    drop_next: int = 0
    stream_cut_after: int | None = None
    rate_limit: int = 0
    rate_limit_next: int = 0
    crash_next: int = 0
    retry_after: int = 1
    probe_disabled: bool = False
    methods: list[str] = field(default_factory=list)
    path_contains: str = ""
    seed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


FIELD_TYPES: dict[str, str] = {f.name: str(f.type) for f in dataclasses.fields(FaultConfig)}
COUNT_MAX = 1_000_000
MAXIMA: dict[str, int] = {
    "latency_ms": 600_000,
    "error_status": 599,
    "fail_next": COUNT_MAX,
    "drop_next": COUNT_MAX,
    "stream_cut_after": COUNT_MAX,
    "rate_limit": COUNT_MAX,
    "rate_limit_next": COUNT_MAX,
    "crash_next": COUNT_MAX,
    "retry_after": 86_400,
    "seed": 2**63 - 1,
}


def _coerce(key: str, value: Any) -> Any:
    """Check and convert one setting (JSON value or flag string) to its field type."""
    kind = FIELD_TYPES.get(key)
    if kind is None:
        raise FaultError(key, f"Unknown fault setting: {key}")
    if isinstance(value, str) and kind != "str" and kind != "list[str]":
        value = _from_text(key, kind, value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise FaultError(key, f"{key} must be a boolean")
        return value
    if kind in ("int", "int | None"):
        if value is None and kind == "int | None":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FaultError(key, f"{key} must be a non-negative integer")
        if key == "error_status" and not 400 <= value <= 599:
            raise FaultError(key, "error_status must be an HTTP error status (400-599)")
        if value > MAXIMA.get(key, COUNT_MAX):
            raise FaultError(key, f"{key} must be at most {MAXIMA.get(key, COUNT_MAX)}")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise FaultError(key, f"{key} must be a number between 0 and 1")
        return float(value)
    if kind == "list[str]":
        items = value.split("|") if isinstance(value, str) else value
        if (
            not isinstance(items, list)
            or len(items) > 16
            or not all(isinstance(m, str) and len(m) <= 16 for m in items)
        ):
            raise FaultError(key, f"{key} must be a list of at most 16 method names")
        return [m.upper() for m in items if m]
    if not isinstance(value, str) or len(value) > 1000:
        raise FaultError(key, f"{key} must be a string of at most 1000 characters")
    return value


def _from_text(key: str, kind: str, text: str) -> Any:
    text = text.strip()
    try:
        if kind == "bool":
            lowered = text.lower()
            if lowered not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(text)
            return lowered in ("1", "true", "yes", "on")
        if kind == "int | None" and text.lower() in ("", "none", "off"):
            return None
        if kind in ("int", "int | None"):
            return int(text)
        return float(text)
    except ValueError:
        raise FaultError(key, f"Invalid value for {key}: {text}") from None


def parse_fault_spec(spec: str) -> dict[str, Any]:
    """`"latency_ms=200,error_rate=0.1"` -> checked settings (methods use `GET|PATCH`)."""
    settings: dict[str, Any] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key = key.strip().replace("-", "_")
        if not sep:
            if FIELD_TYPES.get(key) == "bool":
                settings[key] = True
                continue
            raise FaultError(key, f"Expected key=value, got {part.strip()!r}")
        settings[key] = _coerce(key, value)
    return settings


class Faults:
    """The live fault configuration and the decisions taken on each request."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self.config = config or FaultConfig()
        self.rng = random.Random(self.config.seed)

    def snapshot(self) -> dict[str, Any]:
        return self.config.as_dict()

    def merge(self, updates: dict[str, Any]) -> None:
        """Apply some settings; all are checked before any is applied."""
        checked = {key: _coerce(key, value) for key, value in updates.items()}
        for key, value in checked.items():
            setattr(self.config, key, value)
        if "seed" in checked:
            self.rng = random.Random(self.config.seed)

    def clear(self) -> None:
        self.config = FaultConfig()
        self.rng = random.Random(0)

    def matches(self, method: str, path: str) -> bool:
        cfg = self.config
        if cfg.methods and method.upper() not in cfg.methods:
            return False
        return not cfg.path_contains or cfg.path_contains in path

    def take_drop(self) -> bool:
        cfg = self.config
        if cfg.drop_next > 0:
            cfg.drop_next -= 1
            return True
        return cfg.drop_rate > 0 and self.rng.random() < cfg.drop_rate

    def take_rate_limit(self) -> bool:
        if self.config.rate_limit_next > 0:
            self.config.rate_limit_next -= 1
            return True
        return False

    def take_crash(self) -> bool:
        if self.config.crash_next > 0:
            self.config.crash_next -= 1
            return True
        return False

    def take_failure(self) -> int | None:
        """The status of an injected error for this request, or None."""
        cfg = self.config
        if cfg.fail_next > 0:
            cfg.fail_next -= 1
            return cfg.error_status
        if cfg.error_rate > 0 and self.rng.random() < cfg.error_rate:
            return cfg.error_status
        return None

    def stream_cut(self, method: str, path: str) -> int | None:
        if self.config.stream_cut_after is None or not self.matches(method, path):
            return None
        return self.config.stream_cut_after
