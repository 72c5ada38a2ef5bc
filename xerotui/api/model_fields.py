"""FieldSpec: what each PATCH field of a model means — written once, on the fields themselves.

`metadata.ModelMetadata` (re-exported by `schema`) declares every field of
`PATCH /models/{id}` (design.md section 4) with an `Annotated[..., FieldSpec(...)]`: its
label and group for the edit form, the allowed values, whether it must be a positive
integer, its unit, its maximum length, and the error code and message the server answers
when a value is refused. The sandbox's validation and store, and the TUI's edit form, are
derived from `specs()`; nothing lists the fields again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "int", "bool", "choice"]
GROUPS = ("General", "Architecture", "Quantization", "MoE")


@dataclass(frozen=True)
class FieldSpec:
    label: str
    group: str
    choices: tuple[str | int, ...] = ()
    """Allowed values; empty: any value of the field's type."""
    positive: bool = False
    """An integer that must be greater than 0."""
    maximum: int | None = None
    """The largest integer accepted (what a model can plausibly have)."""
    unit: str = ""
    code: str = "invalid_value"
    """The error code of a refused value."""
    message: str = ""
    """How the server words a refused value (`{value}` is filled in); empty: a generic one."""
    empty_means_unchanged: bool = False
    """`""` is accepted and changes nothing (the quantization field: design.md section 4)."""
    max_length: int | None = None
    help: str = ""


@dataclass(frozen=True)
class Field:
    """One PATCH field: its wire name, its spec and its kind."""

    name: str
    spec: FieldSpec
    kind: Kind

    def refusal(self, value: object) -> str:
        """The server's message for a refused `value` of this field."""
        spec = self.spec
        if spec.message:
            return spec.message.format(value=value)
        if spec.choices:
            allowed = ", ".join(str(c) for c in spec.choices)
            return f"Invalid {spec.label.lower()}: {value} (expected one of {allowed})"
        if self.kind == "int":
            if self.spec.maximum is not None:
                return f"{self.name} must be an integer between 1 and {self.spec.maximum}"
            return f"{self.name} must be an integer greater than 0"
        if self.kind == "bool":
            return f"{self.name} must be a boolean"
        return f"{self.name} must be a string"
