"""No piece of the API key's secret shows on any screen, in a toast, in a copy or in the API
log — with a key whose project part contains `_` (the case the old masking got wrong)."""

from __future__ import annotations

from typing import Any

from key_leaks import assert_no_secret_run
from textual.pilot import Pilot
from tui_helpers import MakeApp, settle
from tui_probe import SIZE

from xerotui.launcher import SandboxInfo

SECRET_OF_THE_SANDBOX = "sandbox-member-key"


def everything_shown(pilot: Pilot[Any]) -> str:
    """What the terminal shows now (the whole screen, modals included) and the clipboard."""
    return pilot.app.export_screenshot() + "\n" + (pilot.app.clipboard or "")


async def test_no_screen_shows_or_copies_a_piece_of_the_secret(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    key = sandbox.api_key
    secret = key.removeprefix("xero_proj_demo_")
    assert secret == SECRET_OF_THE_SANDBOX
    app = make_app()
    seen: list[str] = []
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        steps: list[tuple[str, ...]] = [
            ("Y",),  # copy as curl (masked)
            ("enter",),  # the detail
            ("Y",),
            ("escape", "g", "o"),  # overview: the connection panel
            ("g", "b"),  # connection: base URL, masked key, profiles
            ("g", "e"),  # API log: the request detail shows the masked key
            ("g", "t"),
            ("question_mark",),
            ("escape", "ctrl+p"),
        ]
        for keys in steps:
            await pilot.press(*keys)
            await settle(pilot)
            seen.append(everything_shown(pilot))
        await pilot.press("escape")
        for record in app.request_log.records():
            seen.append(repr(record))
    for text in seen:
        assert_no_secret_run(text, secret)
    assert "xero_proj_demo_••••-key" in "\n".join(seen)  # the masked form is what shows
