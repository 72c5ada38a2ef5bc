"""PatchValidator: checks a `PATCH /models/{id}` body field by field (design.md section 4).

Unknown keys are ignored and ``null`` means "not sent"; ``quantization: ""`` means "do not
change". Every field error carries ``param``. Nothing is applied unless all fields pass.
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

STRING_FIELDS = ("description", "license", "architecture")
INTEGER_FIELDS = (
    "context_length", "parameter_count", "hidden_size", "num_layers", "vocab_size",
    "num_experts", "num_experts_per_tok",
)  # fmt: skip
KNOWN = frozenset(
    (*STRING_FIELDS, *INTEGER_FIELDS, "quantization", "workload_type", "torch_dtype",
     "pre_quantized", "pre_quantization_method", "pre_quantization_bits")
)  # fmt: skip


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
            return self._string(name, value)
        if name in INTEGER_FIELDS:
            return self._positive_int(name, value)
        if name == "quantization":
            text = self._string(name, value)
            if text == "":
                return None
            if text not in QUANTIZATIONS:
                raise ApiError(
                    400, "invalid_quantization", f"Invalid quantization method: {text}", param=name
                )
            return text
        if name == "workload_type":
            text = self._string(name, value)
            if text not in WORKLOAD_TYPES:
                raise ApiError(
                    400,
                    "invalid_workload_type",
                    f"Invalid workload type: {text} (expected one of {', '.join(WORKLOAD_TYPES)})",
                    param=name,
                )
            return text
        if name == "torch_dtype":
            text = self._string(name, value)
            if text not in TORCH_DTYPES:
                raise ApiError(
                    400,
                    "invalid_torch_dtype",
                    f"Invalid torch dtype: {text} (expected one of {', '.join(TORCH_DTYPES)})",
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
                    f"Invalid pre-quantization method: {text} "
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
                f"Invalid pre-quantization bits: {bits} (expected 4 or 8)",
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
