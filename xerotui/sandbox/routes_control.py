"""Control routes under `/_sandbox/`: no auth, never faulted. For tests and demos."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse

from xerotui.sandbox.deps import StateDep, json_body
from xerotui.sandbox.errors import ApiError
from xerotui.sandbox.faults import FaultError

router = APIRouter(prefix="/_sandbox", tags=["sandbox control"])


@router.get("/health", summary="Liveness")
async def health(state: StateDep) -> dict[str, Any]:
    return {"status": "ok", "pending_jobs": state.worker.pending()}


@router.get("/info", summary="What the ready line announced")
async def info(request: Request, state: StateDep) -> dict[str, Any]:
    root = f"{request.url.scheme}://{request.url.netloc}"
    return state.announce(root)


@router.post("/reset", summary="Reseed demo data, clear completions/jobs, restore timings")
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


@router.post("/settings", summary="Change timings (validation_seconds, tokens_per_second, ...)")
async def set_settings(request: Request, state: StateDep) -> JSONResponse:
    problem = state.timings.merge(await json_body(request))
    if problem is not None:
        raise ApiError.invalid_value(*problem)
    return JSONResponse(state.timings.as_dict())
