"""Reading and writing TOML config files as whole documents.

xerotui's own `config.toml` holds profiles (`current_profile`, `[profiles.NAME]`) and
settings (`[settings]`, `[settings.keymap]`). Both are changed through `editing()`: re-read,
change one part, write, under one lock, so saving one part never loses the other.

- Reading: stdlib `tomllib`. A missing file is an empty document. Malformed TOML is a
  `ConfigError` with the line number taken from tomllib's message.
- Writing: `tomli_w`, atomically (a temp file in the same directory, then `os.replace`),
  mode 0600 because the file can hold an API key, in a directory of mode 0700. Comments in
  the file are not kept (tomli_w writes data, not the original text).
- `locate_key` finds the line of a table or key, so errors about a value's type can say
  where it is.
"""

from __future__ import annotations

import contextlib
import re
import stat
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomli_w

from xerotui.config import paths
from xerotui.config.errors import ConfigError

_AT_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")


def read_toml(path: Path) -> dict[str, Any]:
    """The document in `path`; `{}` if the file does not exist."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise ConfigError("the file is not valid UTF-8 text", path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the file ({exc.strerror or exc})", path) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line = _describe_decode_error(str(exc), text)
        raise ConfigError(message, path, line) from None


def _describe_decode_error(raw: str, text: str) -> tuple[str, int | None]:
    """tomllib's "Expected '=' ... (at line 7, column 5)" -> ("expected '=' ...", 7)."""
    line: int | None = None
    match = _AT_LINE.search(raw)
    if match:
        line = int(match.group(1))
        raw = raw[: match.start()]
    else:
        match = _AT_END.search(raw)
        if match:
            line = max(1, len(text.splitlines()))
            raw = raw[: match.start()] + " (at the end of the file)"
    message = raw[:1].lower() + raw[1:] if raw else "invalid TOML"
    return message, line


def write_toml(path: Path, data: dict[str, Any]) -> None:
    """Write `data` to `path` atomically, mode 0600, in a directory of mode 0700."""
    directory = paths.ensure_private_dir(path.parent)
    if stat.S_IMODE(directory.stat().st_mode) & 0o077:
        directory.chmod(0o700)
    paths.write_private(path, tomli_w.dumps(data).encode("utf-8"), make_dirs=False, sync=True)


_EDITS = threading.RLock()


@contextlib.contextmanager
def editing(path: Path | None = None) -> Iterator[dict[str, Any]]:
    """Read the document, let the caller change it, write it back — one edit at a time, so a
    settings save and a profile save in two threads cannot undo each other. Nothing is
    written if the caller raises."""
    path = path or paths.config_file()
    with _EDITS:
        document = read_toml(path)
        yield document
        write_toml(path, document)


def read_config() -> dict[str, Any]:
    """xerotui's own `config.toml` as one document."""
    return read_toml(paths.config_file())


def locate_key(path: Path, keys: tuple[str, ...]) -> int | None:
    """1-based line of the table header `[a.b]` or of the key `c` in `[a.b]` for ("a","b","c").

    Best effort for error messages: handles plain headers and `key = value` lines; returns
    None for what it cannot find (dotted keys, inline tables, unreadable file).
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    table: tuple[str, ...] = ()
    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header:
            table = tuple(part.strip().strip("\"'") for part in header.group(1).split("."))
            if table == keys:
                return number
            continue
        key = _KEY.match(line)
        if key and (*table, next(g for g in key.groups() if g is not None)) == keys:
            return number
    return None


def type_error(path: Path, keys: tuple[str, ...], expected: str, value: object) -> ConfigError:
    """ConfigError "'settings.page_size' must be an integer (got 'ten')" at the key's line.
    The value of an `api_key` is never repeated, whatever its type."""
    name = ".".join(keys)
    got = f"a {type(value).__name__}" if keys[-1] == "api_key" else repr(value)
    return ConfigError(f"'{name}' must be {expected} (got {got})", path, locate_key(path, keys))
