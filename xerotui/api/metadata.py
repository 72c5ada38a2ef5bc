"""The metadata of a model that `PATCH /models/{id}` may change: the documented values, the
limits, and `ModelMetadata`, whose fields carry their FieldSpec (model_fields.py) — declared
once, shared by the extended Model, the PATCH body, the sandbox's validation and store, and
the edit form. Re-exported by schema.py.
"""

from __future__ import annotations

from typing import Annotated

from xerotui.api.model_fields import Field as MetadataField
from xerotui.api.model_fields import FieldSpec, Kind
from xerotui.api.wire_base import Wire

QUANTIZATIONS = (
    "native",
    "awq",
    "bitsandbytes",
    "bitblas",
    "gguf",
    "gptq",
    "ipex",
    "int4",
    "int8",
    "fp8",
    "modelopt",
    "quark",
    "torchao",
    "compressed-tensors",
)
WORKLOAD_TYPES = ("chat", "code", "reasoning", "embedding", "multilingual")
TORCH_DTYPES = ("float16", "bfloat16", "float32")
PRE_QUANTIZATION_METHODS = ("gptq", "awq", "compressed-tensors")
PRE_QUANTIZATION_BITS = (4, 8)
TEXT_LIMITS = {"description": 10_000, "license": 256, "architecture": 128}
"""Maximum lengths of the free-text metadata fields (code points). A description is a model
card's summary, not the card; a client must still cope with longer ones from other servers."""
INT_LIMITS = {
    "context_length": 16_777_216,  # 2^24 tokens; the longest windows today are ~10M
    "parameter_count": 1_000_000_000_000_000,  # 10^15; the largest models are ~2*10^12
    "hidden_size": 1_048_576,
    "num_layers": 100_000,
    "vocab_size": 16_777_216,
    "num_experts": 65_536,
    "num_experts_per_tok": 65_536,
}
"""The largest value of each integer metadata field (well inside SQLite's 64 bits)."""


class ModelMetadata(Wire):
    """The fields `PATCH /models/{id}` may change, each with its FieldSpec (model_fields.py):
    declared once here, shared by the extended Model, the PATCH body, the sandbox's
    validation and store, and the edit form."""

    description: Annotated[
        str | None, FieldSpec("Description", "General", max_length=TEXT_LIMITS["description"])
    ] = None
    license: Annotated[
        str | None,
        FieldSpec("License", "General", max_length=TEXT_LIMITS["license"], help="e.g. MIT"),
    ] = None
    workload_type: Annotated[
        str | None,
        FieldSpec("Workload type", "General", WORKLOAD_TYPES, code="invalid_workload_type"),
    ] = None
    architecture: Annotated[
        str | None,
        FieldSpec(
            "Architecture",
            "Architecture",
            max_length=TEXT_LIMITS["architecture"],
            help="e.g. LlamaForCausalLM",
        ),
    ] = None
    context_length: Annotated[
        int | None,
        FieldSpec(
            "Context length",
            "Architecture",
            positive=True,
            maximum=INT_LIMITS["context_length"],
            unit="tokens",
        ),
    ] = None
    parameter_count: Annotated[
        int | None,
        FieldSpec(
            "Parameters", "Architecture", positive=True, maximum=INT_LIMITS["parameter_count"]
        ),
    ] = None
    hidden_size: Annotated[
        int | None,
        FieldSpec("Hidden size", "Architecture", positive=True, maximum=INT_LIMITS["hidden_size"]),
    ] = None
    num_layers: Annotated[
        int | None,
        FieldSpec("Layers", "Architecture", positive=True, maximum=INT_LIMITS["num_layers"]),
    ] = None
    vocab_size: Annotated[
        int | None,
        FieldSpec("Vocab size", "Architecture", positive=True, maximum=INT_LIMITS["vocab_size"]),
    ] = None
    torch_dtype: Annotated[
        str | None,
        FieldSpec("Torch dtype", "Architecture", TORCH_DTYPES, code="invalid_torch_dtype"),
    ] = None
    quantization: Annotated[
        str | None,
        FieldSpec(
            "Runtime quantization",
            "Quantization",
            QUANTIZATIONS,
            code="invalid_quantization",
            message="Invalid quantization method: {value}",
            empty_means_unchanged=True,
        ),
    ] = None
    pre_quantized: Annotated[bool | None, FieldSpec("Pre-quantized", "Quantization")] = None
    pre_quantization_method: Annotated[
        str | None,
        FieldSpec(
            "Pre-quantization method",
            "Quantization",
            PRE_QUANTIZATION_METHODS,
            code="invalid_pre_quantization",
        ),
    ] = None
    pre_quantization_bits: Annotated[
        int | None,
        FieldSpec(
            "Pre-quantization bits",
            "Quantization",
            PRE_QUANTIZATION_BITS,
            code="invalid_pre_quantization",
            message="Invalid pre-quantization bits: {value} (expected 4 or 8)",
            unit="bits",
        ),
    ] = None
    num_experts: Annotated[
        int | None, FieldSpec("Experts", "MoE", positive=True, maximum=INT_LIMITS["num_experts"])
    ] = None
    num_experts_per_tok: Annotated[
        int | None,
        FieldSpec(
            "Experts per token", "MoE", positive=True, maximum=INT_LIMITS["num_experts_per_tok"]
        ),
    ] = None


def _kind(annotation: object, spec: FieldSpec) -> Kind:
    if spec.choices:
        return "choice"
    text = str(annotation)
    if "bool" in text:
        return "bool"
    return "int" if "int" in text else "text"


METADATA_FIELDS: tuple[MetadataField, ...] = tuple(
    MetadataField(name, spec, _kind(info.annotation, spec))
    for name, info in ModelMetadata.model_fields.items()
    for spec in info.metadata
    if isinstance(spec, FieldSpec)
)
"""Every PATCH field, in form order (general, architecture, quantization, MoE)."""
assert len(METADATA_FIELDS) == len(ModelMetadata.model_fields)
