"""User preferences: the `[settings]` table of xerotui's `config.toml`.

```toml
[settings]
theme = "xerotier-dark"
refresh_interval = 10.0   # seconds; 0 disables auto refresh
page_size = 50            # rows per page of the model table, 1..100
wide_columns = true

[settings.keymap]         # binding id -> key(s), as Textual's keymap takes them
"models.filter" = "f"
```

Every key is optional. Saving writes only the values that differ from the defaults (so the
file stays short and readable) and keeps keys this version does not know, which it
otherwise ignores. Profiles in the same file are never touched.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from xerotui.config import configfile, paths
from xerotui.config.errors import ConfigError

TABLE = "settings"


class Settings(BaseModel):
    """What the user can tune. TOML has real types, so values are checked strictly."""

    model_config = ConfigDict(strict=True, frozen=True, extra="ignore")

    theme: str = Field(default="xerotier-dark", min_length=1)
    keymap: dict[str, str] = Field(default_factory=dict)
    refresh_interval: float = Field(default=30.0, ge=0, allow_inf_nan=False)
    wide_columns: bool = False
    page_size: int = Field(default=100, ge=1, le=100)


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
    try:
        return Settings.model_validate(table)
    except ValidationError as exc:
        error = exc.errors()[0]
        keys = (TABLE, *(str(part) for part in error["loc"]))
        name = ".".join(keys)
        message = f"'{name}': {error['msg'][:1].lower()}{error['msg'][1:]} (got {error['input']!r})"
        if not located:
            raise ConfigError(message) from None
        path = paths.config_file()
        raise ConfigError(message, path, configfile.locate_key(path, keys)) from None
