"""How the inventory keeps 100,000 models in little memory: what is the same in many models
is held once.

A pydantic `Model` carries, besides its `__dict__` of 29 fields, a set of the fields the
server sent (`model_fields_set`: ~730 bytes) and a dict of unknown fields (`{}` almost
always: 64 bytes); and each value is its own object, as `json.loads` made it: "ready",
"safetensors", "LlamaForCausalLM", 131072... again in every model (~50 bytes each, a dozen
per model). `Sharing.lean()` makes models share one field set per shape of answer, one
empty extra dict, and one object per distinct value of the fields that repeat (VALUES).

Shared objects must never change under the models that share them, so they refuse to:
pydantic changes them only on attribute assignment (which the app never does to a model
of the inventory: it replaces models with `model_copy`), and then the refusal is loud, a
TypeError, never another model quietly gaining a field. Copies (`model_copy`, `copy`,
`deepcopy`, pickling) get a plain, private set or dict, exactly as before. Shared values
are immutable (strings, numbers): a model stays equal to what it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from xerotui.api.schema import Model

_setattr = object.__setattr__


def _refuse(*_: object, **__: object) -> NoReturn:
    raise TypeError("shared by many models: copy the model (model_copy) to change it")


class SharedFields(set[str]):
    """A `model_fields_set` shared by every model with the same fields."""

    __slots__ = ()
    add = update = discard = remove = pop = clear = _refuse
    difference_update = intersection_update = symmetric_difference_update = _refuse
    __ior__ = __iand__ = __isub__ = __ixor__ = _refuse

    def __copy__(self) -> set[str]:
        return set(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> set[str]:
        return set(self)

    def __reduce__(self) -> tuple[type[set[str]], tuple[list[str]]]:
        return set, (list(self),)


class NoExtra(dict[str, Any]):
    """The empty `__pydantic_extra__` every model without unknown fields shares."""

    __slots__ = ()
    __setitem__ = __delitem__ = setdefault = update = pop = popitem = clear = _refuse
    __ior__ = _refuse

    def __copy__(self) -> dict[str, Any]:
        return {}

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {}

    def __reduce__(self) -> tuple[type[dict[str, Any]], tuple[()]]:
        return dict, ()


NO_EXTRA = NoExtra()


VALUES = (
    "object",
    "owned_by",
    "format",
    "status",
    "version",
    "size_formatted",
    "workload_type",
    "architecture",
    "quantization",
    "torch_dtype",
    "license",
    "pre_quantization_method",
    "context_length",
    "parameter_count",
    "hidden_size",
    "num_layers",
    "vocab_size",
)
"""Fields whose values repeat across models: held once each. Strings and numbers only;
ids, names and descriptions are unique and stay as they are."""
MAX_VALUES = 100_000
"""Distinct values kept for sharing at most (beyond, new values are simply not shared)."""
MAX_SHAPES = 64
"""Distinct field sets shared at most (a server whose models all differ gets no sharing,
rather than a search through ever more sets)."""


class Sharing:
    """The field sets and values met so far, one object each."""

    def __init__(self) -> None:
        self._sets: list[SharedFields] = []
        self._values: dict[tuple[type, object], object] = {}

    def lean(self, models: Iterable[Model]) -> None:
        """Make `models` share their field set, empty extra dict and repeated values (in
        place: each model stays equal to what it was)."""
        for model in models:
            self._share_values(model.__dict__)
            given = model.__pydantic_fields_set__
            if type(given) is not SharedFields:
                shared = self._shared_set(given)
                if shared is not None:
                    _setattr(model, "__pydantic_fields_set__", shared)
            extra = model.__pydantic_extra__
            if type(extra) is dict and not extra:
                _setattr(model, "__pydantic_extra__", NO_EXTRA)

    def _share_values(self, fields: dict[str, Any]) -> None:
        values = self._values
        for name in VALUES:
            value = fields.get(name)
            if value is None or type(value) is bool:
                continue
            key = (type(value), value)  # 1, 1.0 and "1" stay apart
            held = values.get(key)
            if held is None:
                if len(values) < MAX_VALUES:
                    values[key] = value
            elif held is not value:
                fields[name] = held

    def _shared_set(self, given: set[str]) -> SharedFields | None:
        for shared in self._sets:
            if shared == given:  # a C-level comparison, no new object
                return shared
        if len(self._sets) >= MAX_SHAPES:
            return None
        shared = SharedFields(given)
        self._sets.append(shared)
        return shared
