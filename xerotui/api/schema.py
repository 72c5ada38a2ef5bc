"""Pydantic v2 models of every wire object of the Xerotier Model Management and chat APIs.

One definition per object, shared by the client (`api/client.py`) and the sandbox
(`sandbox/`). Unknown fields are kept (servers add fields); optional fields that are
unset are omitted on the wire, never sent as ``null`` (use :meth:`Wire.wire`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from xerotui.api.model_fields import Field as MetadataField
from xerotui.api.model_fields import FieldSpec, Kind

# Status vocabulary (design.md section 3).
SUCCESS_STATUSES = frozenset({"active", "ready", "validated"})
FAILURE_STATUSES = frozenset({"error", "failed", "invalid"})
TERMINAL_STATUSES = SUCCESS_STATUSES | FAILURE_STATUSES

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


def is_terminal(status: str | None) -> bool:
    """Whether a model status ends a revalidation wait."""
    return status in TERMINAL_STATUSES


class Wire(BaseModel):
    """Base of every wire object: unknown fields are kept, unset optionals omitted."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    def wire(self) -> dict[str, Any]:
        """The JSON body as the server sends it: unset optionals left out."""
        return self.model_dump(mode="json", exclude_none=True)


# --------------------------------------------------------------------------- models


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

IDENTITY = ("id", "object", "created", "owned_by", "name")


class Model(ModelMetadata):
    """A model, standard (first five keys) or extended (all the rest)."""

    id: str
    object: str = "model"
    created: int
    owned_by: str
    name: str | None = None
    # extended
    format: str | None = None
    size_bytes: int | None = None
    size_formatted: str | None = None
    status: str | None = None
    version: str | None = None
    is_latest: bool | None = None
    capabilities: list[str] | None = None
    is_shared: bool | None = None

    def wire(self) -> dict[str, Any]:
        """The JSON body, the identity keys first (as the docs show a model)."""
        body = super().wire()
        head = {key: body.pop(key) for key in IDENTITY if key in body}
        return head | body


class ModelList(Wire):
    """`GET /models` envelope. `has_more` and `total` only come with `extended=true`."""

    object: str = "list"
    data: list[Model] = Field(default_factory=list)
    has_more: bool | None = None
    total: int | None = None


class ModelUpdate(ModelMetadata):
    """PATCH body: only the fields that were set are sent (see :meth:`patch_body`)."""

    model_config = ConfigDict(extra="forbid")

    def patch_body(self) -> dict[str, Any]:
        """Exactly the fields the caller set, nothing else."""
        return self.model_dump(mode="json", exclude_unset=True)


class DeleteResult(Wire):
    id: str
    object: str = "model"
    deleted: bool = True


class RevalidateResult(Wire):
    id: str
    status: str = "validating"
    message: str = "Model validation queued"


class CatalogInfo(Wire):
    id: str
    catalog_role: str = "deployable"
    deployment_count: int = 0
    is_on_shared_agents: bool = False
    is_public: bool = True
    featured: bool = False
    shared_at: str | None = None


class UnshareResult(Wire):
    id: str
    object: str = "model"
    is_shared: bool = False


class ModelVersion(Wire):
    id: str
    object: str = "model.version"
    version: str
    is_latest: bool = False
    created: int
    version_notes: str | None = None
    status: str | None = None


class VersionList(Wire):
    object: str = "list"
    data: list[ModelVersion] = Field(default_factory=list)


class VersionCreate(Wire):
    model_config = ConfigDict(extra="forbid")

    version: str
    version_notes: str | None = None


class ProbeResult(Wire):
    id: str
    object: str = "model.capabilities"
    capabilities: dict[str, Any] = Field(default_factory=dict)


class CapabilitiesUpdate(Wire):
    model_config = ConfigDict(extra="forbid")

    capabilities: list[str]


class Recommendation(Wire):
    model_id: str
    name: str
    score: float
    reason: str


class RecommendationList(Wire):
    object: str = "list"
    workspace_id: str
    data: list[Recommendation] = Field(default_factory=list)


# --------------------------------------------------------------------------- errors


class ErrorBody(Wire):
    message: str
    type: str = "invalid_request_error"
    code: str | None = None
    param: str | None = None
    retry_after: int | None = None


class ErrorEnvelope(Wire):
    error: ErrorBody


# --------------------------------------------------------------------------- chat

ChatRole = Literal["system", "user", "assistant", "tool", "developer"]


class ChatMessage(Wire):
    role: ChatRole
    content: str | None = None


class StreamOptions(Wire):
    include_usage: bool = True


class ChatRequest(Wire):
    """Body of `POST /{P}/{S}/v1/chat/completions` (OpenAI shape)."""

    model: str = "default"
    messages: list[ChatMessage]
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    top_p: float | None = Field(default=None, ge=0.0, le=1.0)
    frequency_penalty: float | None = Field(default=None, ge=-2.0, le=2.0)
    presence_penalty: float | None = Field(default=None, ge=-2.0, le=2.0)
    seed: int | None = None
    stop: str | list[str] | None = None
    stream: bool | None = None
    stream_options: StreamOptions | None = None
    store: bool | None = None


class PromptTokensDetails(Wire):
    cached_tokens: int = 0


class CompletionTokensDetails(Wire):
    reasoning_tokens: int = 0


class Usage(Wire):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    prompt_tokens_details: PromptTokensDetails | None = None
    completion_tokens_details: CompletionTokensDetails | None = None

    @property
    def cached_tokens(self) -> int:
        details = self.prompt_tokens_details
        return details.cached_tokens if details else 0

    @property
    def reasoning_tokens(self) -> int:
        details = self.completion_tokens_details
        return details.reasoning_tokens if details else 0


class ChatChoice(Wire):
    index: int = 0
    message: ChatMessage
    finish_reason: str | None = None


class ChatCompletion(Wire):
    id: str
    object: str = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice] = Field(default_factory=list)
    usage: Usage | None = None
    metadata: dict[str, str] | None = None

    @property
    def text(self) -> str:
        if not self.choices:
            return ""
        return self.choices[0].message.content or ""


class ChunkDelta(Wire):
    role: str | None = None
    content: str | None = None
    tool_calls: list[Any] | None = None
    refusal: str | None = None


class ChunkChoice(Wire):
    index: int = 0
    delta: ChunkDelta = Field(default_factory=ChunkDelta)
    finish_reason: str | None = None


class ChatChunk(Wire):
    """One `chat.completion.chunk` event. `usage` only on the final chunk."""

    id: str
    object: str = "chat.completion.chunk"
    created: int
    model: str
    service_tier: str | None = None
    system_fingerprint: str | None = None
    choices: list[ChunkChoice] = Field(default_factory=list)
    usage: Usage | None = None

    @property
    def text(self) -> str:
        return "".join(c.delta.content or "" for c in self.choices)

    @property
    def finish_reason(self) -> str | None:
        return next((c.finish_reason for c in self.choices if c.finish_reason), None)

    def stream_json(self) -> dict[str, Any]:
        """The chunk as streamed: like every wire object, unset optionals are left out
        (``usage``, ``service_tier``, ``system_fingerprint``, ``finish_reason``), never
        sent as ``null`` (design.md section 5)."""
        return self.model_dump(mode="json", exclude_none=True)


class StoredCompletionList(Wire):
    object: str = "list"
    data: list[ChatCompletion] = Field(default_factory=list)
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool = False


class CompletionDeleted(Wire):
    id: str
    object: str = "chat.completion.deleted"
    deleted: bool = True


class EndpointModel(Wire):
    id: str
    object: str = "model"
    created: int
    owned_by: str


class EndpointModelList(Wire):
    object: str = "list"
    data: list[EndpointModel] = Field(default_factory=list)
