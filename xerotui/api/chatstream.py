"""ChatStreamReader: one streamed chat-completions response -> typed chunks, or a clean error.

The stream is ``data: {chunk}`` events ending with ``data: [DONE]`` (design.md section 4).
A failure after the stream began arrives in-band as ``data: {"error": {...}}`` and the stream
ends without ``[DONE]``; a cut connection or an early EOF looks the same to a reader. All of
these raise :class:`StreamInterruptedError` carrying the text received so far. Vendor
``x_*`` events (named events) are skipped.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator
from typing import Any, Literal

import httpx
import pydantic

from xerotui.api.errors import StreamInterruptedError, XeroError
from xerotui.api.failures import (
    error_from_response,
    scrub,
    scrub_body,
    transport_error,
    validation_summary,
)
from xerotui.api.schema import ChatChunk
from xerotui.api.sse import DONE, SSEDecoder, SSEEvent, SSEPayloadError, json_payload


class ChatStreamReader:
    """Reads one streamed response; after iteration ``error`` holds what ended it, if anything."""

    def __init__(
        self, response: httpx.Response, *, method: str, path: str, host: str, api_key: str
    ) -> None:
        self.response = response
        self.method = method
        self.path = path
        self.host = host
        self._api_key = api_key
        self._parts: list[str] = []
        self.error: XeroError | None = None

    @property
    def partial_text(self) -> str:
        return "".join(self._parts)

    @property
    def request_id(self) -> str | None:
        value: str | None = self.response.headers.get("x-request-id")
        return value

    async def chunks(self) -> AsyncGenerator[ChatChunk, None]:
        """Typed chunks until ``[DONE]``; raises a XeroError otherwise (also kept in ``error``)."""
        try:
            if not self.response.is_success:
                await self.response.aread()
                raise error_from_response(self.response, self.method, self.path, self._api_key)
            async with contextlib.aclosing(self._events()) as events:
                async for event in events:
                    item = self._item(event)
                    if item is None:
                        continue
                    if isinstance(item, str):  # [DONE]
                        return
                    self._parts.append(item.text)
                    yield item
            raise self._interrupted("The stream ended before the server finished the answer")
        except httpx.HTTPError as exc:
            reason = transport_error(exc, self.host, self.method, self.path, None).message
            self.error = self._interrupted(f"The connection broke during the answer. {reason}")
            raise self.error from None
        except XeroError as exc:
            self.error = exc
            raise

    async def _events(self) -> AsyncGenerator[SSEEvent, None]:
        decoder = SSEDecoder()
        async for data in self.response.aiter_bytes():
            for event in decoder.feed(data):
                yield event
        for event in decoder.flush():
            yield event

    def _item(self, event: SSEEvent) -> ChatChunk | Literal["[DONE]"] | None:
        """One event as a chunk, ``[DONE]``, or None for an event to skip."""
        if event.event not in ("message", "error"):
            return None
        try:
            payload = json_payload(event)
        except SSEPayloadError as exc:
            raise self._interrupted(f"The server sent a malformed event ({exc})") from None
        if isinstance(payload, str):
            return DONE
        if "error" in payload:
            raise self._in_band_error(payload)
        try:
            return ChatChunk.model_validate(payload)
        except pydantic.ValidationError as exc:
            detail = validation_summary(exc)
            raise self._interrupted(f"The server sent an unexpected chunk ({detail})") from None

    def _in_band_error(self, payload: dict[str, Any]) -> StreamInterruptedError:
        err = payload["error"]
        fields = err if isinstance(err, dict) else {}
        message = fields.get("message") or (err if isinstance(err, str) else "")
        code = fields.get("code")
        param = fields.get("param")
        return self._interrupted(
            str(message or "The server reported an error during the answer"),
            code=code if isinstance(code, str) else "stream_error",
            param=param if isinstance(param, str) else None,
            body=scrub_body(payload, self._api_key),
        )

    def _interrupted(self, message: str, **kw: Any) -> StreamInterruptedError:
        return StreamInterruptedError(
            scrub(message, self._api_key),
            partial_text=self.partial_text,
            status=self.response.status_code,
            request_id=self.request_id,
            method=self.method,
            path=self.path,
            **kw,
        )
