"""The models table's filter language: what is typed in the `/` bar, parsed once per change.

Pure (no IO, no Textual): ModelInventory.view() filters with a parsed Query, and the TUI
shows a QueryError's message in the filter bar instead of an empty table.

Syntax (SYNTAX below is what the bar's placeholder and `?` help show):

- ``qwen`` — a word: the name, id, architecture, status or quantization contains it;
- ``status:failed`` ``format:gguf`` ``quant:awq`` ``version:1.0.0`` — that field is the
  value (any case); ``status:failed,error`` — any of the values;
- ``name:`` ``id:`` ``arch:`` — that field contains the value;
- ``shared:yes`` / ``shared:no``;
- ``size>10GB`` — also ``<``, ``>=``, ``<=``, ``=``; units B KB MB GB TB (K M G T too),
  1024-based like `size_formatted`; decimals allowed (``size<1.5GB``);
- several terms mean all of them; quotes keep a term with spaces or a colon as one word
  (``"llama3:8b"``).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from xerotui.api.units import UNITS

SYNTAX = "words · status:failed format:gguf quant:awq shared:yes · size>10GB"
"""One line for the filter bar's placeholder."""
HELP = (
    "Words match name, id, architecture, status or quantization; several terms mean all of "
    "them. Fields: status: format: quant: version: (exact; a,b = either), name: id: arch: "
    '(contains), shared:yes|no, size>10GB (< > <= >= =; B KB MB GB TB). Quote "a:b" to '
    "search for text with a colon."
)
"""The syntax in a sentence, for `?` help."""

EXACT = {"status": "status", "format": "format", "quant": "quantization", "version": "version"}
"""Field names of the bar -> Model attribute, compared whole (any case)."""
CONTAINS = {"name": "name", "id": "id", "arch": "architecture"}
"""Field names -> Model attribute, compared as a substring (any case)."""
ALIASES = {"quantization": "quant", "architecture": "arch", "fmt": "format"}
FIELDS = (*EXACT, *CONTAINS, "shared", "size")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
COMPARE: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "=": operator.eq,
}
FACTORS = {unit: 1024**power for power, unit in enumerate(UNITS)} | {
    unit[0]: 1024**power for power, unit in enumerate(UNITS) if power
}
SIZE = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*$", re.I)
TERM = re.compile(r"^([a-z_]+)(>=|<=|>|<|=|:)(.*)$", re.I | re.S)


class QueryError(ValueError):
    """A term the bar cannot read; str(error) is the message for the user."""


class Filterable(Protocol):
    """What a query reads of a model (xerotui.api.schema.Model has it all)."""

    @property
    def status(self) -> str | None: ...

    @property
    def is_shared(self) -> bool | None: ...

    @property
    def size_bytes(self) -> int | None: ...

    @property
    def size_formatted(self) -> str | None: ...


Test = Callable[[Filterable], bool]


@dataclass(frozen=True)
class Query:
    """A parsed filter: `words` against the haystack, `tests` against the model; all must
    hold. An empty query matches everything."""

    text: str = ""
    words: tuple[str, ...] = ()
    tests: tuple[Test, ...] = field(default=(), compare=False)

    @property
    def empty(self) -> bool:
        return not self.words and not self.tests

    def matches(self, model: Filterable, haystack: str) -> bool:
        """`haystack`: the lower-cased searchable text of the model (ModelInventory's)."""
        for word in self.words:
            if word not in haystack:
                return False
        return all(test(model) for test in self.tests)


def parse(text: str) -> Query:
    """The Query for `text`, or QueryError saying which term is wrong and how to write it."""
    words: list[str] = []
    tests: list[Test] = []
    for term, quoted in split(text):
        match = None if quoted else TERM.match(term)
        if match is None:
            words.append(term.lower())
            continue
        name, op, value = match.group(1).lower(), match.group(2), match.group(3).strip()
        name = ALIASES.get(name, name)
        if name not in FIELDS:
            raise QueryError(
                f"unknown field “{match.group(1)}” in “{term}”: use {' '.join(FIELDS)} "
                f'(or quote it to search for the text: "{term}")'
            )
        tests.append(_size(term, op, value) if name == "size" else _field(term, name, op, value))
    return Query(text, tuple(words), tuple(tests))


def split(text: str) -> list[tuple[str, bool]]:
    """Terms separated by white space; "double quotes" keep one term (an unclosed quote
    runs to the end: the user is still typing). Returns (term, was quoted)."""
    terms: list[tuple[str, bool]] = []
    for match in re.finditer(r'"([^"]*)"?|(\S+)', text):
        quoted, bare = match.group(1), match.group(2)
        if bare is not None:
            terms.append((bare, False))
        elif quoted.strip():
            terms.append((quoted.strip(), True))
    return terms


def parse_size(text: str) -> int:
    """'10GB', '1.5 gb', '300' (bytes) -> bytes, 1024-based; ValueError otherwise."""
    match = SIZE.match(text)
    if match is None:
        raise ValueError(text)
    unit = match.group(2).upper() or "B"
    if unit.endswith("IB"):  # GiB: the same 1024-based unit
        unit = unit[0] + "B"
    if unit not in FACTORS:
        raise ValueError(text)
    size = float(match.group(1)) * FACTORS[unit]
    if not math.isfinite(size):  # 400 digits: no size, not an OverflowError from int()
        raise ValueError(text)
    return int(size)


def _size(term: str, op: str, value: str) -> Test:
    if op == ":":
        raise QueryError(f"“{term}”: compare sizes with > < >= <= =, e.g. size>10GB")
    if not value:
        raise QueryError(f"“{term}”: a size is missing, e.g. size{op}10GB")
    try:
        limit = parse_size(value)
    except ValueError:
        raise QueryError(
            f"“{term}”: “{value}” is not a size; write a number and a unit, e.g. size{op}10GB "
            "(units B KB MB GB TB)"
        ) from None
    compare = COMPARE[op]

    def test(model: Filterable) -> bool:
        size = _bytes_of(model)
        return size is not None and compare(size, limit)

    return test


def _bytes_of(model: Filterable) -> int | None:
    size = model.size_bytes
    if isinstance(size, int):
        return size
    try:
        return parse_size(model.size_formatted or "")
    except ValueError:
        return None


def _field(term: str, name: str, op: str, value: str) -> Test:
    if op != ":":
        raise QueryError(f"“{term}”: only size compares with {op}; write {name}:value")
    if not value:
        raise QueryError(f"“{term}”: a value is missing, e.g. {_example(name)}")
    if name == "shared":
        wanted = value.lower()
        if wanted not in YES | NO:
            raise QueryError(f"“{term}”: write shared:yes or shared:no")
        shared = wanted in YES
        return lambda model: bool(model.is_shared) is shared
    values = frozenset(v.strip().lower() for v in value.split(",") if v.strip())
    if not values:
        raise QueryError(f"“{term}”: a value is missing, e.g. {_example(name)}")
    if name in EXACT:
        attribute = EXACT[name]

        def exact(model: Filterable) -> bool:
            return _lower(getattr(model, attribute, None)) in values

        return exact
    attribute = CONTAINS[name]

    def contains(model: Filterable) -> bool:
        text = _lower(getattr(model, attribute, None))
        return any(v in text for v in values)

    return contains


def _lower(value: object) -> str:
    return value.lower() if isinstance(value, str) else ""


def _example(name: str) -> str:
    examples = {"status": "failed", "format": "gguf", "quant": "awq", "version": "1.0.0"}
    return f"{name}:{examples.get(name, 'llama')}"
