"""Never show an API key whole: masking for screens, logs, errors and copied curl commands."""

from __future__ import annotations

import json
import shlex
from typing import Any

MASK = "••••"


def mask_key(key: str | None) -> str:
    """`xero_proj_demo_sandbox-member-key` -> `xero_proj_demo_••••-key`.

    Keeps the `xero_<project>_` prefix (not secret, tells which project) and the last four
    characters (tells keys apart); everything else is replaced.
    """
    if not key:
        return "(none)"
    head = ""
    if key.startswith("xero_"):
        rest = key[len("xero_") :]
        project, sep, _secret = rest.rpartition("_")
        if sep and project:
            head = f"xero_{project}_"
    tail = key[-4:] if len(key) - len(head) > 8 else ""
    return f"{head}{MASK}{tail}"


def curl_command(
    method: str,
    url: str,
    api_key: str | None,
    body: dict[str, Any] | None = None,
    *,
    reveal: bool = False,
) -> str:
    """The equivalent curl command line, key masked unless `reveal`."""
    key = api_key if reveal else mask_key(api_key)
    parts = ["curl"]
    if method.upper() != "GET":
        parts += ["-X", method.upper()]
    parts.append(shlex.quote(url))
    parts += ["-H", shlex.quote(f"Authorization: Bearer {key}")]
    if body is not None:
        parts += ["-H", shlex.quote("Content-Type: application/json")]
        parts += ["-d", shlex.quote(json.dumps(body, separators=(",", ":")))]
    return " ".join(parts)
