"""Where xerotui keeps its files: platformdirs for "xerotui"; XEROTUI_HOME overrides all.

Tests set XEROTUI_HOME (and HOME / XDG_CONFIG_HOME) to a temporary directory so nothing of
the developer's machine is read or written.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "xerotui"


def _home_override() -> Path | None:
    value = os.environ.get("XEROTUI_HOME")
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """Directory of xerotui's own `config.toml`."""
    home = _home_override()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    """Directory of state: the demo sandbox database, chat transcripts."""
    home = _home_override()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME))


def config_file() -> Path:
    return config_dir() / "config.toml"


def demo_db() -> Path:
    """The SQLite file of the `--demo` sandbox (persists between runs)."""
    return data_dir() / "demo-sandbox.db"


def screenshots_dir() -> Path:
    """Where the palette's "Screenshot" saves SVGs."""
    return data_dir() / "screenshots"


def chats_dir() -> Path:
    """Chat transcripts and input history, one directory per profile (under the data dir)."""
    return data_dir() / "chats"


def xeroctl_config_file() -> Path:
    """xeroctl's config: `$XDG_CONFIG_HOME/xeroctl/config.toml` (default `~/.config`)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "xeroctl" / "config.toml"


def ensure_private_dir(path: Path) -> Path:
    """Create a directory (and parents) readable only by the user."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
