"""RawFields: the raw-field knob's checks, `POST /_sandbox/models/{id}/raw`.

Hostile-data tests need a server that stores what no validation would let through: a
10 MB description, escape sequences and NUL bytes in a name, a `created` of 10^15 (past
the year 9999), a status nobody knows, a lone surrogate. The knob stores any such value,
checking only that it has the column's kind (text, integer within SQLite's 64 bits,
boolean, list of texts), so the wire output can still serialise whatever is stored.
"""

from __future__ import annotations

import json
import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from xerotui.sandbox.errors import ApiError

INT64 = (-(2**63), 2**63 - 1)
REQUIRED_TEXT = ("name", "status", "version")
TEXT = (
    *REQUIRED_TEXT, "format", "description", "license", "architecture", "quantization",
    "workload_type", "torch_dtype", "pre_quantization_method", "catalog_role", "shared_at",
)  # fmt: skip
REQUIRED_INT = ("created", "deployment_count")
INTEGER = (
    *REQUIRED_INT, "size_bytes", "context_length", "parameter_count", "hidden_size",
    "num_layers", "vocab_size", "num_experts", "num_experts_per_tok", "pre_quantization_bits",
)  # fmt: skip
REQUIRED_BOOL = ("is_shared", "featured")
BOOLEAN = (*REQUIRED_BOOL, "pre_quantized")
REQUIRED = frozenset((*REQUIRED_TEXT, *REQUIRED_INT, *REQUIRED_BOOL))


class RawFieldsDoc(BaseModel):
    """Any subset of a model's stored fields, stored as given: texts of any content and
    size, 64-bit integers, booleans. Besides those listed: format, version, quantization,
    workload_type, torch_dtype, pre_quantization_method, catalog_role, shared_at,
    size_bytes, context_length, parameter_count, hidden_size, num_layers, vocab_size,
    num_experts, num_experts_per_tok, pre_quantization_bits, deployment_count, is_shared,
    featured, pre_quantized."""

    model_config = ConfigDict(extra="allow", title="RawFields")

    name: str | None = Field(default=None, description="any text, any size")
    description: str | None = None
    license: str | None = None
    status: str | None = Field(default=None, description="any text, e.g. an unknown status")
    created: int | None = Field(default=None, description="any 64-bit integer, e.g. 1e15")
    architecture: str | None = None
    capabilities: list[str] | None = None


class RawFields:
    """``check(body)`` -> the column values to store, or raises :class:`ApiError` (400)."""

    def check(self, body: dict[str, Any]) -> dict[str, Any]:
        if not body:
            raise ApiError.invalid_body("Give at least one field to set")
        columns: dict[str, Any] = {}
        for name, value in body.items():
            columns[name] = self._column(name, value)
        return columns

    def _column(self, name: str, value: Any) -> Any:
        if value is None:
            if name in REQUIRED:
                raise ApiError.invalid_value(name, f"{name} cannot be null")
            return None
        if name in TEXT:
            if not isinstance(value, str):
                raise ApiError.invalid_value(name, f"{name} must be a string")
            return value
        if name in INTEGER:
            return self._integer(name, value)
        if name in BOOLEAN:
            if not isinstance(value, bool):
                raise ApiError.invalid_value(name, f"{name} must be a boolean")
            return int(value)
        if name == "capabilities":
            if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
                raise ApiError.invalid_value(name, "capabilities must be a list of strings")
            return json.dumps(value)
        raise ApiError.invalid_value(name, f"Unknown or read-only field: {name[:64]}")

    @staticmethod
    def _integer(name: str, value: Any) -> int:
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)  # 1e15 is how JSON writers send large integers
        if isinstance(value, bool) or not isinstance(value, int):
            raise ApiError.invalid_value(name, f"{name} must be an integer")
        if not INT64[0] <= value <= INT64[1]:
            raise ApiError.invalid_value(name, f"{name} must fit in 64 bits")
        return value
