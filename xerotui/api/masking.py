"""Never show an API key whole: masking for screens, logs, errors and copied curl commands.

A Xerotier key is ``xero_<project>_<secret>`` and the project part may itself hold ``_`` and
``-`` (``proj_demo``, ``my-project``), while the secret may hold ``_`` too (it is random
text). So the prefix cannot be found by splitting on the last ``_`` (that kept most of the
secret: ``xero_proj_demo_my_very_secret_value_••••``). The rule:

- The shown prefix is ``xero_<project>_``. The project is the one the caller knows (the
  client knows it from its base URL) when the key starts with it; otherwise the first
  ``_``-separated segment after ``xero_``, or the first two when that segment is ``proj``
  or ``ws`` (the documented project id shapes ``proj_ABC123`` and ``ws_<hex>``).
- Everything after the prefix is the secret: it is replaced by ``••••`` except its last
  characters, which tell keys apart: at most 4, and at most a third of the secret, so a
  short secret shows less (12 characters show 4, 8 show 2, 5 show 1, 2 show none).
- A key without the ``xero_`` shape is all secret under the same rule.

So ``xero_myproject_your_api_key`` -> ``xero_myproject_••••_key`` and, for project
``proj_demo``, ``xero_proj_demo_my_very_secret_value_Q9`` -> ``xero_proj_demo_••••e_Q9``.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

from xerotui.api.urls import split_base_url

MASK = "••••"
PREFIX = "xero_"
TAIL_MAX = 4
_TWO_SEGMENT_PROJECTS = ("proj", "ws")


def key_prefix(key: str, project: str | None = None) -> str:
    """The ``xero_<project>_`` part of ``key`` that may be shown ('' when there is none)."""
    if not key.startswith(PREFIX):
        return ""
    if project:
        known = f"{PREFIX}{project}_"
        if key.startswith(known) and len(key) > len(known):
            return known
    segments = key[len(PREFIX) :].split("_")
    take = 2 if segments[0] in _TWO_SEGMENT_PROJECTS and len(segments) > 2 else 1
    if len(segments) <= take or not all(segments[:take]):
        return ""
    head = PREFIX + "_".join(segments[:take]) + "_"
    return head if len(key) > len(head) else ""


def key_secret(key: str, project: str | None = None) -> str:
    """The part of ``key`` that is never shown whole (everything after the prefix)."""
    return key[len(key_prefix(key, project)) :]


def mask_key(key: str | None, project: str | None = None) -> str:
    """``xero_myproject_your_api_key`` -> ``xero_myproject_••••_key`` (see the module doc)."""
    if not key:
        return "(none)"
    head = key_prefix(key, project)
    secret = key[len(head) :]
    shown = min(TAIL_MAX, len(secret) // 3)
    tail = secret[len(secret) - shown :] if shown else ""
    return f"{head}{MASK}{tail}"


def mask_key_for(key: str | None, base_url: str | None) -> str:
    """:func:`mask_key` with the project of ``base_url`` (``{root}/{project}/v1``) if it has one."""
    try:
        project = split_base_url(base_url)[1] if base_url else None
    except ValueError:
        project = None
    return mask_key(key, project)


def curl_command(
    method: str,
    url: str,
    api_key: str | None,
    body: dict[str, Any] | None = None,
    *,
    reveal: bool = False,
    project: str | None = None,
) -> str:
    """The equivalent curl command line, key masked unless `reveal`."""
    key = api_key if reveal else mask_key(api_key, project)
    parts = ["curl"]
    if method.upper() != "GET":
        parts += ["-X", method.upper()]
    parts.append(shlex.quote(url))
    parts += ["-H", shlex.quote(f"Authorization: Bearer {key}")]
    if body is not None:
        parts += ["-H", shlex.quote("Content-Type: application/json")]
        parts += ["-d", shlex.quote(json.dumps(body, separators=(",", ":")))]
    return " ".join(parts)
