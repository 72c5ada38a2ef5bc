"""Fixtures for the client tests: clients on the sandbox, fault control, a recording sleep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from xerotui.api.client import XeroClient
from xerotui.api.schema import Model
from xerotui.launcher import SandboxInfo, SandboxProcess

SYNTHETIC_MODELS = 150
# The session sandbox's fast timings (tests/conftest.py), for the second sandbox below.
FAST = ["--validation-seconds", "0.4", "--tokens-per-second", "2000", "--first-token-ms", "5"]

Faults = Callable[..., Awaitable[dict[str, Any]]]
ClientFactory = Callable[..., XeroClient]


@pytest.fixture
def slept() -> list[float]:
    """Every delay the clients asked to sleep, in order (no test ever really waits)."""
    return []


@pytest.fixture
async def make_client(sandbox: SandboxInfo, slept: list[float]) -> AsyncIterator[ClientFactory]:
    """Build clients on the sandbox (any key, any options); all closed after the test."""
    clients: list[XeroClient] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    def build(api_key: str | None = None, **kw: Any) -> XeroClient:
        kw.setdefault("sleep", sleep)
        base_url = kw.pop("base_url", sandbox.base_url)
        client = XeroClient(base_url, sandbox.api_key if api_key is None else api_key, **kw)
        clients.append(client)
        return client

    yield build
    for client in clients:
        await client.aclose()


@pytest.fixture
def client(make_client: ClientFactory) -> XeroClient:
    """A member-key client of proj_demo."""
    return make_client()


@pytest.fixture
def faults(sandbox: SandboxInfo) -> Faults:
    """`await faults(fail_next=2, error_status=503)`: merge fault settings in the sandbox."""

    async def set_faults(**settings: Any) -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=sandbox.root_url, timeout=10) as http:
            response = await http.post("/_sandbox/faults", json=settings)
            response.raise_for_status()
            data: dict[str, Any] = response.json()
            return data

    return set_faults


@pytest.fixture
def pick(client: XeroClient) -> Callable[..., Awaitable[Model]]:
    """`await pick(status="ready", is_shared=False)`: the newest seed model with those values."""

    async def first_with(**wanted: Any) -> Model:
        async for page in client.iter_models():
            for model in page.data:
                if all(getattr(model, k) == v for k, v in wanted.items()):
                    return model
        raise AssertionError(f"the seed has no model with {wanted}")

    return first_with


@pytest.fixture(scope="module")
def big_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInfo]:
    """A second sandbox with synthetic models added, for pagination past the 100 ceiling."""
    db = tmp_path_factory.mktemp("big-sandbox") / "sandbox.db"
    args = [*FAST, "--seed-models", str(SYNTHETIC_MODELS)]
    with SandboxProcess(Path(db), reset=True, extra_args=args) as info:
        yield info
