"""Fixtures for driving the real app with Pilot against the sandbox over real HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from xerotui.api.requestlog import RequestLog
from xerotui.config.settings import Settings
from xerotui.sandbox.process import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.session import open_session

MakeApp = Callable[..., XeroApp]


def build_app(
    info: SandboxInfo,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    settings: Settings | None = None,
    animations: bool = False,
) -> XeroApp:
    """The app as `xerotui --base-url ... --api-key ...` would build it."""
    log = RequestLog()
    session = open_session(
        base_url or info.base_url,
        api_key or info.api_key,
        profile="test",
        origin="sandbox fixture",
        log=log,
    )
    app = XeroApp(session, settings or Settings(refresh_interval=0), request_log=log)
    if not animations:
        app.animation_level = "none"
    return app


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
    from xerotui.sandbox.process import SandboxProcess

    db = tmp_path_factory.mktemp("big-sandbox") / "big.db"
    with SandboxProcess(db, extra_args=["--seed-models", "250"]) as info:
        yield info
