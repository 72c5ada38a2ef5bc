"""The XeroError hierarchy: every failure the client can raise, with a human title.

The class is chosen by ``error.code`` first, then by HTTP status (design.md section 3):
clients branch on the code because the ``type`` strings vary between routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class XeroError(Exception):
    """Base of every client error. Carries what a person needs to act on it."""

    title = "Request failed"
    retryable = False
    maybe_applied = False
    """A connection failure after the request was written: a mutation may have been
    applied (the client never resends it; a bulk run counts it as unknown)."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        request_id: str | None = None,
        param: str | None = None,
        body: dict[str, Any] | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.request_id = request_id
        self.param = param
        self.body = body
        self.method = method
        self.path = path

    def __str__(self) -> str:
        parts = [f"{self.title}: {self.message}"]
        if self.code:
            parts.append(f"code {self.code}")
        if self.status:
            parts.append(f"HTTP {self.status}")
        if self.request_id:
            parts.append(f"request {self.request_id}")
        return " · ".join(parts)

    @property
    def detail(self) -> str:
        """One line with code, status and request id, for toasts and logs."""
        bits = [
            f"code {self.code}" if self.code else "",
            f"HTTP {self.status}" if self.status else "",
            f"request {self.request_id}" if self.request_id else "",
        ]
        return " · ".join(b for b in bits if b)


class AuthError(XeroError):
    title = "Authentication failed"


class PermissionDeniedError(XeroError):
    title = "Permission denied"


class ProjectMismatchError(PermissionDeniedError):
    title = "Wrong project for this key"


class NotFoundError(XeroError):
    title = "Not found"


class ValidationError(XeroError):
    title = "Invalid value"


class ConflictError(XeroError):
    title = "Conflict"


class RateLimitedError(XeroError):
    title = "Rate limited"
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class NotImplementedByServerError(XeroError):
    title = "Not available on this server"


class ServerError(XeroError):
    title = "Server error"
    retryable = True


class ConnectionFailedError(XeroError):
    title = "Cannot reach the server"
    retryable = True


class RequestTimeoutError(XeroError):
    title = "The server did not answer in time"
    retryable = True


class StreamInterruptedError(XeroError):
    """A stream ended early. ``partial_text`` holds what had arrived."""

    title = "Stream interrupted"

    def __init__(self, message: str, *, partial_text: str = "", **kw: Any) -> None:
        super().__init__(message, **kw)
        self.partial_text = partial_text


class UnexpectedResponseError(XeroError):
    """A 2xx answer the client cannot read: not JSON, or not the documented shape."""

    title = "Unexpected response"


class InvalidRequestError(XeroError):
    """The client refused to send a request its arguments cannot make (nothing was sent):
    a lone surrogate or a NaN in a body, an empty or ``..`` id, a number too long to write."""

    title = "Cannot send this request"


@dataclass(frozen=True)
class PlannedRequest:
    """A request as it would go out: absolute URL (query included), JSON body, and the
    equivalent curl command with the key masked."""

    method: str
    url: str
    body: dict[str, Any] | None
    curl: str


class HeldRequestError(XeroError):
    """A request the client's mode kept from the server (nothing was sent); ``planned`` is it."""

    kind = "held"  # what the request log's ``held`` says

    def __init__(self, message: str, *, planned: PlannedRequest, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.planned = planned


class DryRun(HeldRequestError):
    """``--dry-run``: the request that would have been sent, instead of sending it.

    Raised by the call that would send it (a stream raises on its first iteration); the
    caller shows ``planned`` (method, URL, body, masked curl). Not a failure of the server."""

    title = "Dry run: not sent"
    kind = "dry-run"


class ReadOnlyError(HeldRequestError):
    """``--read-only``: a mutation was refused before it left the client."""

    title = "Read-only mode"
    kind = "read-only"


_BY_CODE: dict[str, type[XeroError]] = {
    "missing_authorization": AuthError,
    "invalid_api_key": AuthError,
    "authentication_error": AuthError,
    "project_mismatch": ProjectMismatchError,
    "cross_project_access": ProjectMismatchError,
    "admin_required": PermissionDeniedError,
    "scope_insufficient": PermissionDeniedError,
    "model_not_found": NotFoundError,
    "version_not_found": NotFoundError,
    "workspace_not_found": NotFoundError,
    "endpoint_not_found": NotFoundError,
    "completion_not_found": NotFoundError,
    "project_not_found": NotFoundError,
    "response_not_found": NotFoundError,
    "invalid_quantization": ValidationError,
    "invalid_workload_type": ValidationError,
    "invalid_torch_dtype": ValidationError,
    "invalid_pre_quantization": ValidationError,
    "invalid_value": ValidationError,
    "invalid_version": ValidationError,
    "invalid_rollback": ValidationError,
    "invalid_capabilities": ValidationError,
    "invalid_request": ValidationError,
    "invalid_body": ValidationError,
    "json_parse_error": ValidationError,
    "version_exists": ConflictError,
    "model_not_ready": ConflictError,
    "model_not_deployed": ConflictError,
    "rate_limited": RateLimitedError,
    "rate_limit_exceeded": RateLimitedError,  # OpenAI's name, from OpenAI-shaped routes
    "capacity_exceeded": RateLimitedError,
    "quota_exceeded": RateLimitedError,
    "not_implemented": NotImplementedByServerError,
    "endpoint_inactive": ServerError,
    "internal_error": ServerError,
}

_BY_STATUS: dict[int, type[XeroError]] = {
    400: ValidationError,
    401: AuthError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitedError,
    501: NotImplementedByServerError,
}


def error_class(code: str | None, status: int | None) -> type[XeroError]:
    """The class for an error response: by ``error.code``, then by HTTP status."""
    if code and code in _BY_CODE:
        return _BY_CODE[code]
    if status is not None:
        if status in _BY_STATUS:
            return _BY_STATUS[status]
        if status >= 500:
            return ServerError
    return XeroError
