"""Catalog and capability routes: share, unshare, catalog-info, probe, set capabilities,
workspace recommendations."""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from typing import Any

from fastapi import APIRouter, Request

from xerotui.api.schema import (
    SUCCESS_STATUSES,
    CapabilitiesUpdate,
    CatalogInfo,
    Model,
    ProbeResult,
    Recommendation,
    RecommendationList,
    UnshareResult,
)
from xerotui.sandbox.auth import CallerDep
from xerotui.sandbox.deps import StateDep, doc, json_body, json_body_doc, load_model
from xerotui.sandbox.errors import PROBE_DISABLED, ApiError
from xerotui.sandbox.limits import CAPABILITY_CONSTRAINTS, MAX_CAPABILITIES, MAX_CAPABILITY_LENGTH
from xerotui.sandbox.responses import JSONResponse
from xerotui.sandbox.seed_data import USAGE_SHARE
from xerotui.sandbox.wire import capabilities_of, catalog_info, detail_model

router = APIRouter(tags=["catalog"])

MAX_RECOMMENDATIONS = 8
REASONS = {
    "chat": "General chat is {share}% of this workspace's recent requests; {ctx}K context",
    "code": "Code requests are {share}% of recent usage; good at repair and fill-in-the-middle",
    "reasoning": "Multi-step questions ({share}% of recent usage) benefit from reasoning traces",
    "multilingual": "{share}% of recent requests are not in English",
    "embedding": "Pairs with the workspace's document search ({share}% of requests)",
}


def _require_ready(row: sqlite3.Row) -> None:
    if row["status"] not in SUCCESS_STATUSES:
        raise ApiError(
            409,
            "model_not_ready",
            f"Model is not ready (status: {row['status']}); "
            "only ready, active or validated models can be shared or unshared",
        )


@router.post(
    "/{project}/v1/models/{model_id}/share",
    summary="Share model to the catalog",
    responses=doc(CatalogInfo, 404, 409, description="The catalog entry"),
    response_class=JSONResponse,
)
async def share_model(model_id: str, state: StateDep, caller: CallerDep) -> JSONResponse:
    _require_ready(load_model(state, caller, model_id))
    state.models.share(model_id)
    return JSONResponse(catalog_info(load_model(state, caller, model_id)))


@router.post(
    "/{project}/v1/models/{model_id}/unshare",
    summary="Unshare model",
    responses=doc(UnshareResult, 404, 409),
    response_class=JSONResponse,
)
async def unshare_model(model_id: str, state: StateDep, caller: CallerDep) -> JSONResponse:
    _require_ready(load_model(state, caller, model_id))
    state.models.unshare(model_id)
    return JSONResponse(UnshareResult(id=model_id).wire())


@router.get(
    "/{project}/v1/models/{model_id}/catalog-info",
    summary="Catalog info",
    responses=doc(CatalogInfo, 404),
    response_class=JSONResponse,
)
async def get_catalog_info(model_id: str, state: StateDep, caller: CallerDep) -> JSONResponse:
    row = load_model(state, caller, model_id)
    if not row["is_shared"]:
        raise ApiError.model_not_found()
    return JSONResponse(catalog_info(row))


@router.get(
    "/{project}/v1/models/{model_id}/probe",
    summary="Probe a deployed model's capabilities",
    responses=doc(ProbeResult, 404, 409, 501),
    response_class=JSONResponse,
)
async def probe_model(model_id: str, state: StateDep, caller: CallerDep) -> JSONResponse:
    if state.faults.config.probe_disabled:
        raise ApiError(501, "not_implemented", PROBE_DISABLED)
    row = load_model(state, caller, model_id)
    endpoint = state.models.endpoint_of_model(model_id)
    if endpoint is None:
        raise ApiError(409, "model_not_deployed", "Model is not deployed on any endpoint")
    return JSONResponse(ProbeResult(id=model_id, capabilities=probe_map(row, endpoint)).wire())


def probe_map(row: sqlite3.Row, endpoint: sqlite3.Row) -> dict[str, Any]:
    caps = set(capabilities_of(row))
    context = row["context_length"] or 4096
    return {
        "chat": "chat" in caps,
        "tool-use": "tool-use" in caps,
        "streaming": "streaming" in caps,
        "json-mode": "json-mode" in caps,
        "reasoning": "reasoning" in caps,
        "vision": "vision" in caps,
        "embeddings": "embedding" in caps,
        "max_context": context,
        "max_output_tokens": min(context, 8192),
        "modalities": ["text", "image"] if "vision" in caps else ["text"],
        "quantization": row["quantization"] or "native",
        "endpoint": endpoint["slug"],
        "worker_id": endpoint["worker_id"],
    }


@router.patch(
    "/{project}/v1/models/{model_id}/capabilities",
    summary="Set capabilities (admin only)",
    responses=doc(Model, 400, 404, description="The extended model"),
    openapi_extra=json_body_doc(CapabilitiesUpdate, CAPABILITY_CONSTRAINTS),
    response_class=JSONResponse,
)
async def set_capabilities(
    model_id: str, request: Request, state: StateDep, caller: CallerDep
) -> JSONResponse:
    if not caller.admin:
        raise ApiError(
            403, "admin_required", "Setting capabilities requires a workspace administrator key"
        )
    load_model(state, caller, model_id)
    caps = capabilities_of_body(await json_body(request))
    state.models.update(model_id, {"capabilities": caps})
    return JSONResponse(detail_model(load_model(state, caller, model_id)))


def invalid_capabilities(message: str) -> ApiError:
    return ApiError(400, "invalid_capabilities", message, param="capabilities")


def capabilities_of_body(body: dict[str, Any]) -> list[str]:
    """The checked, stripped, de-duplicated list of a set-capabilities body."""
    caps = body.get("capabilities")
    if not isinstance(caps, list) or not all(isinstance(c, str) and c.strip() for c in caps):
        raise invalid_capabilities("capabilities must be a list of non-empty capability names")
    if not caps:
        raise invalid_capabilities("At least one capability is required")
    if len(caps) > MAX_CAPABILITIES:
        raise invalid_capabilities(f"At most {MAX_CAPABILITIES} capabilities are allowed")
    if any(len(c) > MAX_CAPABILITY_LENGTH for c in caps):
        raise invalid_capabilities(
            f"A capability name is at most {MAX_CAPABILITY_LENGTH} characters"
        )
    return list(dict.fromkeys(c.strip() for c in caps))


@router.get(
    "/{project}/v1/workspaces/{workspace_id}/model-recommendations",
    summary="Recommend models for a workspace",
    responses=doc(RecommendationList, 404),
    response_class=JSONResponse,
)
async def recommend(workspace_id: str, state: StateDep, caller: CallerDep) -> JSONResponse:
    workspace = state.models.workspace(caller.project, workspace_id)
    if workspace is None:
        raise ApiError(404, "workspace_not_found", "Workspace not found")
    focus: dict[str, float] = json.loads(workspace["focus"])
    picks = [
        rec
        for row in state.models.success_models(caller.project)
        if (rec := _recommendation(row, focus)) is not None
    ]
    picks.sort(key=lambda r: (-r.score, r.name))
    result = RecommendationList(workspace_id=workspace_id, data=picks[:MAX_RECOMMENDATIONS])
    return JSONResponse(result.wire())


def _recommendation(row: sqlite3.Row, focus: dict[str, float]) -> Recommendation | None:
    workload = row["workload_type"] or "chat"
    weight = focus.get(workload)
    if weight is None:
        return None
    # max(): the raw-field knob may store a negative count (log2 of it would raise)
    billions = max(row["parameter_count"] or 1_000_000_000, 0) / 1e9
    quality = min(1.0, 0.62 + 0.07 * math.log2(billions + 1))
    jitter = int(hashlib.sha256(row["id"].encode()).hexdigest()[:4], 16) % 60 / 1000
    score = round(min(0.99, weight * quality + jitter), 2)
    reason = REASONS.get(workload, REASONS["chat"]).format(
        share=USAGE_SHARE.get(workload, 5), ctx=(row["context_length"] or 4096) // 1024
    )
    return Recommendation(model_id=row["id"], name=row["name"], score=score, reason=reason)
