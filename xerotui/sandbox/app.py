"""create_app: the sandbox's ASGI app (FastAPI): routes, error envelopes, middleware."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from xerotui import __version__
from xerotui.sandbox import (
    routes_catalog,
    routes_chat,
    routes_completions,
    routes_control,
    routes_models,
    routes_versions,
)
from xerotui.sandbox.errors import ApiError
from xerotui.sandbox.middleware import SandboxMiddleware
from xerotui.sandbox.state import SandboxState

log = logging.getLogger("xerotui.sandbox")

DESCRIPTION = """A local emulator of the Xerotier Model Management and chat API.

Authenticate with `Authorization: Bearer xero_<project>_<secret>`; the keys are printed at
start-up. Every error is `{"error": {"message", "type", "code", "param"}}`.
`/_sandbox/...` routes control the emulator (reset, faults, timings) and need no key."""

HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


async def api_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return exc.response()


async def validation_handler(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's own parameter errors, as the envelope (`invalid_value` / `invalid_body`)."""
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    first = errors[0] if errors else {"loc": ("body",), "msg": "invalid request"}
    loc = [str(part) for part in first.get("loc", ())]
    param = loc[-1] if loc else None
    if loc and loc[0] == "body":
        if first.get("type") == "json_invalid":
            return ApiError.json_parse_error(str(first.get("msg"))).response()
        error = ApiError.invalid_body(f"Invalid request body: {first.get('msg')}", param)
    else:
        error = ApiError.invalid_value(
            param or "query", f"Invalid value for {param}: {first.get('msg')}"
        )
    return error.response()


async def http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "http_error")
    message = str(exc.detail)
    if exc.status_code == 404:
        message = f"No route for {request.method} {request.url.path}"
    return ApiError(exc.status_code, code, message, headers=dict(exc.headers or {})).response()


async def crash_handler(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return ApiError(500, "internal_error", "Internal server error").response()


def create_app(state: SandboxState) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.worker.start()
        try:
            yield
        finally:
            await state.worker.stop()

    app = FastAPI(
        title="Xerotier sandbox",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # Swagger/ReDoc pages load scripts from a CDN; nothing here may reach beyond
        # 127.0.0.1, so only the machine-readable /openapi.json is served.
        docs_url=None,
        redoc_url=None,
    )
    app.state.sandbox = state
    for module in (
        routes_control,
        routes_models,
        routes_catalog,
        routes_versions,
        routes_chat,
        routes_completions,
    ):
        app.include_router(module.router)
    app.add_exception_handler(ApiError, api_error_handler)
    app.add_exception_handler(RequestValidationError, validation_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(Exception, crash_handler)
    app.add_middleware(SandboxMiddleware, state=state)
    return app
