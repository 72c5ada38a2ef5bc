"""Schemathesis hooks for fuzzing the sandbox: aim the generated requests at real data.

Random path values would only ever meet 403 `project_mismatch` or 404 `model_not_found`,
long before the body validation where the bugs live; so the project is always `proj_demo`
and three in four other path values (model ids, endpoint slugs, versions, a workspace) are
replaced by one from the demo seed, picked by a stable hash of the generated value (every
phase, coverage included, goes through ``map_case``; the run stays reproducible). Stored
completions have random ids: :func:`store_completions` makes a few before the run and adds
their ids (``XEROTUI_FUZZ_COMPLETIONS`` hands them to a schemathesis process). Loaded by the
pytest test (import) and by `make fuzz` (``SCHEMATHESIS_HOOKS=fuzz_hooks``).
"""

from __future__ import annotations

import os
import zlib
from typing import Any

import httpx
import schemathesis

from xerotui.sandbox.seed import model_id
from xerotui.sandbox.seed_data import DEMO_MODELS, ENDPOINTS, WORKSPACES

PROJECT = "proj_demo"
KNOWN: dict[str, list[str]] = {
    "model_id": [model_id(PROJECT, spec.name) for spec in DEMO_MODELS if spec.project == PROJECT],
    "slug": [slug for slug, project, _, _ in ENDPOINTS if project == PROJECT],
    "version": ["1.0.0", "1.0.1", "1.1.0", "2.0.0", "0.9.0"],
    "workspace_id": [wid for wid, project, _, _ in WORKSPACES if project == PROJECT],
    "completion_id": [c for c in os.environ.get("XEROTUI_FUZZ_COMPLETIONS", "").split(",") if c],
}


def store_completions(root_url: str, key: str, count: int = 3) -> list[str]:
    """Store ``count`` chat completions on llama-chat; their ids become known path values."""
    ids: list[str] = []
    with httpx.Client(base_url=root_url, timeout=30) as http:
        for index in range(count):
            body = {
                "messages": [{"role": "user", "content": f"fuzz seed {index}"}],
                "store": True,
                "metadata": {"run": "fuzz"},
            }
            response = http.post(
                f"/{PROJECT}/llama-chat/v1/chat/completions",
                json=body,
                headers={"Authorization": f"Bearer {key}"},
            )
            response.raise_for_status()
            ids.append(str(response.json()["id"]))
    KNOWN["completion_id"] = ids
    return ids


def aimed(name: str, value: object) -> object:
    """The value to send for path parameter ``name`` instead of the generated ``value``."""
    if name == "project":
        return PROJECT  # another project only ever answers 403
    known = KNOWN.get(name)
    if not known:
        return value
    digest = zlib.crc32(repr(value).encode("utf-8", "surrogatepass"))
    return value if digest % 4 == 0 else known[(digest >> 2) % len(known)]


@schemathesis.hook
def map_case(ctx: schemathesis.HookContext, case: schemathesis.Case[Any]) -> schemathesis.Case[Any]:
    if case.path_parameters:
        case.path_parameters = {
            name: aimed(name, value) for name, value in case.path_parameters.items()
        }
    return case
