"""ApiError: the one exception every sandbox route raises; rendered as the error envelope.

The envelope is `{"error": {"message", "type", "code", "param"}}` (api/schema.py
``ErrorEnvelope``); ``param`` is left out when it does not apply, like the seed examples.
"""

from __future__ import annotations

import json
from typing import Any

from xerotui.api.schema import ErrorBody, ErrorEnvelope
from xerotui.sandbox.responses import JSONResponse

MISSING_AUTHORIZATION = "Missing or invalid Authorization header"
PROJECT_MISMATCH = "API key does not authorize access to this project"
MODEL_NOT_FOUND = "Model not found"
PROBE_DISABLED = "Model probing is not available on this router deployment"


def error_type(status: int) -> str:
    """The `type` string for a status: the seed uses `invalid_request_error` for every 4xx."""
    if status == 429:
        return "rate_limit_error"
    if status >= 500 and status != 501:
        return "server_error"
    return "invalid_request_error"


class ApiError(Exception):
    """An HTTP error with a machine-readable ``code`` (clients branch on it)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        param: str | None = None,
        type_: str | None = None,
        retry_after: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.param = param
        self.type = type_ or error_type(status)
        self.retry_after = retry_after
        self.headers = dict(headers or {})
        if retry_after is not None:
            self.headers.setdefault("Retry-After", str(retry_after))

    def body(self) -> dict[str, Any]:
        error = ErrorBody(
            message=self.message,
            type=self.type,
            code=self.code,
            param=self.param,
            retry_after=self.retry_after,
        )
        return ErrorEnvelope(error=error).wire()

    def body_bytes(self) -> bytes:
        return json.dumps(self.body(), separators=(",", ":")).encode()

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)

    # ------------------------------------------------------------------ common errors

    @classmethod
    def model_not_found(cls) -> ApiError:
        return cls(404, "model_not_found", MODEL_NOT_FOUND)

    @classmethod
    def invalid_value(cls, param: str, message: str) -> ApiError:
        return cls(400, "invalid_value", message, param=param)

    @classmethod
    def invalid_body(cls, message: str, param: str | None = None) -> ApiError:
        return cls(400, "invalid_body", message, param=param)

    @classmethod
    def too_large(cls, limit: int) -> ApiError:
        return cls(
            413,
            "request_too_large",
            f"Request body is too large (at most {limit} bytes)",
            headers={"Connection": "close"},
        )

    @classmethod
    def json_parse_error(cls, detail: str) -> ApiError:
        return cls(400, "json_parse_error", f"Request body is not valid JSON: {detail}")

    @classmethod
    def endpoint_not_found(cls, slug: str) -> ApiError:
        return cls(404, "endpoint_not_found", f"Endpoint not found: {slug}")

    @classmethod
    def completion_not_found(cls, param: str | None = None) -> ApiError:
        return cls(404, "completion_not_found", "Completion not found", param=param)
