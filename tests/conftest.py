"""Test isolation and the shared sandbox.

- Every test runs with HOME, XDG dirs and XEROTUI_HOME in a temporary directory, no
  XEROTIER_* variables, TZ=UTC, and a socket guard that refuses any host but 127.0.0.1.
- `sandbox_server` is one real sandbox child process (uvicorn on an ephemeral port) for the
  whole session; `sandbox` resets its data and faults before the test that asks for it.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sandbox_reset import reset_sandbox

from xerotui.launcher import SandboxInfo, SandboxProcess

LOOPBACK = {"127.0.0.1", "::1", "localhost"}

# Fast timings so revalidation and streaming tests do not wait long.
SANDBOX_ARGS = [
    "--validation-seconds",
    "0.4",
    "--tokens-per-second",
    "2000",
    "--first-token-ms",
    "5",
]


@pytest.fixture(autouse=True)
def _isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XEROTUI_HOME", str(tmp_path / "xerotui-home"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for var in ("XEROTIER_BASE_URL", "XEROTIER_API_KEY", "XEROTUI_PROFILE"):
        monkeypatch.delenv(var, raising=False)


def _guarded_connect(original: Any) -> Any:
    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            if host not in LOOPBACK:
                raise ConnectionRefusedError(f"tests may only contact 127.0.0.1, not {host}")
        return original(self, address)

    return connect


@pytest.fixture(autouse=True, scope="session")
def _loopback_only() -> Iterator[None]:
    original = socket.socket.connect
    original_ex = socket.socket.connect_ex
    socket.socket.connect = _guarded_connect(original)  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect(original_ex)  # type: ignore[method-assign]
    yield
    socket.socket.connect = original  # type: ignore[method-assign]
    socket.socket.connect_ex = original_ex  # type: ignore[method-assign]


@pytest.fixture(scope="session", autouse=True)
def _utc() -> None:
    os.environ["TZ"] = "UTC"
    time.tzset()


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInfo]:
    """One sandbox child for the session, over real loopback HTTP."""
    db = tmp_path_factory.mktemp("sandbox") / "sandbox.db"
    with SandboxProcess(db, extra_args=SANDBOX_ARGS) as info:
        yield info


@pytest.fixture
def sandbox(sandbox_server: SandboxInfo) -> SandboxInfo:
    """The session sandbox with fresh seed data and no faults."""
    reset_sandbox(sandbox_server)
    return sandbox_server
