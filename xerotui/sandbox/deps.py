"""Shared route helpers: the state dependency, model lookup, JSON bodies, OpenAPI docs."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import BaseModel

from xerotui.api.schema import ErrorEnvelope
from xerotui.sandbox.auth import Caller
from xerotui.sandbox.bodies import parse_json_object
from xerotui.sandbox.errors import ApiError
from xerotui.sandbox.limits import constrain
from xerotui.sandbox.state import SandboxState

ERROR_TEXT = {
    400: "Invalid request (see `error.code` and `error.param`)",
    401: "missing_authorization / invalid_api_key",
    403: "project_mismatch (or admin_required)",
    404: "Not found (see `error.code`)",
    409: "Conflict (see `error.code`)",
    413: "request_too_large (bodies are at most 1 MiB)",
    429: "rate_limited (with Retry-After)",
    501: "not_implemented",
    503: "endpoint_inactive",
}


def get_state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


StateDep = Annotated[SandboxState, Depends(get_state)]


def load_model(state: SandboxState, caller: Caller, model_id: str) -> sqlite3.Row:
    """The caller's model or 404 `model_not_found` (another project's model is not found)."""
    row = state.models.get(caller.project, model_id)
    if row is None:
        raise ApiError.model_not_found()
    return row


async def json_body(
    request: Request, *, required: bool = True, any_text: bool = False
) -> dict[str, Any]:
    return parse_json_object(await request.body(), required=required, any_text=any_text)


def doc(
    model: type[BaseModel] | None, *statuses: int, success: int = 200, description: str = ""
) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: the success model and the error envelope per status."""
    responses: dict[int | str, dict[str, Any]] = {}
    if model is not None:
        responses[success] = {"model": model, "description": description or "Success"}
    for status in sorted({400, 401, 403, 413, 429, *statuses}):
        responses[status] = {"model": ErrorEnvelope, "description": ERROR_TEXT.get(status, "")}
    return responses


def json_body_doc(
    model: type[BaseModel], constraints: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """`openapi_extra` for a route that reads `model` as its JSON body (bodies are parsed by
    hand so that errors use the Xerotier envelope; this keeps them in /openapi.json).

    ``constraints`` adds the limits the route enforces (limits.py); unknown keys are
    ignored by every route, so the document allows them. Nested models are referenced
    under ``components/schemas`` (openapi.py moves their definitions there).
    """
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    if constraints:
        schema = constrain(schema, constraints)
    schema["additionalProperties"] = True
    content = {"application/json": {"schema": schema}}
    return {"requestBody": {"required": True, "content": content}}
