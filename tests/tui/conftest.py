"""Fixtures for driving the real app with Pilot against the sandbox over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tui_helpers import MakeApp, build_app

from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp


@pytest.fixture
def make_app(sandbox: SandboxInfo) -> Iterator[MakeApp]:
    """Build apps on the fresh sandbox; after the test, none may have hit an unexpected error."""
    apps: list[XeroApp] = []

    def make(**kwargs: Any) -> XeroApp:
        app = build_app(sandbox, **kwargs)
        apps.append(app)
        return app

    yield make
    for app in apps:
        assert not app.unexpected_errors, app.unexpected_errors


@pytest.fixture(scope="session")
def big_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInfo]:
    """A second sandbox with 250 synthetic models on top of the seed, for paging."""
    from xerotui.launcher import SandboxProcess

    db = tmp_path_factory.mktemp("big-sandbox") / "big.db"
    with SandboxProcess(db, extra_args=["--seed-models", "250"]) as info:
        yield info
