"""The inventory's models in progress are kept as models change (a periodic refresh asks
for them, and scanning 100,000 models each time held the UI ~30 ms): the list always equals
a scan of every model, in server order."""

from __future__ import annotations

import random

from xerotui.api.inventory import ModelInventory
from xerotui.api.schema import Model, ModelList, is_terminal

STATUSES = ("ready", "failed", "validating", "pending", "downloading", None, "odd-new-status")


def models(count: int, rng: random.Random) -> list[Model]:
    body = {
        "object": "list",
        "data": [
            {"id": f"m{i}", "created": 10_000 - i, "owned_by": "p", "name": f"n{i}"}
            | ({"status": s} if (s := rng.choice(STATUSES)) is not None else {})
            for i in range(count)
        ],
    }
    return ModelList.model_validate(body).data


def scan(inventory: ModelInventory) -> list[str]:
    return [m.id for m in inventory.models if not is_terminal(m.status)]


def test_in_progress_follows_replace_update_and_remove() -> None:
    rng = random.Random(11)
    inventory = ModelInventory()
    inventory.replace(models(300, rng))
    assert [m.id for m in inventory.in_progress()] == scan(inventory)
    assert inventory.in_progress()  # the seed gives some of each
    for _ in range(200):
        model = rng.choice(inventory.models)
        status = rng.choice(STATUSES)
        inventory.update(model.model_copy(update={"status": status}))
        assert [m.id for m in inventory.in_progress()] == scan(inventory)
        # the listed models are the inventory's current objects, not stale copies
        assert all(m is inventory.get(m.id) for m in inventory.in_progress())
    gone = {m.id for m in inventory.in_progress()[:5]} | {inventory.models[0].id}
    inventory.remove(gone)
    assert [m.id for m in inventory.in_progress()] == scan(inventory)
    assert not gone & {m.id for m in inventory.in_progress()}
    inventory.replace(models(50, rng))
    assert [m.id for m in inventory.in_progress()] == scan(inventory)


def test_an_update_that_finishes_a_revalidation_drops_it() -> None:
    inventory = ModelInventory()
    inventory.replace(models(3, random.Random(1)))
    first = inventory.models[0]
    inventory.update(first.model_copy(update={"status": "validating"}))
    assert first.id in {m.id for m in inventory.in_progress()}
    inventory.update(first.model_copy(update={"status": "ready"}))
    assert first.id not in {m.id for m in inventory.in_progress()}
