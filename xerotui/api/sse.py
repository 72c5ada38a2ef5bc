"""A pure, incremental Server-Sent Events decoder: bytes in, events out, no IO.

Follows the WHATWG "event stream" parsing rules: lines end in CRLF, LF or CR; a line starting
with ``:`` is a comment (keep-alive); ``data:`` lines accumulate (joined with ``\\n``); a blank
line dispatches the event; ``event``, ``id`` and ``retry`` fields are honoured and unknown
fields ignored; one leading BOM is dropped. Input may be cut at any byte (inside a CRLF, inside
a UTF-8 character, inside a field name): the decoder buffers until it has whole lines.

:func:`json_payload` turns an event into what OpenAI-style streams carry: a JSON object, or
the ``[DONE]`` sentinel.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final, Literal

DONE: Final = "[DONE]"
_BOM: Final = b"\xef\xbb\xbf"
_CR: Final = 0x0D
_EOL: Final = re.compile(rb"\r\n|\r|\n")
_LF: Final = 0x0A


@dataclass(frozen=True)
class SSEEvent:
    """One dispatched event. ``id`` is the last event id seen so far (it persists)."""

    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None


class SSEPayloadError(ValueError):
    """An event's data is neither ``[DONE]`` nor a JSON object."""


class SSEDecoder:
    """Feed raw bytes as they arrive; get back the events that became complete."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._started = False  # past the optional BOM
        self._skip_lf = False  # the previous chunk ended in CR: a leading LF belongs to it
        self._data: list[str] = []
        self._has_data = False
        self._event = ""
        self._last_id: str | None = None
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """Add bytes; return every event completed by them (possibly none)."""
        self._buffer += chunk
        if not self._started:
            if len(self._buffer) < len(_BOM) and _BOM.startswith(bytes(self._buffer)):
                return []  # could still be a BOM cut short
            if self._buffer.startswith(_BOM):
                del self._buffer[: len(_BOM)]
            self._started = True
        events: list[SSEEvent] = []
        for line in self._take_lines():
            event = self._process_line(line)
            if event is not None:
                events.append(event)
        return events

    def flush(self) -> list[SSEEvent]:
        """End of stream: treat buffered bytes as a last line and dispatch a pending event.

        Lenient on purpose (the standard discards an event without its blank line): a server
        that closes right after ``data: [DONE]`` still gets its sentinel through.
        """
        events: list[SSEEvent] = []
        if not self._started and self._buffer:
            self._started = True
        if self._buffer:
            line = bytes(self._buffer)
            self._buffer.clear()
            event = self._process_line(line)
            if event is not None:
                events.append(event)
        event = self._dispatch()
        if event is not None:
            events.append(event)
        self._skip_lf = False
        return events

    # ------------------------------------------------------------------ internals

    def _take_lines(self) -> list[bytes]:
        buf = self._buffer
        if self._skip_lf and buf:
            if buf[0] == _LF:
                del buf[0]
            self._skip_lf = False
        lines: list[bytes] = []
        start = 0
        for match in _EOL.finditer(buf):
            lines.append(bytes(buf[start : match.start()]))
            start = match.end()
        if start and start == len(buf) and buf[start - 1] == _CR:
            self._skip_lf = True  # a CR last: an LF first in the next chunk ends no new line
        del buf[:start]
        return lines

    def _process_line(self, raw: bytes) -> SSEEvent | None:
        if not raw:
            return self._dispatch()
        line = raw.decode("utf-8", errors="replace")
        if line.startswith(":"):
            return None
        name, sep, value = line.partition(":")
        if sep and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
            self._has_data = True
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\x00" not in value:
                self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> SSEEvent | None:
        if not self._has_data:
            self._event = ""
            return None
        event = SSEEvent(
            data="\n".join(self._data),
            event=self._event or "message",
            id=self._last_id,
            retry=self._retry,
        )
        self._data = []
        self._has_data = False
        self._event = ""
        return event


def json_payload(event: SSEEvent) -> dict[str, Any] | Literal["[DONE]"]:
    """The event's data as a JSON object, or ``"[DONE]"``; :class:`SSEPayloadError` else."""
    data = event.data.strip()
    if data == DONE:
        return DONE
    try:
        value = json.loads(data)
    except ValueError as exc:
        raise SSEPayloadError(f"event data is not JSON: {data[:80]!r}") from exc
    if not isinstance(value, dict):
        raise SSEPayloadError(f"event data is not a JSON object: {data[:80]!r}")
    return value
