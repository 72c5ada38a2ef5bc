"""JSONResponse: Starlette's JSON response that can send whatever the sandbox stores.

Starlette encodes with ``ensure_ascii=False`` and UTF-8, which fails on a lone surrogate
(``"\\ud800"``): valid JSON text that a hostile server may well send, and that the raw-field
knob can store for the TUI's hostile-data tests. Such a body is sent with ``\\uXXXX``
escapes instead (still valid JSON, decoded by every client); any other body is unchanged.
"""

from __future__ import annotations

import json
from typing import Any

from starlette import responses


class JSONResponse(responses.JSONResponse):
    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            text = json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
            return text.encode("ascii")
