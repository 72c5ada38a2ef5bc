"""User preferences: the `[settings]` table of xerotui's `config.toml`.

```toml
[settings]
theme = "xerotier-dark"
refresh_interval = 10.0   # seconds between refreshes: 0 (off) or 2..86400
wide_columns = true
watch_timeout = 600       # seconds a revalidation is watched before giving up: > 0, <= 86400

[settings.keymap]         # binding id -> key(s), as Textual's keymap takes them
"models.filter" = "f"
```

Every key is optional; every value has a type and a range, and a wrong one stops the start
with `file, line N: 'settings.x' ...` (a refresh every millisecond or a keymap that takes
`ctrl+q` from quit are refused, see :mod:`xerotui.config.keymap`). A key this version does
not know is ignored (a newer xerotui may have written it) unless it looks like a misspelt
known key (`refesh_interval`), which is refused naming the right one. Saving writes only the
values that differ from the defaults (so the file stays short and readable) and keeps the
unknown keys. Profiles in the same file are never touched.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from xerotui.config import configfile, paths
from xerotui.config.errors import ConfigError
from xerotui.config.keymap import check_keymap

TABLE = "settings"
MIN_REFRESH = 2.0  # seconds; faster polling only loads the server (35 GET/s at 0.001)
DAY = 86400.0


class Settings(BaseModel):
    """What the user can tune. TOML has real types, so values are checked strictly."""

    model_config = ConfigDict(strict=True, frozen=True, extra="ignore")

    theme: str = Field(default="xerotier-dark", min_length=1, max_length=64)
    keymap: dict[str, str] = Field(default_factory=dict)
    refresh_interval: float = Field(default=30.0, le=DAY, allow_inf_nan=False)
    wide_columns: bool = False
    page_size: int = Field(default=100, ge=1, le=100)
    """No longer used: the table is one scrollable view of every model (no pages). Still
    read (and checked) so that existing config files load unchanged."""
    watch_timeout: float = Field(default=600.0, gt=0, le=DAY, allow_inf_nan=False)

    @field_validator("refresh_interval")
    @classmethod
    def _off_or_at_least_two_seconds(cls, value: float, info: ValidationInfo) -> float:
        """What a user sets (the file, :func:`update_settings`) is 0 or at least 2 s; code
        that builds ``Settings`` itself (tests, benchmarks) may poll faster, never < 0."""
        floor = MIN_REFRESH if (info.context or {}).get("user") else 0.0
        if value < 0 or 0 < value < floor:
            raise ValueError(f"must be 0 (off) or at least {MIN_REFRESH:g} seconds")
        return value


def load_settings() -> Settings:
    """The settings in `config.toml`, defaults for what is missing."""
    path = paths.config_file()
    table = configfile.read_config().get(TABLE, {})
    if not isinstance(table, dict):
        raise configfile.type_error(path, (TABLE,), "a table ([settings])", table)
    return _validate(table, located=True)


def save_settings(settings: Settings) -> None:
    """Write `settings` into `config.toml`, keeping profiles and unknown settings keys."""
    with configfile.editing() as document:
        _put(document, settings)


def _put(document: dict[str, Any], settings: Settings) -> None:
    old = document.get(TABLE)
    table: dict[str, Any] = {
        key: value
        for key, value in (old.items() if isinstance(old, dict) else ())
        if key not in Settings.model_fields
    }
    defaults = Settings()
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if value != getattr(defaults, name):
            table[name] = value
    if table:
        document[TABLE] = table
    else:
        document.pop(TABLE, None)


def update_settings(**changes: Any) -> Settings:
    """Load, change the given fields, check, save; returns the new settings.

    An unknown field or a bad value is a `ConfigError` naming the setting (nothing is saved).
    """
    unknown = sorted(set(changes) - set(Settings.model_fields))
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(unknown)}")
    current = load_settings()
    updated = _validate({**current.model_dump(), **changes}, located=False)
    save_settings(updated)
    return updated


def _validate(table: dict[str, Any], *, located: bool) -> Settings:
    """The settings of ``table``, or the first problem as a ConfigError at its line."""
    keys: tuple[str, ...]
    try:
        settings = Settings.model_validate(table, context={"user": True})
    except ValidationError as exc:
        error = exc.errors()[0]
        keys = (TABLE, *(str(part) for part in error["loc"]))
        text = str(error["msg"]).removeprefix("Value error, ")
        got = repr(error["input"])
        got = got if len(got) <= 60 else got[:59] + "…"
        message = f"'{'.'.join(keys)}': {text[:1].lower()}{text[1:]} (got {got})"
        raise _located(message, keys, located) from None
    for key in table:
        known = difflib.get_close_matches(key, Settings.model_fields, n=1, cutoff=0.8)
        if key not in Settings.model_fields and known:
            message = f"'{TABLE}.{key}' is not a setting: did you mean '{known[0]}'?"
            raise _located(message, (TABLE, key), located)
    problem = check_keymap(settings.keymap)
    if problem is not None:
        binding, text = problem
        keys = (TABLE, "keymap", binding)
        raise _located(f"'{TABLE}.keymap.{binding}' {text}", keys, located)
    return settings


def _located(message: str, keys: tuple[str, ...], located: bool) -> ConfigError:
    if not located:
        return ConfigError(message)
    path = paths.config_file()
    line = None
    while keys and line is None:  # an inline table or a dotted key: the line that holds it
        line, keys = configfile.locate_key(path, keys), keys[:-1]
    return ConfigError(message, path, line)
