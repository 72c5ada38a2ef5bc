"""The safety net: a bug opens the error modal and the app carries on; API errors are toasts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from tui_helpers import MakeApp, current_screen, server_models, settle, wait_until
from tui_probe import SIZE, set_faults, toasts, wait_toast, widget_text

from xerotui.api.errors import NotFoundError
from xerotui.launcher import SandboxInfo
from xerotui.tui.screens.error_screen import ErrorScreen
from xerotui.tui.screens.model_detail import ModelDetailScreen
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.widgets.model_grid import ModelGrid


class Boom(RuntimeError):
    pass


def modal_text(modal: ErrorScreen) -> str:
    """What the error modal paints (empty until it has been laid out)."""
    return "\n".join(widget_text(w) for w in modal.query("Static"))


def explode(*_args: object, **_kwargs: object) -> None:
    raise Boom("the wide toggle broke")


async def poll(condition: Callable[[], bool], *, seconds: float = 3.0, what: str = "") -> None:
    """Wait for `condition` with plain sleeps: unlike Pilot.pause/press this does not wait
    for the app to drain its message queues, so it reports a stalled app instead of hanging."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def test_an_exception_in_a_key_handler_opens_the_error_screen(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ModelsScreen, "action_wide", explode)
    app = make_app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.simulate_key("w")  # posted without waiting (see poll)
            await poll(lambda: isinstance(app.screen, ErrorScreen), what="the error modal")
            modal = app.screen
            assert isinstance(modal, ErrorScreen)
            assert [type(e) for e in app.unexpected_errors] == [Boom]
            assert isinstance(modal.error, Boom)
            assert "explode" in modal.trace  # the traceback names where it happened
            assert "Boom: the wide toggle broke" in modal.trace
    finally:
        app.unexpected_errors.clear()  # seen: the fixture's check is for unseen ones


async def test_after_an_error_in_a_key_handler_the_app_keeps_working(
    make_app: MakeApp, sandbox: SandboxInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    truth = await server_models(sandbox)
    monkeypatch.setattr(ModelsScreen, "action_wide", explode)
    app = make_app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            models = app.screen
            assert isinstance(models, ModelsScreen)
            app.simulate_key("w")
            await poll(lambda: isinstance(app.screen, ErrorScreen), what="the error modal")
            modal = app.screen
            assert isinstance(modal, ErrorScreen)
            assert app.is_running
            await poll(
                lambda: "Unexpected error" in modal_text(modal), what="the modal to be drawn"
            )
            text = modal_text(modal)
            assert "Boom: the wide toggle broke" in text
            assert "This is a bug in xerotui" in text
            app.simulate_key("escape")
            await poll(lambda: app.screen is models, what="esc to close the modal")
            # keys still work (sorting keeps the cursor on its model), and so does the network
            highlighted = models.table.highlighted_id
            await pilot.press("s")
            assert models.sort == "id"
            assert [m.id for m in models.view] == sorted(m["id"] for m in truth)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ModelDetailScreen)
            assert app.screen.loaded
            assert app.screen.model_id == highlighted
            # a second failure is caught the same way
            await pilot.press("escape", "w")
            await poll(lambda: isinstance(app.screen, ErrorScreen), what="a second modal")
            assert len(app.unexpected_errors) == 2
            second = current_screen(app)
            assert isinstance(second, ErrorScreen)
            await pilot.press("c")
            assert app.clipboard == second.trace
            await pilot.press("escape")
            assert current_screen(app) is models
    finally:
        app.unexpected_errors.clear()


async def test_after_an_error_in_a_screen_handler_the_screen_still_works(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    failures: list[str] = []

    def on_resize_once(self: ModelsScreen, *args: object) -> None:
        if not failures:  # a one-off failure
            failures.append("resize")
            raise Boom("resize bug")

    app = make_app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            models = app.screen
            assert isinstance(models, ModelsScreen)
            monkeypatch.setattr(ModelsScreen, "on_resize", on_resize_once, raising=False)
            await pilot.resize_terminal(110, 40)
            await poll(lambda: isinstance(app.screen, ErrorScreen), what="the error modal")
            assert [type(e) for e in app.unexpected_errors] == [Boom]
            app.simulate_key("escape")
            await poll(lambda: app.screen is models, what="esc to close the modal")
            await poll(lambda: bool(models.query(ModelGrid)), what="the table to be there")
            before = app.feed.highlighted
            app.simulate_key("down")
            await poll(
                lambda: app.feed.highlighted not in (None, before),
                what="the highlight to follow the cursor",
            )
    finally:
        app.unexpected_errors.clear()


async def test_an_unexpected_error_in_a_worker_opens_the_modal(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen

        async def broken() -> None:
            raise Boom("worker bug")

        try:
            # settle() would re-raise the worker's error (WorkerManager.wait_for_complete)
            screen.run_worker(broken(), exit_on_error=False, description="Doing a thing")
            await wait_until(
                pilot, lambda: isinstance(app.screen, ErrorScreen), what="the error modal"
            )
            modal = app.screen
            assert isinstance(modal, ErrorScreen)

            await wait_until(
                pilot,
                lambda: "While doing a thing: Boom: worker bug" in modal_text(modal),
                what="the modal's text",
            )
            await pilot.press("escape")
            assert app.screen is screen
            assert [type(e) for e in app.unexpected_errors] == [Boom]
            await pilot.press("w")  # the app goes on
            assert isinstance(screen, ModelsScreen)
            assert screen.wide is True
        finally:
            app.unexpected_errors.clear()


async def test_a_xero_error_from_the_server_is_a_toast_not_a_modal(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        models = app.screen
        await set_faults(sandbox, fail_next=1, error_status=500, methods=["GET"])
        await pilot.press("ctrl+r")
        await settle(pilot)
        severity, text = await wait_toast(pilot, "Internal server error (injected fault)")
        assert severity == "error"
        title, message, detail = text.split("\n")
        assert title == "Server error"
        assert message == "Refreshing models: Internal server error (injected fault)"
        assert detail.startswith("code internal_error · HTTP 500 · request req_")
        assert app.screen_stack == [models]
        assert not app.unexpected_errors
        # the table keeps its rows and the next refresh works
        assert isinstance(models, ModelsScreen)
        rows = models.table.row_count
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert models.table.row_count == rows
        assert [t for t in toasts(app) if t[0] == "error"] == [(severity, text)]


async def test_a_xero_error_escaping_a_worker_is_a_toast(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen

        async def lookup() -> None:
            raise NotFoundError(
                "Model not found", code="model_not_found", status=404, request_id="req_x"
            )

        screen.run_worker(lookup(), exit_on_error=False, description="Looking up")
        _, text = await wait_toast(pilot, "Model not found", severity="error")
        assert text == (
            "Not found\nLooking up: Model not found\n"
            "code model_not_found · HTTP 404 · request req_x"
        )
        assert app.screen is screen
        assert not app.unexpected_errors


async def test_an_error_in_an_after_refresh_callback_keeps_the_app_running(
    make_app: MakeApp,
) -> None:
    """Idle callbacks are outside message and action dispatch: the last-resort handler must
    still keep the app alive (a closed screen's footer rebuild once ended the app)."""
    app = make_app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            models = app.screen
            assert isinstance(models, ModelsScreen)
            models.call_after_refresh(explode)
            models.refresh()
            await poll(lambda: isinstance(app.screen, ErrorScreen), what="the error modal")
            assert app.is_running
            app.simulate_key("escape")
            await poll(lambda: app.screen is models, what="esc to close the modal")
            await pilot.press("g", "o")  # the app still answers keys
            await settle(pilot)
            assert app.screen.__class__.__name__ == "OverviewScreen"
    finally:
        app.unexpected_errors.clear()


async def test_a_failing_settings_write_is_reported_not_lost(make_app: MakeApp) -> None:
    """The app's own workers (saving settings) report their errors like a screen's do."""
    from xerotui.config import paths

    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        config = paths.config_file()
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text("[settings\nwide_columns = true\n")  # broken by hand meanwhile
        await pilot.press("w")
        _severity, text = await wait_toast(pilot, "Configuration problem", severity="error")
        assert "config.toml, line 1" in text
        assert config.read_text().startswith("[settings\n")  # nothing overwritten
