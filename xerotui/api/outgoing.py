"""What the client sends, checked before it goes: path segments, query values, JSON bodies.

httpx raises raw ``UnicodeEncodeError`` for a lone surrogate (``"\\ud800"``) in a body, a
query value or (through ``quote``) a path segment, ``ValueError`` for a NaN in a body and
``TypeError`` for a value JSON cannot hold; Python itself refuses to write an int of more
than 4,300 digits. Here each of those becomes an
:class:`~xerotui.api.errors.InvalidRequestError` naming the argument or body field, before
anything is sent. Values the wire can carry but the server may refuse (an integer >= 2**63,
an unknown enum value) are sent as they are: the server's answer says what is wrong.

Path segments are escaped whole (``/`` included), so an id never adds a path; ``.`` and
``..`` are refused because URL normalisation would remove them and send the request to
another route. Nothing here does IO.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import pydantic
from pydantic import BaseModel
from pydantic_core import PydanticSerializationError

from xerotui.api.errors import InvalidRequestError

MAX_SEGMENT_CHARS = 1024  # ids are UUIDs, versions semver, slugs short: far above any real one
MAX_DEPTH = 64  # nesting of a JSON body; the client's own bodies are 3 deep at most
MAX_INT_BITS = 1024  # about 300 digits; Python cannot write ints of 4,300 digits as text

Query = Mapping[str, str | int | float | bool]
M = TypeVar("M", bound=BaseModel)


def path_segment(value: object, what: str = "model id") -> str:
    """``value`` as one escaped URL path segment; InvalidRequestError for what cannot be."""
    text = value if isinstance(value, str) else str(value)
    problem = _text_problem(text)
    if not text:
        problem = "is empty"
    elif text in (".", ".."):
        problem = f"is {text!r}, which URLs treat as a directory step"
    elif len(text) > MAX_SEGMENT_CHARS:
        problem = f"is {len(text):,} characters long (at most {MAX_SEGMENT_CHARS:,})"
    if problem:
        raise InvalidRequestError(f"The {what} {problem}.")
    return quote(text, safe="")


def chat_path(slug: str, completion_id: str | None = None) -> str:
    """``/{slug}/v1/chat/completions``, and ``/{completion_id}`` after it when given."""
    path = f"/{path_segment(slug, 'endpoint slug')}/v1/chat/completions"
    if completion_id is None:
        return path
    return f"{path}/{path_segment(completion_id, 'completion id')}"


def check_query(params: Query | None) -> None:
    """Raise InvalidRequestError for a query value that cannot be put in a URL."""
    for name, value in (params or {}).items():
        problem = _value_problem(value, depth=MAX_DEPTH)
        if isinstance(value, dict | list | tuple):
            problem = "is not a single value"
        if problem:
            raise InvalidRequestError(f"The query parameter {name!r} {problem}.")


def json_bytes(body: object) -> bytes:
    """The JSON body as UTF-8 bytes, as httpx would write it; InvalidRequestError naming the
    first field that JSON or UTF-8 cannot carry."""
    found = _first_problem(body, "", 0)
    if found is not None:
        where, problem = found
        field = f"The field {where!r}" if where else "The request body"
        raise InvalidRequestError(f"{field} {problem}.")
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8")


def first_problem(value: object) -> tuple[str, str] | None:
    """``(field path, problem)`` of the first value that cannot be sent, or None."""
    return _first_problem(value, "", 0)


def _first_problem(value: object, where: str, depth: int) -> tuple[str, str] | None:
    if depth > MAX_DEPTH:
        return where, f"is nested more than {MAX_DEPTH} levels deep"
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                return where, f"has a key that is not text ({type(key).__name__})"
            name = f"{where}.{_short(key)}" if where else _short(key)
            problem = _text_problem(key)
            if problem:
                return name, f"has a name that {problem}"
            found = _first_problem(item, name, depth + 1)
            if found is not None:
                return found
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _first_problem(item, f"{where}[{index}]", depth + 1)
            if found is not None:
                return found
        return None
    problem = _value_problem(value, depth)
    return (where, problem) if problem else None


def _value_problem(value: object, depth: int) -> str:
    """Why a scalar cannot be sent ('' when it can)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return _text_problem(value)
    if isinstance(value, int):
        if value.bit_length() > MAX_INT_BITS:
            return f"is a number too large to send (over {MAX_INT_BITS} bits)"
        return ""
    if isinstance(value, float):
        return "" if math.isfinite(value) else f"is {value!r}, which JSON cannot carry"
    if depth <= MAX_DEPTH and isinstance(value, Mapping | list | tuple):
        return ""
    return f"cannot be written as JSON (a {type(value).__name__})"


def _text_problem(text: str) -> str:
    """'' for text UTF-8 can carry; else where its first lone surrogate is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        return (
            f"contains a lone surrogate (U+{code:04X} at position {exc.start}), "
            "which is not valid Unicode text"
        )
    return ""


def _short(key: str) -> str:
    return key if len(key) <= 40 else key[:39] + "…"


def build(model: type[M], **fields: Any) -> M:
    """``model(**fields)``, or an InvalidRequestError naming the fields that do not fit."""
    try:
        return model(**fields)
    except pydantic.ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg'][:1].lower()}{e['msg'][1:]}"
            for e in exc.errors()[:3]
        )
        raise InvalidRequestError(
            f"The request does not fit {model.__name__} ({problems})."
        ) from None


def wire_body(model: BaseModel, dump: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``dump()`` of a request object (``model.wire()``, ``patch_body()``), or an
    InvalidRequestError naming the first field that cannot be sent (checked on the Python
    values first: pydantic writes a NaN as is and fails on a huge int without a name)."""
    found = first_problem(model.model_dump(exclude_none=True, warnings=False))
    if found is not None:
        where, problem = found
        raise InvalidRequestError(f"The field {where!r} {problem}.")
    try:
        with warnings.catch_warnings():  # a value of an odd type is sent; the server judges it
            warnings.simplefilter("ignore", UserWarning)
            return dump()
    except (ValueError, TypeError, PydanticSerializationError) as exc:
        raise InvalidRequestError(f"The request body cannot be written as JSON ({exc}).") from None


@dataclass(frozen=True)
class Outgoing:
    """A request ready to go: checked, URL with its query, body and its bytes."""

    method: str
    path: str  # project-relative, as the endpoint table and the log name it
    url: httpx.URL
    body: dict[str, Any] | None
    content: bytes | None


def prepare(
    method: str, path: str, url: str, params: Query | None, body: dict[str, Any] | None
) -> Outgoing:
    """Check the query and the body and encode them; InvalidRequestError for what cannot go."""
    check_query(params)
    content = json_bytes(body) if body is not None else None
    try:
        full = httpx.URL(url, params=params)
    except httpx.InvalidURL as exc:  # e.g. "URL component 'query' too long"
        raise InvalidRequestError(f"The URL cannot be built: {exc}.") from None
    return Outgoing(method.upper(), path, full, body, content)
