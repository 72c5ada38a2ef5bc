"""Keymap overrides (`[settings.keymap]`): what a binding id may be bound to.

Textual applies a keymap as is: a binding given `ctrl+q` takes the key from quit, `?` from
help and `g` from the chord prefix, and the user can no longer leave, get help or navigate.
So an override that would take one of those keys is refused, naming both bindings; the
three may be moved themselves (then their new key is the protected one). Keys are written
as Textual names them (`ctrl+j`, `f`, `question_mark` or `?`, `pageup`), several separated
by commas. Ids must look like binding ids (`models.filter`); which ids exist is known only
to the app, which can ask :func:`unknown_ids`.

No textual import here: the protected bindings are restated below, and a test checks them
against the app's own bindings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

PROTECTED: dict[str, tuple[str, str]] = {
    "app.quit": ("ctrl+q", "quit"),
    "app.help": ("question_mark", "help"),
    "app.chord": ("g", "the g-chord prefix"),
}
"""Binding id -> (its default key, what it does)."""

_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_KEY = re.compile(r"^((ctrl|shift|alt|meta|super|hyper)\+)*([a-z0-9_]+|[^\s,+])$")
# Textual's names for characters whose Unicode name it shortens (textual.keys)
_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}


def normalize_key(key: str) -> str:
    """A key as Textual names it: `?` -> `question_mark`, `/` -> `slash`; names unchanged."""
    key = key.strip()
    if len(key) != 1 or key.isalnum():
        return key
    try:
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return key
    return _REPLACEMENTS.get(name, name)


def keys_of(value: str) -> list[str]:
    """`"f, ctrl+f"` -> `["f", "ctrl+f"]`, each normalised."""
    return [normalize_key(part) for part in value.split(",")]


def check_keymap(keymap: Mapping[str, str]) -> tuple[str, str] | None:
    """``(binding id, problem)`` for the first override that cannot be used, else None."""
    protected = {
        binding: (keys_of(keymap[binding]) if binding in keymap else [default], role)
        for binding, (default, role) in PROTECTED.items()
    }
    for binding, value in keymap.items():
        if not _ID.match(binding):
            return binding, (
                f"is not a binding id (ids look like 'models.filter'; ? in xerotui "
                f"lists them): {binding!r}"
            )
        if not value.strip():
            return binding, "is empty: remove the line to keep the default key"
        for raw, key in zip(value.split(","), keys_of(value), strict=True):
            if not _KEY.match(key):
                return binding, (
                    f"has {raw.strip()!r}, which is not a key name (write keys as Textual "
                    "does: 'f', 'ctrl+f', 'question_mark', 'pageup'; several separated by commas)"
                )
            for other, (taken, role) in protected.items():
                if other != binding and key in taken:
                    return binding, (
                        f"= {value!r} would take {key!r} from '{other}' ({role}); "
                        f"choose another key for '{binding}'"
                    )
    return None


def unknown_ids(keymap: Mapping[str, str], known: Iterable[str]) -> list[str]:
    """The ids of ``keymap`` that name no binding of the app (Textual ignores them)."""
    live = set(known)
    return sorted(binding for binding in keymap if binding not in live)
