"""Control routes under `/_sandbox/`: no auth, never faulted. For tests and demos.

Besides reset, faults and timings: the request journal (what reached the server), the
raw-field knob (store hostile values in a model, bypassing validation) and the
revalidation knob (how and when a model's revalidation ends).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from xerotui.api.schema import TERMINAL_STATUSES, Model
from xerotui.sandbox.deps import StateDep, json_body, json_body_doc
from xerotui.sandbox.errors import ApiError
from xerotui.sandbox.faults import FaultError
from xerotui.sandbox.rawfields import RawFields, RawFieldsDoc
from xerotui.sandbox.responses import JSONResponse
from xerotui.sandbox.timings import RANGES
from xerotui.sandbox.wire import detail_model
from xerotui.sandbox.worker import RevalidationPlan

router = APIRouter(prefix="/_sandbox", tags=["sandbox control"])
raw_fields = RawFields()
PLAN_SECONDS = RANGES["validation_seconds"]


class SettingsDoc(BaseModel):
    """Any subset of the timings, each within its range."""

    validation_seconds: float | None = Field(None, ge=RANGES["validation_seconds"][0],
                                             le=RANGES["validation_seconds"][1])  # fmt: skip
    tokens_per_second: float | None = Field(None, ge=RANGES["tokens_per_second"][0],
                                            le=RANGES["tokens_per_second"][1])  # fmt: skip
    first_token_ms: float | None = Field(None, ge=RANGES["first_token_ms"][0],
                                         le=RANGES["first_token_ms"][1])  # fmt: skip


class RevalidationPlanDoc(BaseModel):
    """How a model's revalidation ends: the one pending now, or else its next one."""

    outcome: str | None = Field(None, description=f"one of {sorted(TERMINAL_STATUSES)}")
    seconds: float | None = Field(None, ge=PLAN_SECONDS[0], le=PLAN_SECONDS[1])


@router.get("/health", summary="Liveness")
async def health(state: StateDep) -> dict[str, Any]:
    return {"status": "ok", "pending_jobs": state.worker.pending()}


@router.get("/info", summary="What the ready line announced")
async def info(request: Request, state: StateDep) -> dict[str, Any]:
    root = f"{request.url.scheme}://{request.url.netloc}"
    return state.announce(root)


@router.post(
    "/reset",
    summary="Reseed demo data; clear completions, jobs, plans and the journal; restore timings",
)
async def reset(state: StateDep) -> dict[str, Any]:
    return state.reset()


@router.get("/faults", summary="Current fault settings")
async def get_faults(state: StateDep) -> dict[str, Any]:
    return state.faults.snapshot()


@router.post("/faults", summary="Merge fault settings")
async def set_faults(request: Request, state: StateDep) -> dict[str, Any]:
    body = await json_body(request)
    try:
        state.faults.merge(body)
    except FaultError as exc:
        raise ApiError.invalid_value(exc.param, str(exc)) from None
    return state.faults.snapshot()


@router.delete("/faults", summary="Clear every fault")
async def clear_faults(state: StateDep) -> dict[str, Any]:
    state.faults.clear()
    return state.faults.snapshot()


@router.get("/settings", summary="Current timings")
async def get_settings(state: StateDep) -> dict[str, Any]:
    return state.timings.as_dict()


@router.post(
    "/settings",
    summary="Change timings (validation_seconds, tokens_per_second, first_token_ms)",
    openapi_extra=json_body_doc(SettingsDoc),
)
async def set_settings(request: Request, state: StateDep) -> JSONResponse:
    problem = state.timings.merge(await json_body(request))
    if problem is not None:
        raise ApiError.invalid_value(*problem)
    return JSONResponse(state.timings.as_dict())


@router.get("/requests", summary="Every API request received: method, path, status or 'dropped'")
async def requests(
    state: StateDep,
    method: Annotated[str | None, Query(max_length=16)] = None,
    path_contains: Annotated[str | None, Query(max_length=1000)] = None,
) -> dict[str, Any]:
    return {"object": "list", "data": state.journal.entries(method, path_contains)}


@router.post(
    "/models/{model_id}/raw",
    summary="Store raw field values in a model, bypassing validation (hostile-data tests)",
    openapi_extra=json_body_doc(RawFieldsDoc),
    responses={200: {"model": Model, "description": "The extended model as served"}},
)
async def set_raw_fields(model_id: str, request: Request, state: StateDep) -> JSONResponse:
    if state.models.model_by_id(model_id) is None:
        raise ApiError.model_not_found()
    body = await json_body(request, any_text=True)
    state.models.set_raw(model_id, raw_fields.check(body))
    row = state.models.model_by_id(model_id)
    assert row is not None
    return JSONResponse(detail_model(row))


@router.post(
    "/models/{model_id}/revalidation",
    summary="Make the pending (else the next) revalidation of a model end so, after so long",
    openapi_extra=json_body_doc(RevalidationPlanDoc),
)
async def plan_revalidation(model_id: str, request: Request, state: StateDep) -> dict[str, Any]:
    if state.models.model_by_id(model_id) is None:
        raise ApiError.model_not_found()
    body = await json_body(request)
    outcome, seconds = body.get("outcome"), body.get("seconds")
    if outcome is not None and outcome not in TERMINAL_STATUSES:
        raise ApiError.invalid_value(
            "outcome", f"outcome must be one of {', '.join(sorted(TERMINAL_STATUSES))}"
        )
    if seconds is not None and (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or not PLAN_SECONDS[0] <= seconds <= PLAN_SECONDS[1]
    ):
        raise ApiError.invalid_value(
            "seconds", f"seconds must be a number between 0 and {PLAN_SECONDS[1]:g}"
        )
    if outcome is None and seconds is None:
        raise ApiError.invalid_body("Give an outcome, seconds or both")
    plan = RevalidationPlan(outcome, None if seconds is None else float(seconds))
    applies_to = state.worker.plan(model_id, plan)
    return {
        "object": "sandbox.revalidation_plan",
        "model_id": model_id,
        "outcome": outcome,
        "seconds": plan.seconds,
        "applies_to": applies_to,
    }
