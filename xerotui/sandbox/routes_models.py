"""Model routes: list, get, PATCH, DELETE, revalidate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from xerotui.api.schema import DeleteResult, Model, ModelList, ModelUpdate, RevalidateResult
from xerotui.sandbox.auth import CallerDep
from xerotui.sandbox.deps import StateDep, doc, json_body, json_body_doc, load_model
from xerotui.sandbox.errors import ApiError
from xerotui.sandbox.limits import MAX_LIST_LIMIT, MAX_OFFSET, patch_constraints
from xerotui.sandbox.patch import PatchValidator
from xerotui.sandbox.responses import JSONResponse
from xerotui.sandbox.wire import detail_model, list_model, model_object, standard_model

router = APIRouter(tags=["models"])
validator = PatchValidator()


@router.get(
    "/{project}/v1/models",
    summary="List models",
    responses=doc(ModelList, 400),
    response_class=JSONResponse,
)
async def list_models(
    state: StateDep,
    caller: CallerDep,
    limit: Annotated[
        int | None,
        Query(ge=1, description=f"at least 1; values above {MAX_LIST_LIMIT} are cut to it"),
    ] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    extended: Annotated[bool, Query(description="add the Xerotier fields")] = False,
) -> JSONResponse:
    size = MAX_LIST_LIMIT if limit is None else min(limit, MAX_LIST_LIMIT)
    rows = state.models.page(caller.project, size, offset)
    if not extended:
        return JSONResponse({"object": "list", "data": [standard_model(r) for r in rows]})
    total = state.models.count(caller.project)
    body = {
        "object": "list",
        "data": [list_model(r) for r in rows],
        "has_more": offset + len(rows) < total,
        "total": total,
    }
    return JSONResponse(body)


@router.get(
    "/{project}/v1/models/{model_id}",
    summary="Get model details",
    responses=doc(Model, 404),
    response_class=JSONResponse,
)
async def get_model(
    model_id: str,
    state: StateDep,
    caller: CallerDep,
    extended: Annotated[bool, Query()] = False,
) -> JSONResponse:
    row = load_model(state, caller, model_id)
    return JSONResponse(model_object(row, extended=extended))


@router.patch(
    "/{project}/v1/models/{model_id}",
    summary="Update model metadata",
    responses=doc(Model, 400, 404, description="The extended model"),
    openapi_extra=json_body_doc(ModelUpdate, patch_constraints()),
    response_class=JSONResponse,
)
async def update_model(
    model_id: str, request: Request, state: StateDep, caller: CallerDep
) -> JSONResponse:
    load_model(state, caller, model_id)
    updates = validator.validate(await json_body(request))
    state.models.update(model_id, updates)
    return JSONResponse(detail_model(load_model(state, caller, model_id)))


@router.delete(
    "/{project}/v1/models/{model_id}",
    summary="Delete model",
    responses=doc(DeleteResult, 404),
    response_class=JSONResponse,
)
async def delete_model(model_id: str, state: StateDep, caller: CallerDep) -> JSONResponse:
    load_model(state, caller, model_id)
    state.models.delete(model_id)
    return JSONResponse(DeleteResult(id=model_id).wire())


@router.post(
    "/{project}/v1/models/{model_id}/revalidate",
    summary="Revalidate model",
    responses=doc(RevalidateResult, 404),
    response_class=JSONResponse,
)
async def revalidate_model(model_id: str, state: StateDep, caller: CallerDep) -> JSONResponse:
    load_model(state, caller, model_id)
    # Accepted only from a terminal status; every refusal is a 404, as documented.
    if not state.worker.enqueue(model_id, state.timings.validation_seconds):
        raise ApiError.model_not_found()
    return JSONResponse(RevalidateResult(id=model_id).wire())
