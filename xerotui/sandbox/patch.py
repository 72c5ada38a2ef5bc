"""PatchValidator: checks a `PATCH /models/{id}` body field by field (design.md section 4).

Derived from the field specs declared once on `schema.ModelMetadata` (allowed values, bounds,
lengths, error codes and messages): nothing here lists the fields again. Unknown keys are
ignored and ``null`` means "not sent"; ``quantization: ""`` means "do not change". Every
field error carries ``param``. Nothing is applied unless all fields pass. An integer past
its maximum is a 400 `invalid_value`, never an overflow in SQLite. Error messages quote at
most a short prefix of what was sent.
"""

from __future__ import annotations

from typing import Any

from xerotui.api.model_fields import Field
from xerotui.api.schema import METADATA_FIELDS
from xerotui.sandbox.errors import ApiError

FIELDS: dict[str, Field] = {field.name: field for field in METADATA_FIELDS}


def quote(text: str, limit: int = 64) -> str:
    """A value as echoed in an error message: at most ``limit`` characters."""
    return text if len(text) <= limit else text[:limit] + "…"


class PatchValidator:
    """``validate(body)`` -> the column updates to apply, or raises :class:`ApiError`."""

    def validate(self, body: dict[str, Any]) -> dict[str, Any]:
        updates: dict[str, Any] = {}
        for name, value in body.items():
            field = FIELDS.get(name)
            if field is None or value is None:
                continue
            checked = self._field(field, value)
            if checked is not None:
                updates[name] = checked
        return updates

    def _field(self, field: Field, value: Any) -> Any:
        name, spec = field.name, field.spec
        if field.kind == "bool":
            if not isinstance(value, bool):
                raise ApiError.invalid_value(name, f"{name} must be a boolean")
            return value
        numeric = field.kind == "int" or any(isinstance(c, int) for c in spec.choices)
        if numeric:
            checked: Any = self._positive_int(name, value)
            if spec.maximum is not None and checked > spec.maximum:
                raise ApiError.invalid_value(name, field.refusal(checked))
        else:
            checked = self._string(name, value)
            if spec.max_length is not None and len(checked) > spec.max_length:
                raise ApiError.invalid_value(
                    name, f"{name} must be at most {spec.max_length} characters"
                )
        if not spec.choices:
            return checked
        if spec.empty_means_unchanged and checked == "":
            return None
        if checked not in spec.choices:
            raise ApiError(400, spec.code, field.refusal(quote(str(checked))), param=name)
        return checked

    @staticmethod
    def _string(name: str, value: Any) -> str:
        if not isinstance(value, str):
            raise ApiError.invalid_value(name, f"{name} must be a string")
        return value

    @staticmethod
    def _positive_int(name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ApiError.invalid_value(name, f"{name} must be an integer greater than 0")
        return value
