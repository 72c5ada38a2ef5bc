"""Errors of the config layer, worded for the user: the TUI shows `str(error)` as is.

- `ConfigError`: something in a config file (or a flag / env value) is wrong. Says which file
  and which line in plain words: `~/.config/xerotui/config.toml, line 7: expected '=' after
  a key`.
- `KeychainError`: the API key of a profile could not be read from the OS keychain. Says
  which profile and entry, why, and what to do instead. A subclass of `ConfigError`, so one
  `except ConfigError` catches every problem of this layer.
"""

from __future__ import annotations

from pathlib import Path


def display_path(path: Path) -> str:
    """`/home/ann/.config/xerotui/config.toml` -> `~/.config/xerotui/config.toml`."""
    try:
        home = Path.home()
    except RuntimeError:  # no home directory: show the path as is
        return str(path)
    try:
        return "~/" + path.relative_to(home).as_posix()
    except ValueError:
        return str(path)


class ConfigError(Exception):
    """A problem in a config file or a connection setting, with file and line when known."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        super().__init__(message, path, line)

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = display_path(self.path)
        if self.line is not None:
            where += f", line {self.line}"
        return f"{where}: {self.message}"


class KeychainError(ConfigError):
    """The keychain entry of a profile could not be read (no keychain, refused, or missing)."""

    def __init__(self, profile: str, entry: str, reason: str) -> None:
        self.profile = profile
        self.entry = entry
        self.reason = reason
        message = (
            f"cannot read the API key of profile '{profile}' from the keychain entry "
            f"'{entry}': {reason}. Set XEROTIER_API_KEY, pass --api-key, or put "
            f'api_key = "..." in the profile instead of api_key_keychain.'
        )
        super().__init__(message)
