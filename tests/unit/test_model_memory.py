"""Models of the inventory share their field set and empty extra dict (api/model_memory.py):
nothing a model says changes, copies are private again, and a change in place is refused."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import pytest

from xerotui.api.inventory import ModelInventory
from xerotui.api.model_memory import NO_EXTRA, SharedFields, Sharing
from xerotui.api.schema import Model, ModelList


def page(*names: str, **more: Any) -> list[Model]:
    body = {
        "object": "list",
        "data": [
            {"id": f"id-{n}", "created": 1, "owned_by": "p", "name": n, "status": "ready", **more}
            for n in names
        ],
    }
    return ModelList.model_validate(body).data


def test_models_of_one_shape_share_one_field_set_and_one_empty_extra() -> None:
    models = page("a", "b", "c")
    dumps = [m.model_dump(exclude_unset=True) for m in models]
    json = [m.model_dump_json() for m in models]
    Sharing().lean(models)
    sets = {id(m.__pydantic_fields_set__) for m in models}
    assert len(sets) == 1
    assert type(models[0].__pydantic_fields_set__) is SharedFields
    assert all(m.__pydantic_extra__ is NO_EXTRA for m in models)
    # what each model says is unchanged
    assert [m.model_dump(exclude_unset=True) for m in models] == dumps
    assert [m.model_dump_json() for m in models] == json
    assert models[0].model_fields_set == {"id", "created", "owned_by", "name", "status"}
    assert models[0] == page("a")[0]


def test_repeated_values_are_held_once_and_unique_ones_stay() -> None:
    first, second = (
        Model.model_validate(json.loads(text))  # as the client parses answers
        for text in (
            '{"id": "a", "created": 1, "owned_by": "p", "name": "x", "status": "ready",'
            ' "context_length": 131072, "architecture": "LlamaForCausalLM"}',
            '{"id": "b", "created": 1, "owned_by": "p", "name": "y", "status": "ready",'
            ' "context_length": 131072, "architecture": "LlamaForCausalLM"}',
        )
    )
    assert first.status is not second.status  # two objects, as json.loads made them
    before = [first.model_dump(), second.model_dump()]
    Sharing().lean([first, second])
    assert first.status is second.status
    assert first.context_length is second.context_length
    assert first.architecture is second.architecture
    assert first.owned_by is second.owned_by
    assert [first.model_dump(), second.model_dump()] == before
    assert (first.id, second.id, first.name, second.name) == ("a", "b", "x", "y")


def test_other_shapes_and_unknown_fields_keep_their_own() -> None:
    plain = page("a")
    odd = page("b", version="1.0.0", colour="red")  # one more field, one unknown
    sharing = Sharing()
    sharing.lean([*plain, *odd])
    assert plain[0].model_fields_set != odd[0].model_fields_set
    assert odd[0].__pydantic_extra__ == {"colour": "red"}
    assert odd[0].colour == "red"  # type: ignore[attr-defined]


def test_copies_are_private_and_changes_in_place_are_refused() -> None:
    models = page("a", "b")
    Sharing().lean(models)
    first, second = models
    changed = first.model_copy(update={"status": "failed", "extra_thing": 1})
    assert changed.status == "failed"
    assert "status" in changed.model_fields_set
    assert type(changed.__pydantic_fields_set__) is set
    assert changed.__pydantic_extra__ == {"extra_thing": 1}
    assert second.__pydantic_extra__ == {}  # the shared one did not gain it
    for made in (copy.copy(first), copy.deepcopy(first), pickle.loads(pickle.dumps(first))):
        assert made == first
        assert type(made.__pydantic_fields_set__) is set
        made.name = "renamed"  # a copy is an ordinary model again
        assert made.name == "renamed"
    with pytest.raises(TypeError, match="shared by many models"):
        first.name = "renamed"  # would change the set every model shares
    assert second.model_fields_set == {"id", "created", "owned_by", "name", "status"}
    with pytest.raises(TypeError, match="shared by many models"):
        first.unknown = 1  # type: ignore[attr-defined]  # every model would gain it
    assert second.__pydantic_extra__ == {}


def test_the_inventory_keeps_its_models_lean_through_replace_and_update() -> None:
    inventory = ModelInventory()
    inventory.replace(page("a", "b", "c"))
    assert len({id(m.__pydantic_fields_set__) for m in inventory.models}) == 1
    inventory.update(page("b", status="failed")[0])
    updated = inventory.get("id-b")
    assert updated is not None
    assert updated.status == "failed"
    assert type(updated.__pydantic_fields_set__) is SharedFields
    assert updated.__pydantic_extra__ is NO_EXTRA
    assert [m.id for m in inventory.view("status:failed")] == ["id-b"]
