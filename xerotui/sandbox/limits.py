"""The limits the sandbox enforces, in one place: sizes, lengths, ranges and their JSON Schema.

A real API bounds what it stores; these are the sandbox's documented choices (the Xerotier
docs give none). Routes enforce them and ``/openapi.json`` declares them (``maxLength``,
``maximum``, ``enum``...), so a client or a fuzzer can tell a refused request from a bug.

- Bodies: 1 MiB on API routes (413 ``request_too_large``), 64 MiB on ``/_sandbox/`` control
  routes (the raw-field knob sets 10 MB descriptions for hostile-data tests); JSON nested at
  most 32 levels deep.
- Texts count code points, as JSON Schema's ``maxLength`` does. A description may be 10,000
  characters (a model card summary, not the card: longer text belongs in the repository);
  the TUI must still cope with longer ones from other servers (see the raw-field knob).
- Integers are bounded by what a model can plausibly have, well inside SQLite's 64 bits.
"""

from __future__ import annotations

import copy
from typing import Any

from xerotui.api.schema import METADATA_FIELDS

MAX_BODY_BYTES = 1024 * 1024
MAX_CONTROL_BODY_BYTES = 64 * 1024 * 1024
MAX_JSON_DEPTH = 32

# PATCH /models/{id}/capabilities
MAX_CAPABILITIES = 64
MAX_CAPABILITY_LENGTH = 64

# versions
MAX_VERSION_LENGTH = 128
MAX_NOTES_LENGTH = 4000
# Strict semver 2.0.0 (semver.org's pattern with ASCII digits; no leading "v").
SEMVER_PATTERN = (
    r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    r"(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)

# lists
MAX_LIST_LIMIT = 100  # GET /models: larger values are cut to this, not refused
MAX_OFFSET = 2**31 - 1

# chat
MAX_STOP = 4
MAX_METADATA_KEYS = 16  # OpenAI's documented metadata limits
MAX_METADATA_KEY_LENGTH = 64
MAX_METADATA_VALUE_LENGTH = 512
MAX_MIN_TOKENS = 32_768  # `min_tokens` / `ignore_eos` (vLLM's sampling extensions)
IGNORE_EOS_TOKENS = 4096  # how far `ignore_eos` runs when no max_tokens is given


def _branches(prop: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-null alternatives of a property schema (``anyOf: [X, null]`` -> ``[X]``)."""
    options = prop.get("anyOf")
    if not options:
        return [prop]
    return [branch for branch in options if branch.get("type") != "null"]


def constrain(schema: dict[str, Any], constraints: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A copy of an object schema with JSON Schema keywords added to some properties."""
    out = copy.deepcopy(schema)
    for name, keywords in constraints.items():
        prop = out["properties"].setdefault(name, {})
        for branch in _branches(prop):
            branch.update(keywords)
    return out


def patch_constraints() -> dict[str, dict[str, Any]]:
    """What `PATCH /models/{id}` accepts, field by field: the field specs of
    `schema.ModelMetadata`, which patch.py enforces too."""
    out: dict[str, dict[str, Any]] = {}
    for field in METADATA_FIELDS:
        spec = field.spec
        keywords: dict[str, Any] = {}
        if spec.max_length is not None:
            keywords["maxLength"] = spec.max_length
        if spec.positive:
            keywords["minimum"] = 1
        if spec.maximum is not None:
            keywords["maximum"] = spec.maximum
        if spec.choices:
            keywords["enum"] = (
                ["", *spec.choices] if spec.empty_means_unchanged else [*spec.choices]
            )
        if keywords:
            out[field.name] = keywords
    return out


CAPABILITY_CONSTRAINTS: dict[str, dict[str, Any]] = {
    "capabilities": {
        "minItems": 1,
        "maxItems": MAX_CAPABILITIES,
        "items": {"type": "string", "pattern": r"\S", "maxLength": MAX_CAPABILITY_LENGTH},
    }
}
VERSION_CONSTRAINTS: dict[str, dict[str, Any]] = {
    "version": {"minLength": 5, "maxLength": MAX_VERSION_LENGTH, "pattern": SEMVER_PATTERN},
    "version_notes": {"maxLength": MAX_NOTES_LENGTH},
}
CHAT_CONSTRAINTS: dict[str, dict[str, Any]] = {
    "messages": {"minItems": 1},
    "max_tokens": {"minimum": 1},
    "max_completion_tokens": {"minimum": 1},
    "stop": {"maxItems": MAX_STOP},
    "min_tokens": {
        "type": "integer",
        "minimum": 0,
        "maximum": MAX_MIN_TOKENS,
        "description": "vLLM extension: the answer is at least this many tokens long "
        "(max_tokens still cuts it)",
    },
    "ignore_eos": {
        "type": "boolean",
        "description": "vLLM extension: keep generating until max_tokens "
        f"(or {IGNORE_EOS_TOKENS} tokens)",
    },
    "metadata": {
        "type": "object",
        "maxProperties": MAX_METADATA_KEYS,
        "propertyNames": {"maxLength": MAX_METADATA_KEY_LENGTH},
        "additionalProperties": {"type": "string", "maxLength": MAX_METADATA_VALUE_LENGTH},
    },
}
