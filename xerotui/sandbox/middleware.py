"""SandboxMiddleware (pure ASGI): request ids, body limits, the request journal,
rate-limit headers and fault injection.

Runs before routing so faults hit every API route alike. Control routes (`/_sandbox/...`)
and the OpenAPI pages only get an `X-Request-ID` and a body limit: they are never faulted,
counted or journaled. Every body is read here, up to its limit (1 MiB on API routes, 413
`request_too_large` beyond it, before any route parses it), and handed on to the app.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xerotui.sandbox.errors import ApiError
from xerotui.sandbox.faults import Faults
from xerotui.sandbox.journal import JournalEntry
from xerotui.sandbox.limits import MAX_BODY_BYTES, MAX_CONTROL_BODY_BYTES
from xerotui.sandbox.ratelimit import RateDecision
from xerotui.sandbox.state import SandboxState

UNCONTROLLED = ("/_sandbox", "/openapi.json", "/docs", "/redoc")
DROP_NOTICE = "ASGI callable returned without completing response."

INJECTED = {
    500: ("internal_error", "Internal server error (injected fault)"),
    502: ("bad_gateway", "The inference worker returned an invalid response (injected fault)"),
    503: ("endpoint_inactive", "The endpoint is temporarily unavailable (injected fault)"),
    504: ("gateway_timeout", "The inference worker did not answer in time (injected fault)"),
}

Headers = list[tuple[bytes, bytes]]
DRAIN_LIMIT = 2 * MAX_CONTROL_BODY_BYTES  # read and discard an oversized body up to this


class InjectedCrash(RuntimeError):
    """The `crash_next` fault: an unhandled exception, as a bug in a route would raise."""


class QuietDropFilter(logging.Filter):
    """Hide uvicorn's complaint about the responses we cut on purpose (the drop fault)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != DROP_NOTICE


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def injected_error(status: int, faults: Faults) -> ApiError:
    code, message = INJECTED.get(status, ("injected_error", "Injected fault"))
    config = faults.config
    return ApiError(
        status,
        config.error_code or code,
        config.error_message or message,
        param=config.error_param or None,
    )


class BodyTooLarge(Exception):
    pass


class ClientGone(Exception):
    pass


async def read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    """The whole request body; BodyTooLarge past ``limit``, ClientGone on a disconnect.

    A body over the limit is still read (and thrown away) up to ``DRAIN_LIMIT``: closing a
    connection with unread data makes the kernel reset it, and the client may then lose
    the 413 that explains why.
    """
    declared = header(scope, b"content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > DRAIN_LIMIT:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        elif size > DRAIN_LIMIT:
            raise BodyTooLarge
        if not message.get("more_body", False):
            if size > limit:
                raise BodyTooLarge
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the body read already, then the real events (disconnect)."""
    given = False

    async def receive_again() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return receive_again


def observed(send: Send, entry: JournalEntry) -> Send:
    """A ``send`` that writes the response status into the journal entry."""

    async def send_observed(message: Message) -> None:
        if message["type"] == "http.response.start":
            entry.status = int(message["status"])
        await send(message)

    return send_observed


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
        api = not path.startswith(UNCONTROLLED)
        entry: JournalEntry | None = None
        if api:
            query = bytes(scope.get("query_string", b"")).decode("latin-1")
            entry = self.state.journal.open(scope["method"], path, query, request_id)
            send = observed(send, entry)
        limit = MAX_BODY_BYTES if api else MAX_CONTROL_BODY_BYTES
        try:
            body = await read_body(scope, receive, limit)
        except BodyTooLarge:
            await self._send_error(send, ApiError.too_large(limit), extra)
            return
        except ClientGone:
            if entry is not None:
                entry.status = "disconnected"
            return
        receive = replay(body, receive)
        try:
            if api and await self._fault(scope, send, extra, entry):
                return
            await self.app(scope, receive, self._with_headers(send, extra))
        except BaseException:
            if entry is not None and entry.status is None:
                entry.status = 500  # ServerErrorMiddleware answers outside this middleware
            raise

    async def _fault(
        self, scope: Scope, send: Send, extra: Headers, entry: JournalEntry | None
    ) -> bool:
        """Apply the matching faults; True when one of them answered (or cut) the request."""
        faults = self.state.faults
        path: str = scope["path"]
        matching = faults.matches(scope["method"], path)
        key = header(scope, b"authorization") or "anonymous"
        decision = self.state.rate.hit(key, faults.config.rate_limit if matching else 0)
        extra.append((b"x-ratelimit-limit", str(decision.limit).encode()))
        extra.append((b"x-ratelimit-remaining", str(decision.remaining).encode()))
        if not matching:
            return False
        if faults.config.latency_ms:
            await asyncio.sleep(faults.config.latency_ms / 1000)
        if faults.take_drop():
            await self._drop(send)
            if entry is not None:
                entry.status = "dropped"  # after the (cut) response start set 200
            return True
        if faults.take_crash():
            raise InjectedCrash("injected crash (sandbox fault crash_next)")
        error = self._error_for(faults, decision)
        if error is None:
            return False
        await self._send_error(send, error, extra)
        return True

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
        return None if status is None else injected_error(status, faults)

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
