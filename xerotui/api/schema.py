"""Pydantic v2 models of every wire object of the Xerotier Model Management and chat APIs.

One definition per object, shared by the client (`api/client.py`) and the sandbox
(`sandbox/`). Unknown fields are kept (servers add fields); optional fields that are
unset are omitted on the wire, never sent as ``null`` (use :meth:`Wire.wire`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from xerotui.api.metadata import METADATA_FIELDS, ModelMetadata
from xerotui.api.wire_base import Wire

__all__ = ["METADATA_FIELDS", "ModelMetadata", "Wire"]  # defined there, used from here too

# Status vocabulary (design.md section 3).
SUCCESS_STATUSES = frozenset({"active", "ready", "validated"})
FAILURE_STATUSES = frozenset({"error", "failed", "invalid"})
TERMINAL_STATUSES = SUCCESS_STATUSES | FAILURE_STATUSES


def is_terminal(status: str | None) -> bool:
    """Whether a model status ends a revalidation wait."""
    return status in TERMINAL_STATUSES


# --------------------------------------------------------------------------- models


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
