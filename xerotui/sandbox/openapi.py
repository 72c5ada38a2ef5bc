"""OpenApiFixer: the finishing touches FastAPI's generated `/openapi.json` needs here.

- Request bodies are documented by hand (routes parse them, deps.json_body_doc); the
  definitions of their nested models (``$defs``) move to ``components/schemas``, where
  their references point.
- Parameter errors are 400 with the Xerotier envelope (app.validation_handler), so
  FastAPI's ``422 HTTPValidationError`` entries are removed.
- A streamed chat completion (``stream: true``) answers ``text/event-stream``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

CHAT_PATH = "/{project}/{slug}/v1/chat/completions"
UNUSED = ("HTTPValidationError", "ValidationError")
SSE_EVENT = {
    "type": "object",
    "description": "One server-sent event of a streamed chat completion",
    "required": ["data"],
    "properties": {
        "data": {
            "type": "string",
            "description": 'a chat.completion.chunk as JSON; an in-band `{"error": {...}}` '
            "if the stream fails; `[DONE]` last",
        },
        "event": {"type": "string"},
    },
}


class OpenApiFixer:
    """Install with ``app.openapi = OpenApiFixer(app)``; the document is built once."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.generate: Callable[[], dict[str, Any]] = app.openapi

    def __call__(self) -> dict[str, Any]:
        if self.app.openapi_schema is None:
            document = self.generate()
            self.fix(document)
            self.app.openapi_schema = document
        return self.app.openapi_schema

    def fix(self, document: dict[str, Any]) -> None:
        schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                operation.get("responses", {}).pop("422", None)
                body = operation.get("requestBody", {}).get("content", {})
                for media in body.values():
                    for name, definition in media.get("schema", {}).pop("$defs", {}).items():
                        schemas.setdefault(name, definition)
        for name in UNUSED:
            schemas.pop(name, None)
        chat = document.get("paths", {}).get(CHAT_PATH, {}).get("post")
        if chat is not None:
            content = chat["responses"]["200"].setdefault("content", {})
            content["text/event-stream"] = {"schema": SSE_EVENT}
