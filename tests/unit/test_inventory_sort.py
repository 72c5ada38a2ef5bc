"""Sorting the inventory by version: semver order (a release above its pre-releases, 1.10
above 1.2), text that is not semver below it, no version lowest; each distinct version is
parsed once however many models share it."""

from __future__ import annotations

from collections.abc import Sequence

from xerotui.api.inventory import ModelInventory, _version_key
from xerotui.api.schema import Model, ModelList


def inventory(versions: Sequence[str | None]) -> ModelInventory:
    body = {
        "object": "list",
        "data": [
            {"id": f"m{i}", "created": 100 - i, "owned_by": "p", "name": f"n{i}"}
            | ({"version": v} if v is not None else {})
            for i, v in enumerate(versions)
        ],
    }
    models: list[Model] = ModelList.model_validate(body).data
    found = ModelInventory()
    found.replace(models)
    return found


def test_by_version_is_semver_order_then_text_then_none() -> None:
    found = inventory(["1.2.0", None, "2.0.0-rc.1", "latest", "1.10.0", "2.0.0", "1.2.0"])
    ascending = [m.version for m in found.view(sort="version", descending=False)]
    assert ascending == [None, "latest", "1.2.0", "1.2.0", "1.10.0", "2.0.0-rc.1", "2.0.0"]
    descending = [m.version for m in found.view(sort="version", descending=True)]
    assert descending == list(reversed(ascending))


def test_each_distinct_version_is_parsed_once() -> None:
    _version_key.cache_clear()
    found = inventory(["1.0.0"] * 500 + ["1.1.0"] * 500)
    found.view(sort="version")
    found.view(sort="version", descending=False)
    assert _version_key.cache_info().misses == 2
