"""From what went wrong on the wire to a :class:`~xerotui.api.errors.XeroError`.

Used only by :mod:`xerotui.api.client`: error envelopes (and bodies that are not envelopes,
such as a proxy's HTML 502 page), ``Retry-After``, httpx transport failures in plain words,
and pydantic validation errors summarised in one line. Nothing here does IO.
"""

from __future__ import annotations

import re
import socket
import ssl
import time
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx
import pydantic

from xerotui.api.errors import (
    ConnectionFailedError,
    RateLimitedError,
    RequestTimeoutError,
    UnexpectedResponseError,
    XeroError,
    error_class,
)
from xerotui.api.masking import key_secret, mask_key
from xerotui.api.wire_base import Wire

W = TypeVar("W", bound=Wire)
SNIPPET_CHARS = 160
_HIDDEN_HTML = re.compile(r"<(script|style|title|head)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


def scrub(text: str, api_key: str) -> str:
    """The text with the API key, or its secret part alone, replaced by the masked key."""
    if len(api_key) < 8:
        return text
    if api_key in text:
        text = text.replace(api_key, mask_key(api_key))
    secret = key_secret(api_key)
    if len(secret) >= 8 and secret in text:
        text = text.replace(secret, mask_key(secret))
    return text


def scrub_body(body: dict[str, Any] | None, api_key: str) -> dict[str, Any] | None:
    """A copy of an error body with the key scrubbed from every string (keys included)."""
    if body is None or len(api_key) < 8:
        return body
    cleaned: dict[str, Any] = _scrub_value(body, api_key, 0)
    return cleaned


def _scrub_value(value: Any, api_key: str, depth: int) -> Any:
    if depth > 64:  # a body nested deeper than any real one: keep none of it
        return None
    if isinstance(value, str):
        return scrub(value, api_key)
    if isinstance(value, dict):
        return {
            scrub(str(k), api_key): _scrub_value(v, api_key, depth + 1) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrub_value(v, api_key, depth + 1) for v in value]
    return value


def snippet(text: str) -> str:
    """A short readable excerpt of a body: HTML tags dropped, whitespace collapsed."""
    text = _TAG.sub(" ", _HIDDEN_HTML.sub(" ", text))
    text = _SPACES.sub(" ", text).strip()
    if len(text) > SNIPPET_CHARS:
        text = text[: SNIPPET_CHARS - 1].rstrip() + "…"
    return text


def retry_after_seconds(response: httpx.Response, body_value: object) -> float | None:
    """Seconds to wait: the ``Retry-After`` header (seconds or HTTP date), else the body's."""
    header = response.headers.get("retry-after")
    if header:
        header = header.strip()
        try:
            return max(0.0, float(header))
        except ValueError:
            pass
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None and when.tzinfo is not None:
            return max(0.0, when.timestamp() - time.time())
    if isinstance(body_value, int | float) and not isinstance(body_value, bool):
        return max(0.0, float(body_value))
    return None


def error_from_response(
    response: httpx.Response, method: str, path: str, api_key: str
) -> XeroError:
    """The XeroError for a non-2xx response whose body has been read."""
    status = response.status_code
    reason = response.reason_phrase or httpx.codes.get_reason_phrase(status) or "Error"
    headline = f"HTTP {status} {reason}".strip()
    data: Any = None
    try:
        data = response.json()
    except ValueError:
        data = None
    body = data if isinstance(data, dict) else None
    err = body.get("error") if body else None
    code = param = None
    retry_value: object = None
    if isinstance(err, dict):
        message = str(err.get("message") or headline)
        code = err.get("code") if isinstance(err.get("code"), str) else None
        param = err.get("param") if isinstance(err.get("param"), str) else None
        retry_value = err.get("retry_after")
    elif isinstance(err, str) and err:
        message = err
    elif body and isinstance(body.get("detail") or body.get("message"), str):
        message = str(body.get("detail") or body.get("message"))
    else:
        text = snippet(response.text) if body is None else ""
        message = f"{headline}: {text}" if text else headline
    cls = error_class(code, status)
    fields: dict[str, Any] = {
        "code": code,
        "status": status,
        "request_id": response.headers.get("x-request-id"),
        "param": param,
        "body": scrub_body(body, api_key),
        "method": method,
        "path": path,
    }
    message = scrub(message, api_key)
    if issubclass(cls, RateLimitedError):
        return cls(message, retry_after=retry_after_seconds(response, retry_value), **fields)
    return cls(message, **fields)


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what caused it (httpx wraps httpcore wraps the OSError)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 8:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _connect_reason(exc: httpx.HTTPError) -> str:
    chain = _causes(exc)
    text = str(exc).strip()
    lower = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in lower:
        return "nothing is accepting connections there (connection refused)"
    if any(isinstance(e, socket.gaierror) for e in chain) or any(
        s in lower for s in ("name or service", "nodename nor servname", "name resolution")
    ):
        return "the host name could not be resolved"
    if "unreachable" in lower:
        return "the network is unreachable"
    if any(isinstance(e, ssl.SSLError) for e in chain) or "certificate" in lower:
        return f"the secure (TLS) connection could not be set up ({text})"
    return f"the connection could not be opened ({text})" if text else "the connection failed"


_TIMEOUT_REASONS: dict[type[httpx.TimeoutException], str] = {
    httpx.ConnectTimeout: "opening the connection took too long",
    httpx.ReadTimeout: "no answer arrived in time",
    httpx.WriteTimeout: "sending the request took too long",
    httpx.PoolTimeout: "too many requests are already waiting for a connection",
}


def transport_error(
    exc: httpx.HTTPError | httpx.InvalidURL,
    host: str,
    method: str,
    path: str,
    request_id: str | None,
    *,
    maybe_applied: bool = False,
) -> XeroError:
    """A failure without an HTTP answer, in plain words naming the host. ``maybe_applied``:
    the request was written before the connection failed, so a mutation may have been
    applied (it is never resent: the message says to check)."""
    where: dict[str, Any] = {"method": method, "path": path, "request_id": request_id}
    unsure = (
        f" The {method.upper()} request may have reached the server, so it was not sent"
        " again: check whether it took effect before trying again."
        if maybe_applied
        else ""
    )
    if isinstance(exc, httpx.TimeoutException):
        reason = _TIMEOUT_REASONS.get(type(exc), "the request took too long")
        timeout = RequestTimeoutError(f"{host} did not answer in time: {reason}.{unsure}", **where)
        timeout.maybe_applied = maybe_applied
        return timeout
    if isinstance(exc, httpx.ConnectError):
        reason = _connect_reason(exc)
    elif isinstance(exc, httpx.RemoteProtocolError):
        reason = "the server closed the connection without a complete response"
    elif isinstance(exc, httpx.ReadError):
        reason = "the connection was lost while reading the response"
    elif isinstance(exc, httpx.WriteError):
        reason = "the connection was lost while sending the request"
    elif isinstance(exc, httpx.TransportError):
        reason = f"the connection failed ({exc or type(exc).__name__})"
    else:
        detail = str(exc) or type(exc).__name__
        return UnexpectedResponseError(f"The request to {host} failed: {detail}", **where)
    failed = ConnectionFailedError(f"Could not reach {host}: {reason}.{unsure}", **where)
    failed.maybe_applied = maybe_applied
    return failed


def decode_response(response: httpx.Response, model: type[W], method: str, path: str) -> W:
    """The ``model`` a successful response carries; an UnexpectedResponseError (with the
    request id) when it is not JSON or not that shape."""
    request_id = response.headers.get("x-request-id")
    where: dict[str, Any] = {"status": response.status_code, "request_id": request_id}
    where |= {"method": method, "path": path}
    try:
        data = response.json()
    except ValueError:
        snippet = response.text[:120]
        raise UnexpectedResponseError(f"The answer is not JSON: {snippet!r}", **where) from None
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        detail = f"{model.__name__} does not match: {validation_summary(exc)}"
        raise UnexpectedResponseError(detail, **where) from None


def validation_summary(exc: pydantic.ValidationError, limit: int = 3) -> str:
    """``data.0.created: Field required; ...`` — the first few problems on one line."""
    problems = []
    for item in exc.errors()[:limit]:
        location = ".".join(str(part) for part in item["loc"]) or "(body)"
        problems.append(f"{location}: {item['msg']}")
    more = exc.error_count() - limit
    if more > 0:
        problems.append(f"and {more} more")
    return "; ".join(problems)
