"""Inference routes of an endpoint: chat completions (plain and SSE) and the model list."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import pydantic
from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from xerotui.api.schema import (
    SUCCESS_STATUSES,
    ChatCompletion,
    ChatRequest,
    EndpointModel,
    EndpointModelList,
)
from xerotui.sandbox.auth import CallerDep
from xerotui.sandbox.deps import StateDep, doc, json_body, json_body_doc
from xerotui.sandbox.errors import ApiError
from xerotui.sandbox.limits import (
    CHAT_CONSTRAINTS,
    IGNORE_EOS_TOKENS,
    MAX_METADATA_KEY_LENGTH,
    MAX_METADATA_KEYS,
    MAX_METADATA_VALUE_LENGTH,
    MAX_MIN_TOKENS,
    MAX_STOP,
)
from xerotui.sandbox.responses import JSONResponse
from xerotui.sandbox.state import SandboxState

router = APIRouter(tags=["chat"])


def endpoint_or_404(state: SandboxState, project: str, slug: str) -> sqlite3.Row:
    endpoint = state.models.endpoint(project, slug)
    if endpoint is None:
        raise ApiError.endpoint_not_found(slug)
    return endpoint


def invalid_request(param: str, message: str) -> ApiError:
    return ApiError(400, "invalid_request", message, param=param)


def parse_chat_request(body: dict[str, Any]) -> ChatRequest:
    try:
        request = ChatRequest.model_validate(body)
    except pydantic.ValidationError as exc:
        error = exc.errors()[0]
        param = ".".join(str(part) for part in error["loc"]) or "body"
        raise invalid_request(param, f"Invalid value for {param}: {error['msg']}") from None
    if not request.messages:
        raise invalid_request("messages", "messages must contain at least one message")
    if isinstance(request.stop, list) and len(request.stop) > MAX_STOP:
        raise invalid_request("stop", f"stop accepts at most {MAX_STOP} sequences")
    for name in ("max_tokens", "max_completion_tokens"):
        value = getattr(request, name)
        if value is not None and value < 1:
            raise invalid_request(name, f"{name} must be at least 1")
    return request


def min_tokens_of(body: dict[str, Any], request: ChatRequest) -> int:
    """vLLM's `min_tokens` and `ignore_eos`: how long the answer must at least be."""
    minimum = body.get("min_tokens")
    if minimum is None:
        minimum = 0
    elif isinstance(minimum, bool) or not isinstance(minimum, int):
        raise invalid_request("min_tokens", "min_tokens must be an integer")
    elif not 0 <= minimum <= MAX_MIN_TOKENS:
        raise invalid_request("min_tokens", f"min_tokens must be between 0 and {MAX_MIN_TOKENS}")
    ignore_eos = body.get("ignore_eos")
    if ignore_eos is not None and not isinstance(ignore_eos, bool):
        raise invalid_request("ignore_eos", "ignore_eos must be a boolean")
    if ignore_eos:
        limit = request.max_completion_tokens or request.max_tokens
        minimum = max(minimum, min(limit or IGNORE_EOS_TOKENS, MAX_MIN_TOKENS))
    return minimum


def metadata_of(body: dict[str, Any]) -> dict[str, str]:
    metadata = body.get("metadata")
    if metadata is None:
        return {}
    if (
        not isinstance(metadata, dict)
        or len(metadata) > MAX_METADATA_KEYS
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())
        or any(len(k) > MAX_METADATA_KEY_LENGTH for k in metadata)
        or any(len(v) > MAX_METADATA_VALUE_LENGTH for v in metadata.values())
    ):
        raise invalid_request(
            "metadata",
            f"metadata must map at most {MAX_METADATA_KEYS} keys of at most "
            f"{MAX_METADATA_KEY_LENGTH} characters to strings of at most "
            f"{MAX_METADATA_VALUE_LENGTH}",
        )
    return dict(metadata)


@router.post(
    "/{project}/{slug}/v1/chat/completions",
    summary="Create a chat completion (OpenAI compatible; SSE with stream: true)",
    responses=doc(ChatCompletion, 400, 404, 503),
    openapi_extra=json_body_doc(ChatRequest, CHAT_CONSTRAINTS),
    response_class=JSONResponse,
)
async def create_chat_completion(
    slug: str, request: Request, state: StateDep, caller: CallerDep
) -> Response:
    endpoint = endpoint_or_404(state, caller.project, slug)
    model = state.models.model_by_id(endpoint["model_id"])
    body = await json_body(request)
    chat_request = parse_chat_request(body)
    min_tokens = min_tokens_of(body, chat_request)
    metadata = metadata_of(body)
    if model is None or model["status"] not in SUCCESS_STATUSES:
        status = model["status"] if model is not None else "missing"
        raise ApiError(
            503, "endpoint_inactive", f"Endpoint is not serving (model status: {status})"
        )
    plan = state.chat.plan(
        chat_request,
        model=model["name"],
        reasoning=model["workload_type"] == "reasoning",
        scope=f"{caller.project}/{slug}",
        min_tokens=min_tokens,
    )
    headers = {"X-Request-ID": plan.id, "X-Xerotier-Worker-ID": endpoint["worker_id"]}

    def save() -> None:
        state.completions.add(
            caller.project, slug, plan.completion().wire(), plan.messages, metadata
        )

    on_complete = save if chat_request.store else None
    if chat_request.stream:
        options = chat_request.stream_options
        events = state.chat.stream(
            plan,
            state.timings.copy(),
            include_usage=bool(options and options.include_usage),
            cut_after=state.faults.stream_cut(request.method, request.url.path),
            on_complete=on_complete,
        )
        headers |= {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(events, media_type="text/event-stream", headers=headers)
    await asyncio.sleep(state.chat.duration(plan, state.timings))
    if on_complete is not None:
        on_complete()
    return JSONResponse(plan.completion().wire(), headers=headers)


@router.get(
    "/{project}/{slug}/v1/models",
    summary="Models this endpoint serves",
    responses=doc(EndpointModelList, 404),
    response_class=JSONResponse,
)
async def endpoint_models(slug: str, state: StateDep, caller: CallerDep) -> JSONResponse:
    endpoint = endpoint_or_404(state, caller.project, slug)
    model = state.models.model_by_id(endpoint["model_id"])
    data = []
    if model is not None:
        data.append(
            EndpointModel(id=model["name"], created=model["created"], owned_by=caller.project)
        )
    return JSONResponse(EndpointModelList(data=data).wire())
