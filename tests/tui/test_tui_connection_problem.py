"""Server unreachable or key refused at load time: a screen with the reason and retry."""

from __future__ import annotations

from textual.pilot import Pilot
from tui_conn_helpers import clear_faults, dead_base_url, fields, set_faults, text_of
from tui_helpers import MakeApp, server_models, settle, wait_until

from xerotui.api.masking import mask_key
from xerotui.config.profiles import ProfileStore
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.connection import ConnectionScreen
from xerotui.tui.screens.connection_problem import ConnectionProblemScreen
from xerotui.tui.screens.models import ModelsScreen

UNKNOWN_KEY = "xero_proj_demo_nope"


def problem_screens(app: XeroApp) -> list[ConnectionProblemScreen]:
    return [s for s in app.screen_stack if isinstance(s, ConnectionProblemScreen)]


async def wait_for_problem(app: XeroApp, pilot: Pilot[None]) -> ConnectionProblemScreen:
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, ConnectionProblemScreen) and app.screen.is_mounted,
        seconds=30,
        what="the connection problem screen",
    )
    await pilot.pause()  # its on_mount has filled it in
    screen = app.screen
    assert isinstance(screen, ConnectionProblemScreen)
    return screen


def facts(screen: ConnectionProblemScreen) -> dict[str, str]:
    return fields(screen.query_one("#problem-facts"))


async def test_unreachable_server_shows_the_reason_and_retry_keeps_one_screen(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    url = dead_base_url()
    app = make_app(base_url=url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_problem(app, pilot)
        await settle(pilot)
        assert text_of(screen.query_one("#problem-title")) == "Cannot reach the server"
        assert text_of(screen.query_one("#problem-message")).startswith("Could not reach 127.0.0.1")
        shown = facts(screen)
        assert shown["Base URL"] == url
        assert shown["API key"] == mask_key(sandbox.api_key)
        assert shown["API key"] == "xero_proj_demo_••••-key"
        assert shown["HTTP status"] == "no response"
        assert shown["Profile"] == "test (test fixture)"
        assert sandbox.api_key not in text_of(screen.query_one("#problem-facts"))
        assert "Is the server running" in text_of(screen.query_one("#problem-advice"))
        # every attempt of the client was made and logged, none got an answer
        records = app.request_log.records()
        assert [r.attempt for r in records] == [1, 2, 3, 4]
        assert all(r.status is None for r in records)
        assert app.is_running
        assert len(problem_screens(app)) == 1
        assert app.link.kind == "error"
        assert app.link.detail == "unreachable"
        first_error = screen.error

        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: (
                len(app.request_log.records()) == 8
                and isinstance(app.screen, ConnectionProblemScreen)
                and app.screen.error is not first_error
            ),
            seconds=30,
            what="the retry's four attempts and the problem screen again",
        )
        await settle(pilot)
        again = app.screen
        assert isinstance(again, ConnectionProblemScreen)
        assert again.error is not first_error  # the screen shows the new failure
        assert text_of(again.query_one("#problem-title")) == "Cannot reach the server"
        assert len(problem_screens(app)) == 1
        assert app.is_running
    assert not app.unexpected_errors


async def test_refused_key_says_authentication_failed_with_code_and_request_id(
    make_app: MakeApp,
) -> None:
    app = make_app(api_key=UNKNOWN_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_problem(app, pilot)
        await settle(pilot)
        records = app.request_log.records()
        assert [(r.endpoint_key, r.status, r.error_code) for r in records] == [
            ("models.list", 401, "invalid_api_key")
        ]
        assert text_of(screen.query_one("#problem-title")) == "Authentication failed"
        assert text_of(screen.query_one("#problem-message")) == "Invalid API key"
        shown = facts(screen)
        assert shown["Error code"] == "invalid_api_key"
        assert shown["HTTP status"] == "401"
        assert shown["Request id"] == records[0].request_id
        assert shown["API key"] == mask_key(UNKNOWN_KEY)
        assert UNKNOWN_KEY not in text_of(screen.query_one("#problem-facts"))
        assert "does not accept this API key" in text_of(screen.query_one("#problem-advice"))
        assert app.link.detail == "key refused"
        assert app.is_running


async def test_a_base_url_that_is_not_the_xerotier_api_says_so(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    """Something answers 404 to the model list: almost always a wrong base URL."""
    wrong = f"{sandbox.root_url}/no/such/place/v1"  # no route has three segments here
    app = make_app(base_url=wrong)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_problem(app, pilot)
        await settle(pilot)
        assert text_of(screen.query_one("#problem-title")) == "Not found"
        assert facts(screen)["HTTP status"] == "404"
        assert facts(screen)["Base URL"] == wrong
        assert "base URL is probably wrong" in text_of(screen.query_one("#problem-advice"))
        assert app.link.kind == "error"
        assert app.link.detail == "wrong base URL?"
        assert app.is_running


async def test_another_projects_key_is_a_403_project_mismatch(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app(api_key=sandbox.other_api_key)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_problem(app, pilot)
        await settle(pilot)
        records = app.request_log.records()
        assert [(r.status, r.error_code) for r in records] == [(403, "project_mismatch")]
        assert text_of(screen.query_one("#problem-title")) == "Wrong project for this key"
        shown = facts(screen)
        assert shown["Error code"] == "project_mismatch"
        assert shown["HTTP status"] == "403"
        assert shown["Request id"] == records[0].request_id
        assert shown["API key"] == "xero_proj_other_••••-key"
        assert "belongs to another project" in text_of(screen.query_one("#problem-advice"))


async def test_retry_succeeds_once_dropped_connections_stop(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    # every attempt the client makes (RetryPolicy.max_attempts = 4) is cut
    set_faults(sandbox, drop_next=4, path_contains="/models")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_problem(app, pilot)
        assert text_of(screen.query_one("#problem-title")) == "Cannot reach the server"
        assert [r.attempt for r in app.request_log.records()] == [1, 2, 3, 4]
        clear_faults(sandbox)
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ModelsScreen) and app.screen.table.row_count > 0,
            seconds=30,
            what="the models table after the retry",
        )
        await settle(pilot)
        models = app.screen
        assert isinstance(models, ModelsScreen)
        assert [m.id for m in models.table.models] == [m["id"] for m in truth]
        assert problem_screens(app) == []
        assert app.link.kind == "connected"


async def test_retry_succeeds_after_503s_outlast_the_client_retries(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    set_faults(sandbox, fail_next=4, error_status=503, methods=["GET"], path_contains="/models")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: len(app.request_log.records()) == 4,
            seconds=30,
            what="the four failed attempts",
        )
        await settle(pilot)
        assert [r.status for r in app.request_log.records()] == [503] * 4
        screen = app.screen
        assert isinstance(screen, ConnectionProblemScreen)
        clear_faults(sandbox)
        await pilot.press("r")
        await settle(pilot)
        models = app.screen
        assert isinstance(models, ModelsScreen)
        assert [m.id for m in models.table.models] == [m["id"] for m in truth]


async def test_b_goes_from_the_problem_screen_to_the_connection_screen(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    url = dead_base_url()
    app = make_app(base_url=url)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_problem(app, pilot)
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectionScreen)
        assert problem_screens(app) == []
        current = fields(screen.query_one("#conn-current"))
        assert current["Base URL"] == url
        assert current["API key"] == mask_key(sandbox.api_key)
        assert app.is_running


async def test_from_the_problem_screen_a_working_profile_recovers(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    ProfileStore().save_profile("good", sandbox.base_url, sandbox.api_key, make_current=False)
    app = make_app(base_url=dead_base_url())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_problem(app, pilot)
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectionScreen)
        assert [p.name for p in screen.profiles] == ["good"]
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, ModelsScreen)
                and app.session is not None
                and app.session.profile == "good"
                and app.screen.table.row_count > 0
            ),
            seconds=20,
            what="the models of the working profile",
        )
        await settle(pilot)
        models = app.screen
        assert isinstance(models, ModelsScreen)
        assert [m.id for m in models.table.models] == [m["id"] for m in truth]
        assert problem_screens(app) == []
        assert app.link.kind == "connected"
        assert app.link.profile == "good"
