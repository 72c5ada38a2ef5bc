"""Fixtures for the sandbox tests: authenticated httpx clients and runtime faults."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sandbox_helpers import client

from xerotui.launcher import SandboxInfo


@pytest.fixture
def api(sandbox: SandboxInfo) -> Iterator[httpx.Client]:
    """`.../proj_demo/v1` with the member key."""
    with client(sandbox.base_url, sandbox.api_key) as http:
        yield http


@pytest.fixture
def admin(sandbox: SandboxInfo) -> Iterator[httpx.Client]:
    """`.../proj_demo/v1` with the admin key."""
    with client(sandbox.base_url, sandbox.admin_api_key) as http:
        yield http


@pytest.fixture
def root(sandbox: SandboxInfo) -> Iterator[httpx.Client]:
    """The server root with the member key (control routes, endpoint paths)."""
    with client(sandbox.root_url, sandbox.api_key) as http:
        yield http


@pytest.fixture
def faults(root: httpx.Client) -> Callable[..., dict[str, Any]]:
    """Set faults at runtime: ``faults(fail_next=1, methods=["PATCH"])``."""

    def set_faults(**settings: Any) -> dict[str, Any]:
        response = root.post("/_sandbox/faults", json=settings)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    return set_faults
