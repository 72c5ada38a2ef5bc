"""PatchValidator: checks a `PATCH /models/{id}` body field by field (design.md section 4).

Unknown keys are ignored and ``null`` means "not sent"; ``quantization: ""`` means "do not
change". Every field error carries ``param``. Nothing is applied unless all fields pass.
Texts and integers are bounded (limits.py): an integer past its maximum is a 400
`invalid_value`, never an overflow in SQLite. Error messages quote at most a short prefix
of what was sent.
"""

from __future__ import annotations

from typing import Any

from xerotui.api.schema import (
    PRE_QUANTIZATION_BITS,
    PRE_QUANTIZATION_METHODS,
    QUANTIZATIONS,
    TORCH_DTYPES,
    WORKLOAD_TYPES,
)
from xerotui.sandbox.errors import ApiError
from xerotui.sandbox.limits import INT_LIMITS, TEXT_LIMITS

STRING_FIELDS = tuple(TEXT_LIMITS)
INTEGER_FIELDS = (
    "context_length", "parameter_count", "hidden_size", "num_layers", "vocab_size",
    "num_experts", "num_experts_per_tok",
)  # fmt: skip
KNOWN = frozenset(
    (*STRING_FIELDS, *INTEGER_FIELDS, "quantization", "workload_type", "torch_dtype",
     "pre_quantized", "pre_quantization_method", "pre_quantization_bits")
)  # fmt: skip


def quote(text: str, limit: int = 64) -> str:
    """A value as echoed in an error message: at most ``limit`` characters."""
    return text if len(text) <= limit else text[:limit] + "…"


class PatchValidator:
    """``validate(body)`` -> the column updates to apply, or raises :class:`ApiError`."""

    def validate(self, body: dict[str, Any]) -> dict[str, Any]:
        updates: dict[str, Any] = {}
        for name, value in body.items():
            if name not in KNOWN or value is None:
                continue
            checked = self._field(name, value)
            if checked is not None:
                updates[name] = checked
        return updates

    def _field(self, name: str, value: Any) -> Any:
        if name in STRING_FIELDS:
            text = self._string(name, value)
            if len(text) > TEXT_LIMITS[name]:
                raise ApiError.invalid_value(
                    name, f"{name} must be at most {TEXT_LIMITS[name]} characters"
                )
            return text
        if name in INTEGER_FIELDS:
            number = self._positive_int(name, value)
            if number > INT_LIMITS[name]:
                raise ApiError.invalid_value(
                    name, f"{name} must be an integer between 1 and {INT_LIMITS[name]}"
                )
            return number
        if name == "quantization":
            text = self._string(name, value)
            if text == "":
                return None
            if text not in QUANTIZATIONS:
                raise ApiError(
                    400,
                    "invalid_quantization",
                    f"Invalid quantization method: {quote(text)}",
                    param=name,
                )
            return text
        if name == "workload_type":
            text = self._string(name, value)
            if text not in WORKLOAD_TYPES:
                raise ApiError(
                    400,
                    "invalid_workload_type",
                    f"Invalid workload type: {quote(text)} "
                    f"(expected one of {', '.join(WORKLOAD_TYPES)})",
                    param=name,
                )
            return text
        if name == "torch_dtype":
            text = self._string(name, value)
            if text not in TORCH_DTYPES:
                raise ApiError(
                    400,
                    "invalid_torch_dtype",
                    f"Invalid torch dtype: {quote(text)} "
                    f"(expected one of {', '.join(TORCH_DTYPES)})",
                    param=name,
                )
            return text
        if name == "pre_quantized":
            if not isinstance(value, bool):
                raise ApiError.invalid_value(name, f"{name} must be a boolean")
            return value
        if name == "pre_quantization_method":
            text = self._string(name, value)
            if text not in PRE_QUANTIZATION_METHODS:
                raise ApiError(
                    400,
                    "invalid_pre_quantization",
                    f"Invalid pre-quantization method: {quote(text)} "
                    f"(expected one of {', '.join(PRE_QUANTIZATION_METHODS)})",
                    param=name,
                )
            return text
        # pre_quantization_bits
        bits = self._positive_int(name, value)
        if bits not in PRE_QUANTIZATION_BITS:
            raise ApiError(
                400,
                "invalid_pre_quantization",
                f"Invalid pre-quantization bits: {quote(str(bits))} (expected 4 or 8)",
                param=name,
            )
        return bits

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
