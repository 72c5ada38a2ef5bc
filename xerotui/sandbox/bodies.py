"""JsonBodyReader: a request body as a checked JSON object, or the documented 400.

Python's ``json`` module accepts more than a server should: ``NaN`` and ``Infinity``, numbers
that overflow to ``inf``, lone UTF-16 surrogates (``"\\ud800"``, valid JSON text but not
Unicode: SQLite and UTF-8 cannot store them) and nesting deep enough to exhaust the stack.
Each of those is refused here, before any route looks at the body, with the envelope and
``param`` naming where the problem is (``messages.0.content``), so that nothing a client
sends can reach the database or the encoder and end in a 500.
"""

from __future__ import annotations

import json
import math
from typing import Any

from xerotui.sandbox.errors import ApiError
from xerotui.sandbox.limits import MAX_JSON_DEPTH


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text[:40]}")
    return value


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def field_path(parts: list[str | int]) -> str:
    """``["messages", 0, "content"]`` -> ``messages.0.content`` (pydantic's style)."""
    return ".".join(str(part) for part in parts) or "body"


def is_unicode(text: str) -> bool:
    """Whether ``text`` is real Unicode (no lone surrogates), so UTF-8 can encode it."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class JsonBodyReader:
    """``read(raw)`` -> the body as a dict, or raises :class:`ApiError` (400)."""

    def __init__(self, max_depth: int = MAX_JSON_DEPTH) -> None:
        self.max_depth = max_depth

    def read(self, raw: bytes, *, required: bool = True, any_text: bool = False) -> dict[str, Any]:
        """The body as a dict. ``any_text`` lets lone surrogates through (the raw-field knob
        stores them on purpose)."""
        if not raw.strip():
            if required:
                raise ApiError.invalid_body("Request body must be a JSON object")
            return {}
        try:
            data = json.loads(raw, parse_float=_finite, parse_constant=_no_constants)
        except RecursionError:
            raise self._too_deep() from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError.json_parse_error(str(exc)[:200]) from None
        if not isinstance(data, dict):
            raise ApiError.invalid_body("Request body must be a JSON object")
        self.check(data, any_text=any_text)
        return data

    def check(self, data: Any, *, any_text: bool = False) -> None:
        """Walk the document (iteratively, containers only): the depth bound, and every key
        and string real Unicode unless ``any_text``."""
        stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
        while stack:
            value, path = stack.pop()
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if not any_text and isinstance(key, str) and not is_unicode(key):
                    raise self._bad_text(list(path), key=True)
                if isinstance(item, str):
                    if not any_text and not is_unicode(item):
                        raise self._bad_text([*path, key])
                elif isinstance(item, dict | list):
                    if len(path) + 1 >= self.max_depth:
                        raise self._too_deep()
                    stack.append((item, (*path, key)))

    def _too_deep(self) -> ApiError:
        return ApiError.invalid_body(
            f"Request body is nested too deeply (at most {self.max_depth} levels)"
        )

    @staticmethod
    def _bad_text(path: list[str | int], *, key: bool = False) -> ApiError:
        param = field_path(path)
        what = "a key of" if key else "the value of"
        return ApiError.invalid_value(
            param, f"Invalid text in {what} {param}: a lone surrogate is not valid Unicode"
        )


READER = JsonBodyReader()


def parse_json_object(
    raw: bytes, *, required: bool = True, any_text: bool = False
) -> dict[str, Any]:
    """A request body as a checked JSON object, or the documented 400s."""
    return READER.read(raw, required=required, any_text=any_text)
