"""SandboxMiddleware (pure ASGI): request ids, rate-limit headers and fault injection.

Runs before routing so faults hit every API route alike. Control routes (`/_sandbox/...`)
and the OpenAPI pages only get an `X-Request-ID`: they are never faulted or counted.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xerotui.sandbox.errors import ApiError
from xerotui.sandbox.faults import Faults
from xerotui.sandbox.ratelimit import RateDecision
from xerotui.sandbox.state import SandboxState

UNCONTROLLED = ("/_sandbox", "/openapi.json", "/docs", "/redoc")
DROP_NOTICE = "ASGI callable returned without completing response."

INJECTED = {
    500: ("internal_error", "Internal server error (injected fault)"),
    502: ("bad_gateway", "The inference worker returned an invalid response (injected fault)"),
    503: ("endpoint_inactive", "The endpoint is temporarily unavailable (injected fault)"),
}

Headers = list[tuple[bytes, bytes]]


class QuietDropFilter(logging.Filter):
    """Hide uvicorn's complaint about the responses we cut on purpose (the drop fault)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != DROP_NOTICE


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def injected_error(status: int) -> ApiError:
    code, message = INJECTED.get(status, ("injected_error", "Injected fault"))
    return ApiError(status, code, message)


class SandboxMiddleware:
    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = f"req_{secrets.token_hex(12)}"
        scope.setdefault("state", {})["request_id"] = request_id
        extra: Headers = [(b"x-request-id", request_id.encode())]
        path: str = scope["path"]
        if not path.startswith(UNCONTROLLED):
            faults = self.state.faults
            matching = faults.matches(scope["method"], path)
            key = header(scope, b"authorization") or "anonymous"
            decision = self.state.rate.hit(key, faults.config.rate_limit if matching else 0)
            extra.append((b"x-ratelimit-limit", str(decision.limit).encode()))
            extra.append((b"x-ratelimit-remaining", str(decision.remaining).encode()))
            if matching:
                if faults.config.latency_ms:
                    await asyncio.sleep(faults.config.latency_ms / 1000)
                if faults.take_drop():
                    await self._drop(send)
                    return
                error = self._error_for(faults, decision)
                if error is not None:
                    await self._send_error(send, error, extra)
                    return
        await self.app(scope, receive, self._with_headers(send, extra))

    @staticmethod
    def _error_for(faults: Faults, decision: RateDecision) -> ApiError | None:
        retry_after = decision.retry_after
        if retry_after is None and faults.take_rate_limit():
            retry_after = faults.config.retry_after
        if retry_after is not None:
            return ApiError(
                429,
                "rate_limited",
                f"Rate limit exceeded; retry after {retry_after} seconds",
                retry_after=retry_after,
            )
        status = faults.take_failure()
        return None if status is None else injected_error(status)

    @staticmethod
    def _with_headers(send: Send, extra: Headers) -> Send:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {bytes(name).lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        return send_with_headers

    @staticmethod
    async def _send_error(send: Send, error: ApiError, extra: Headers) -> None:
        body = error.body_bytes()
        headers: list[Any] = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *extra,
            *((k.lower().encode(), v.encode()) for k, v in error.headers.items()),
        ]
        await send({"type": "http.response.start", "status": error.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    async def _drop(send: Send) -> None:
        """Promise a body, send part of it, and return: the server closes the connection."""
        headers = [(b"content-type", b"application/json"), (b"content-length", b"4096")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b'{"object":"list","data":[', "more_body": True}
        )
