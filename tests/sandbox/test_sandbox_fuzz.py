"""Schemathesis against the sandbox's own `/openapi.json`, bounded: no 5xx, and every answer
keeps the document's promises (status codes, content types, response schemas).

A few examples per operation, derandomised, so the run is short and repeatable; `make fuzz`
runs the same hooks and checks with many more (fuzz.py). Control routes (`/_sandbox/...`)
are left out: fuzzing them would inject faults into the run itself.
"""

from __future__ import annotations

from typing import Any

import fuzz_hooks  # registers the hooks that aim requests at the demo seed
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from xerotui.launcher import SandboxInfo

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.pytest.from_fixture("sandbox_openapi").exclude(path_regex="^/_sandbox/")


@pytest.fixture
def sandbox_openapi(sandbox: SandboxInfo) -> schemathesis.BaseSchema:
    fuzz_hooks.store_completions(sandbox.root_url, sandbox.admin_api_key)
    loaded: schemathesis.BaseSchema = schemathesis.openapi.from_url(
        f"{sandbox.root_url}/openapi.json", timeout=30
    )
    return loaded


@pytest.mark.timeout(120)
@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_documented_contract(
    case: schemathesis.Case[Any], sandbox: SandboxInfo
) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {sandbox.admin_api_key}"},
        checks=CHECKS,
        timeout=30,
    )
