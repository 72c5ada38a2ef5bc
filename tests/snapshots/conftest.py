"""Snapshot fixtures: a sandbox on an ephemeral port (the URLs on screen do not depend on it:
see snapshot_helpers.app_on), and `--screenshots DIR`, which also writes each scenario's SVG
there (`make screenshots`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sandbox_reset import reset_sandbox
from textual.pilot import Pilot

from xerotui.launcher import SandboxInfo, SandboxProcess
from xerotui.tui.app import XeroApp

RunBefore = Callable[[Pilot[Any]], Awaitable[None]]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        metavar="DIR",
        default=None,
        help="also write every snapshot scenario as DIR/<name>.svg",
    )


@pytest.fixture(scope="session")
def snapshot_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInfo]:
    """Validation never finishes here, so the seeded `validating` model stays validating."""
    db = tmp_path_factory.mktemp("snapshot-sandbox") / "snap.db"
    args = ["--validation-seconds", "86400"]
    with SandboxProcess(db, extra_args=args) as info:
        yield info


@pytest.fixture
def snap_sandbox(snapshot_server: SandboxInfo) -> SandboxInfo:
    reset_sandbox(snapshot_server)
    return snapshot_server


@pytest.fixture
def snap(snap_compare: Callable[..., bool], request: pytest.FixtureRequest) -> Callable[..., bool]:
    """snap(app, name, size=(120, 40), run_before=...) — compare, and maybe save a screenshot."""
    out = request.config.getoption("--screenshots")

    def compare(
        app: XeroApp,
        name: str,
        *,
        size: tuple[int, int] = (120, 40),
        run_before: RunBefore | None = None,
    ) -> bool:
        async def before(pilot: Pilot[Any]) -> None:
            if run_before is not None:
                await run_before(pilot)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            if out:
                await pilot.wait_for_scheduled_animations()
                path = Path(out) / f"{name}.svg"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(pilot.app.export_screenshot(title=f"xerotui — {name}"))

        ok = snap_compare(app, terminal_size=size, run_before=before)
        assert not app.unexpected_errors, app.unexpected_errors
        return ok

    return compare
