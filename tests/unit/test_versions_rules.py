"""The version rules the forms apply as the user types, and the timeline's arithmetic."""

from __future__ import annotations

import pytest

from xerotui.api.schema import ModelVersion
from xerotui.api.versions import (
    check_version,
    gap_text,
    latest_of,
    ordered,
    parse_version,
    rollback_targets,
    suggestions,
)

DAY = 86_400


def version(text: str, created: int = 0, *, latest: bool = False) -> ModelVersion:
    return ModelVersion(id=f"v-{text}", version=text, created=created, is_latest=latest)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "Type a version such as 2.0.0."),
        ("v2.0.0", "No leading “v”: type 2.0.0, not v2.0.0."),
        ("V1", "No leading “V”: type 1, not V1."),
        ("2", "A version has three numbers: MAJOR.MINOR.PATCH (e.g. 2.0.0)."),
        ("2.0", "A version has three numbers: MAJOR.MINOR.PATCH (e.g. 2.0.0)."),
        ("2.0.0.1", "A version has three numbers: MAJOR.MINOR.PATCH (e.g. 2.0.0)."),
        ("2.0.01", "Numbers may not start with 0 (2.0.1, not 2.0.01)."),
        ("2.0.x", "Not a semantic version: MAJOR.MINOR.PATCH, optionally -pre.release or +build."),
        (" 2.0.0", "No spaces around the version."),
        ("2.0.0-", "Not a semantic version: MAJOR.MINOR.PATCH, optionally -pre.release or +build."),
        ("1.0.0", "Version 1.0.0 already exists."),
        ("9" * 127 + ".0", "At most 128 characters."),
    ],
)
def test_a_version_is_checked_as_typed(text: str, problem: str) -> None:
    assert check_version(text, ["1.0.0"]) == problem


@pytest.mark.parametrize("text", ["2.0.0", "0.0.1", "2.1.0-rc.1", "2.1.0+build.7", "10.20.30"])
def test_valid_versions_pass(text: str) -> None:
    assert check_version(text, ["1.0.0"]) is None
    assert parse_version(text) is not None


def test_the_timeline_is_newest_semver_first_whatever_the_server_order() -> None:
    versions = [version("1.10.0", 3), version("1.2.0", 2), version("2.0.0-rc.1", 4)]
    versions.append(version("2.0.0", 1))
    assert [v.version for v in ordered(versions)] == ["2.0.0", "2.0.0-rc.1", "1.10.0", "1.2.0"]


def test_rollback_offers_only_versions_below_the_latest() -> None:
    versions = [version("1.0.0"), version("1.1.0"), version("2.0.0"), version("2.1.0")]
    assert [v.version for v in rollback_targets(versions, "2.0.0")] == ["1.1.0", "1.0.0"]
    assert rollback_targets(versions, "1.0.0") == []
    assert rollback_targets(versions, None) == []


def test_the_latest_is_the_marked_version_else_the_models() -> None:
    assert latest_of([version("1.0.0"), version("2.0.0", latest=True)], "1.0.0") == "2.0.0"
    assert latest_of([version("1.0.0")], "1.0.0") == "1.0.0"


def test_suggestions_bump_the_highest_release() -> None:
    versions = [version("1.0.0"), version("2.1.0-rc.1")]
    assert suggestions(versions) == ["2.1.0", "2.2.0", "3.0.0"]
    assert suggestions(versions[:1]) == ["1.0.1", "1.1.0", "2.0.0"]
    assert suggestions([]) == ["1.0.0"]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(30, "< 1 min"), (12 * 60, "12 min"), (5 * 3600, "5 h"), (9 * DAY, "9 days"),
     (120 * DAY, "4 months"), (800 * DAY, "2.2 years"), (-9 * DAY, "9 days")],
)  # fmt: skip
def test_gaps_in_words(seconds: float, text: str) -> None:
    assert gap_text(seconds) == text
