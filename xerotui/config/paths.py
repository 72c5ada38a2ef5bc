"""Where xerotui keeps its files: platformdirs for "xerotui"; XEROTUI_HOME overrides all.

Tests set XEROTUI_HOME (and HOME / XDG_CONFIG_HOME) to a temporary directory so nothing of
the developer's machine is read or written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
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


def write_private(path: Path, data: bytes, *, make_dirs: bool = True, sync: bool = False) -> None:
    """Replace ``path`` atomically with ``data`` (a temp file in the same directory, then
    ``os.replace``), mode 0600; the directory is created (0700) when ``make_dirs``, else it
    must exist. ``sync`` also flushes the file to disk before the replace."""
    directory = ensure_private_dir(path.parent) if make_dirs else path.parent
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
