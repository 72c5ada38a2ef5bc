"""Stored completions of an endpoint (OpenAI paths): list, get, update metadata, delete,
messages."""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from xerotui.api.schema import ChatCompletion, CompletionDeleted, StoredCompletionList
from xerotui.sandbox.auth import CallerDep
from xerotui.sandbox.completions import completion_body
from xerotui.sandbox.deps import StateDep, doc, json_body, json_body_doc
from xerotui.sandbox.errors import ApiError
from xerotui.sandbox.limits import CHAT_CONSTRAINTS
from xerotui.sandbox.patch import quote
from xerotui.sandbox.responses import JSONResponse
from xerotui.sandbox.routes_chat import endpoint_or_404, metadata_of
from xerotui.sandbox.state import SandboxState

router = APIRouter(tags=["stored completions"])

BASE = "/{project}/{slug}/v1/chat/completions"
# Refused outside 1-100 (unlike GET /models, which cuts): the OpenAI paths' documented rule.
Limit = Annotated[int, Query(ge=1, le=100)]
Order = Annotated[Literal["asc", "desc"], Query()]


class MetadataUpdate(BaseModel):
    """Body of the metadata update: the new metadata replaces the old (absent: emptied)."""

    metadata: dict[str, str] | None = None


METADATA_DOC = json_body_doc(MetadataUpdate, {"metadata": CHAT_CONSTRAINTS["metadata"]})


def _stored(state: SandboxState, project: str, slug: str, cid: str) -> sqlite3.Row:
    endpoint_or_404(state, project, slug)
    row = state.completions.get(project, slug, cid)
    if row is None:
        raise ApiError.completion_not_found()
    return row


def _envelope(data: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
        "has_more": has_more,
    }


@router.get(
    BASE,
    summary="List stored completions",
    responses=doc(StoredCompletionList, 400, 404),
    response_class=JSONResponse,
)
async def list_completions(
    slug: str,
    request: Request,
    state: StateDep,
    caller: CallerDep,
    after: Annotated[str | None, Query()] = None,
    limit: Limit = 20,
    order: Order = "desc",
    model: Annotated[str | None, Query()] = None,
) -> JSONResponse:
    endpoint_or_404(state, caller.project, slug)
    after_seq = None
    if after:
        row = state.completions.get(caller.project, slug, after)
        if row is None:
            raise ApiError.completion_not_found(param="after")
        after_seq = int(row["seq"])
    metadata = {
        key[len("metadata[") : -1]: value
        for key, value in request.query_params.items()
        if key.startswith("metadata[") and key.endswith("]")
    }
    page = state.completions.page(
        caller.project,
        slug,
        after_seq=after_seq,
        limit=limit,
        descending=order == "desc",
        model=model,
        metadata=metadata,
    )
    data = [completion_body(row) for row in page.rows]
    return JSONResponse(_envelope(data, page.has_more))


@router.get(
    BASE + "/{completion_id}",
    summary="Get a stored completion",
    responses=doc(ChatCompletion, 404),
    response_class=JSONResponse,
)
async def get_completion(
    slug: str, completion_id: str, state: StateDep, caller: CallerDep
) -> JSONResponse:
    return JSONResponse(completion_body(_stored(state, caller.project, slug, completion_id)))


@router.post(
    BASE + "/{completion_id}",
    summary="Update a stored completion's metadata",
    responses=doc(ChatCompletion, 400, 404),
    openapi_extra=METADATA_DOC,
    response_class=JSONResponse,
)
async def update_completion(
    slug: str, completion_id: str, request: Request, state: StateDep, caller: CallerDep
) -> JSONResponse:
    _stored(state, caller.project, slug, completion_id)
    metadata = metadata_of(await json_body(request))
    state.completions.set_metadata(completion_id, metadata)
    return JSONResponse(completion_body(_stored(state, caller.project, slug, completion_id)))


@router.delete(
    BASE + "/{completion_id}",
    summary="Delete a stored completion",
    responses=doc(CompletionDeleted, 404),
    response_class=JSONResponse,
)
async def delete_completion(
    slug: str, completion_id: str, state: StateDep, caller: CallerDep
) -> JSONResponse:
    _stored(state, caller.project, slug, completion_id)
    state.completions.delete(completion_id)
    return JSONResponse(CompletionDeleted(id=completion_id).wire())


@router.get(
    BASE + "/{completion_id}/messages",
    summary="Messages of a stored completion's request",
    responses=doc(None, 400, 404),
    response_class=JSONResponse,
)
async def completion_messages(
    slug: str,
    completion_id: str,
    state: StateDep,
    caller: CallerDep,
    after: Annotated[str | None, Query()] = None,
    limit: Limit = 20,
    order: Order = "asc",
) -> JSONResponse:
    row = _stored(state, caller.project, slug, completion_id)
    messages = [
        {"id": f"{completion_id}-{index}", "object": "chat.completion.message", **message}
        for index, message in enumerate(json.loads(row["messages"]))
    ]
    if order == "desc":
        messages.reverse()
    if after:
        ids = [m["id"] for m in messages]
        if after not in ids:
            raise ApiError.invalid_value("after", f"Unknown message id: {quote(after)}")
        messages = messages[ids.index(after) + 1 :]
    return JSONResponse(_envelope(messages[:limit], len(messages) > limit))
