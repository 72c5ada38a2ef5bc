"""Version rules and the arithmetic of the version timeline. Pure functions, no IO.

The API takes strict semver 2.0.0 without a leading `v` (design.md section 4: else 400
`invalid_version`), and rolls back only to a version lower than the current latest (else
400 `invalid_rollback`). The create form checks a version as it is typed with the same rules
(:func:`check_version`, through the `semver` package), and the rollback form offers only
what :func:`rollback_targets` returns, so the server's refusals are the exception — a
concurrent change, or a server stricter than these rules — and are still shown on the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import semver

from xerotui.api.schema import ModelVersion

MAX_LENGTH = 128
"""The longest version string accepted (the sandbox's limit)."""


def parse_version(text: str | None) -> semver.Version | None:
    """`text` as a strict semantic version (no leading `v`, all three numbers), else None."""
    if not text or len(text) > MAX_LENGTH or text[0] in "vV" or text != text.strip():
        return None
    try:
        return semver.Version.parse(text)
    except (ValueError, TypeError):
        return None


def check_version(text: str, existing: Iterable[str] = ()) -> str | None:
    """Why `text` cannot be created as a new version, in words; None when it can."""
    if not text:
        return "Type a version such as 2.0.0."
    if text != text.strip():
        return "No spaces around the version."
    if text[0] in "vV":
        return f"No leading “{text[0]}”: type {text[1:] or '2.0.0'}, not {text}."
    if len(text) > MAX_LENGTH:
        return f"At most {MAX_LENGTH} characters."
    if parse_version(text) is None:
        core = text.split("-", 1)[0].split("+", 1)[0]
        parts = core.split(".")
        if len(parts) != 3:
            return "A version has three numbers: MAJOR.MINOR.PATCH (e.g. 2.0.0)."
        if any(p.isdigit() and len(p) > 1 and p.startswith("0") for p in parts):
            return "Numbers may not start with 0 (2.0.1, not 2.0.01)."
        return "Not a semantic version: MAJOR.MINOR.PATCH, optionally -pre.release or +build."
    if text in set(existing):
        return f"Version {text} already exists."
    return None


def ordered(versions: Iterable[ModelVersion]) -> list[ModelVersion]:
    """Newest semver first; versions that do not parse last, newest created first."""

    def key(version: ModelVersion) -> tuple[int, semver.Version, int]:
        parsed = parse_version(version.version)
        return (1, parsed, version.created) if parsed else (0, semver.Version(0), version.created)

    return sorted(versions, key=key, reverse=True)


def latest_of(versions: Sequence[ModelVersion], model_version: str | None = None) -> str | None:
    """The latest version: the one marked `is_latest`, else the model's own `version`."""
    for version in versions:
        if version.is_latest:
            return version.version
    return model_version


def rollback_targets(versions: Iterable[ModelVersion], latest: str | None) -> list[ModelVersion]:
    """The versions a rollback may go to: lower than `latest`, newest first."""
    current = parse_version(latest)
    if current is None:
        return []
    return [v for v in ordered(versions) if (p := parse_version(v.version)) and p < current]


def suggestions(versions: Iterable[ModelVersion]) -> list[str]:
    """The next patch, minor and major version after the highest one (for a placeholder)."""
    parsed = [p for v in versions if (p := parse_version(v.version)) is not None]
    if not parsed:
        return ["1.0.0"]
    highest = max(parsed)
    top = highest.finalize_version()
    first = top if highest.prerelease else top.bump_patch()  # 2.1.0-rc.1 -> 2.1.0
    return [str(first), str(top.bump_minor()), str(top.bump_major())]


def gap_text(seconds: float) -> str:
    """The time between two versions in words: `3 days`, `5 h`, `12 min`, `< 1 min`."""
    seconds = abs(seconds)
    if seconds < 60:
        return "< 1 min"
    minutes = seconds / 60
    if minutes < 60:
        return f"{minutes:.0f} min"
    hours = minutes / 60
    if hours < 48:
        return f"{hours:.0f} h"
    days = hours / 24
    if days < 60:
        return f"{days:.0f} days"
    months = days / 30.44
    if months < 24:
        return f"{months:.0f} months"
    return f"{days / 365.25:.1f} years"
