"""A key pressed again while its screen is still being read opens it once: `e e` on a slow
server is one GET and one edit form, not two stacked forms."""

from __future__ import annotations

from tui_helpers import MakeApp, settle, wait_until
from tui_probe import SIZE, set_faults

from xerotui.launcher import SandboxInfo
from xerotui.tui.screens.edit_model import EditModelScreen


async def test_e_pressed_twice_while_reading_opens_one_form(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        model_id = app.feed.highlighted
        assert model_id is not None
        await set_faults(sandbox, latency_ms=400, methods=["GET"])
        try:
            await pilot.press("e", "e")
            await wait_until(
                pilot, lambda: isinstance(app.screen, EditModelScreen), what="the edit form"
            )
            await app.workers.wait_for_complete()
            await pilot.pause()
        finally:
            await set_faults(sandbox, latency_ms=0)
        forms = [s for s in app.screen_stack if isinstance(s, EditModelScreen)]
        assert len(forms) == 1
        reads = [
            r
            for r in app.request_log.records()
            if r.method == "GET" and r.url.rstrip("/").endswith(model_id)
        ]
        assert len(reads) == 1
        assert app.actions.opening == set()
    assert not app.unexpected_errors
