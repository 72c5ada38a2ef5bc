"""Sorting the inventory by version: semver order (a release above its pre-releases, 1.10
above 1.2), text that is not semver below it, no version lowest; each distinct version is
parsed once however many models share it."""

from __future__ import annotations

import random
from collections.abc import Sequence

from xerotui.api.inventory import SORT_KEYS, ModelInventory, _version_key
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


def test_a_filtered_view_in_any_order_is_the_matches_sorted() -> None:
    """The sorted list is kept and filtered (not the matches sorted again): the result is
    the same as sorting the matches, before and after models change."""
    rng = random.Random(5)
    names = ["alpha", "beta", "Gamma", "delta", "beta", None]
    found = inventory([rng.choice(["1.0.0", "2.0.0", "1.10.0", None, "x"]) for _ in range(300)])
    for model in list(found.models):
        found.update(
            model.model_copy(
                update={
                    "name": rng.choice(names),
                    "size_bytes": rng.choice([None, 1, 5, 5, 900]),
                    "status": rng.choice(["ready", "failed", "validating"]),
                }
            )
        )

    def expected(query: str, sort: str, descending: bool) -> list[str]:
        rows = found.view(query)  # server order, filtered
        return [m.id for m in sorted(rows, key=SORT_KEYS[sort], reverse=descending)]

    for step in range(60):
        sort = rng.choice(sorted(SORT_KEYS))
        descending = rng.random() < 0.5
        query = rng.choice(["", "beta", "a", "status:failed", "size>4", "gamma 1", "zzz"])
        assert [m.id for m in found.view(query, sort, descending)] == expected(
            query, sort, descending
        )
        if step % 7 == 0:  # a change to one model must reach the kept order
            model = rng.choice(found.models)
            found.update(model.model_copy(update={"name": rng.choice(names[:-1])}))
        if step == 30:
            found.remove({found.models[0].id, found.models[5].id})
