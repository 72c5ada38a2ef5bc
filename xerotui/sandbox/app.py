"""create_app: the sandbox's ASGI app (FastAPI): routes, error envelopes, middleware.

Every error is the envelope, with ``param`` where a field is at fault. Two HTTP details a
client depends on: a 405 (and an ``OPTIONS`` request, answered 204) carries ``Allow`` with
every method of the path, not only those of the first route that matched; and a 500 from
an unhandled exception says ``Connection: close``, since the server drops the connection
after it (a client that reused it would see its next request fail).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

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
from xerotui.sandbox.openapi import OpenApiFixer
from xerotui.sandbox.responses import JSONResponse
from xerotui.sandbox.state import SandboxState

log = logging.getLogger("xerotui.sandbox")

DESCRIPTION = """A local emulator of the Xerotier Model Management and chat API.

Authenticate with `Authorization: Bearer xero_<project>_<secret>`; the keys are printed at
start-up. Every error is `{"error": {"message", "type", "code", "param"}}`.
`/_sandbox/...` routes control the emulator (reset, faults, timings, the request journal,
raw model fields, revalidation outcomes) and need no key.

Limits: request bodies at most 1 MiB (413 `request_too_large`; 64 MiB on `/_sandbox/`),
JSON nested at most 32 levels, no `NaN`/`Infinity`, no lone surrogates in any string;
text lengths, integer ranges and enums are declared on each body below (400
`invalid_value` with `param` otherwise)."""

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


ROUTERS = (
    routes_control,
    routes_models,
    routes_catalog,
    routes_versions,
    routes_chat,
    routes_completions,
)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (FastAPI's own 405 names only the first
    route's), plus OPTIONS."""
    methods = {"OPTIONS"}
    for module in ROUTERS:
        for route in module.router.routes:
            if isinstance(route, APIRoute) and route.path_regex.match(request.scope["path"]):
                methods |= route.methods or set()
    return sorted(methods)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request))
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=headers)
    code = HTTP_CODES.get(exc.status_code, "http_error")
    message = str(exc.detail)
    if exc.status_code == 404:
        message = f"No route for {request.method} {request.url.path}"
    return ApiError(exc.status_code, code, message, headers=headers).response()


async def crash_handler(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    headers = {"Connection": "close"}
    request_id = request.scope.get("state", {}).get("request_id")
    if request_id:
        headers["X-Request-ID"] = request_id
    return ApiError(500, "internal_error", "Internal server error", headers=headers).response()


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
        default_response_class=JSONResponse,
    )
    app.state.sandbox = state
    for module in ROUTERS:
        app.include_router(module.router)
    app.add_exception_handler(ApiError, api_error_handler)
    app.add_exception_handler(RequestValidationError, validation_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(Exception, crash_handler)
    app.add_middleware(SandboxMiddleware, state=state)
    app.openapi = OpenApiFixer(app)  # type: ignore[method-assign]
    return app
