"""First run: nothing configured. The base URL + key form (checked, tested, saved 0600) and
the "Start the local sandbox" button (a real sandbox child on the isolated demo database)."""

from __future__ import annotations

import os
import socket
import stat
import tomllib
from collections.abc import Iterator

import pytest
from rich.text import Text
from textual.widgets import Input, Static
from tui_helpers import server_models, settle, wait_until

from xerotui.config import paths
from xerotui.config.settings import Settings
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.first_run import FirstRunScreen
from xerotui.tui.screens.models import ModelsScreen

UNKNOWN_KEY = "xero_proj_demo_nope"


@pytest.fixture
def dead_base_url() -> str:
    """A base URL on a loopback port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/proj_demo/v1"


@pytest.fixture
def first_run_app() -> Iterator[XeroApp]:
    """The app as `xerotui` builds it with nothing configured; any owned sandbox is stopped."""
    app = XeroApp(None, Settings(refresh_interval=0))
    app.animation_level = "none"
    try:
        yield app
    finally:
        app.stop_sandboxes()
    assert not app.unexpected_errors, app.unexpected_errors


def message(screen: FirstRunScreen) -> str:
    content = screen.query_one("#pf-message", Static).content
    return content.plain if isinstance(content, Text) else str(content)


def invalid_fields(screen: FirstRunScreen) -> list[str]:
    return [
        str(field.id) for field in screen.query(Input) if field.has_class("-invalid") and field.id
    ]


def value(screen: FirstRunScreen, field_id: str) -> str:
    return screen.query_one(f"#{field_id}", Input).value


async def fill(screen: FirstRunScreen, *, url: str, key: str, name: str | None = None) -> None:
    if name is not None:
        screen.query_one("#pf-name", Input).value = name
    screen.query_one("#pf-url", Input).value = url
    screen.query_one("#pf-key", Input).value = key


def first_run(app: XeroApp) -> FirstRunScreen:
    screen = app.screen
    assert isinstance(screen, FirstRunScreen), screen
    return screen


async def test_nothing_configured_shows_the_first_run_screen() -> None:
    app = XeroApp(None, Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = first_run(app)
        assert app.session is None
        assert screen.query_one("#start-sandbox").has_focus
        assert value(screen, "pf-name") == "default"
        assert value(screen, "pf-url") == ""
        assert screen.query_one("#pf-key", Input).password is True  # the key is never shown
        assert app.request_log.records() == []
    assert not app.unexpected_errors


@pytest.mark.parametrize(
    "url",
    [
        "127.0.0.1:8000/proj_demo/v1",  # no scheme
        "http://127.0.0.1:8000/proj_demo",  # no /v1
        "ftp://127.0.0.1/proj_demo/v1",  # wrong scheme
        "http://127.0.0.1:8000/proj_demo/v1?x=1",  # a query
    ],
)
async def test_a_base_url_of_the_wrong_shape_is_refused_before_anything_is_sent(
    first_run_app: XeroApp, url: str
) -> None:
    app = first_run_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = first_run(app)
        await fill(screen, url=url, key="xero_proj_demo_sandbox-member-key")
        await pilot.click("#pf-save")
        await settle(pilot)
        assert invalid_fields(screen) == ["pf-url"]
        assert "base URL must look like" in message(screen)
        assert "/proj_ABC123/v1" in message(screen)
        assert screen.query_one("#pf-url", Input).has_focus
        assert value(screen, "pf-url") == url  # kept as typed
        assert app.request_log.records() == []  # nothing sent
        assert not paths.config_file().exists()  # nothing saved
        assert app.screen is screen


async def test_a_reserved_profile_name_is_refused_on_the_name_field_before_anything_is_sent(
    first_run_app: XeroApp, sandbox: SandboxInfo
) -> None:
    app = first_run_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = first_run(app)
        await fill(screen, url=sandbox.base_url, key=sandbox.api_key, name="xeroctl:prod")
        await pilot.click("#pf-save")
        await settle(pilot)
        assert app.screen is screen
        assert not paths.config_file().exists()
        assert invalid_fields(screen) == ["pf-name"]
        assert app.request_log.records() == []


async def test_an_empty_key_is_refused_before_anything_is_sent(
    first_run_app: XeroApp, sandbox: SandboxInfo
) -> None:
    app = first_run_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = first_run(app)
        await fill(screen, url=sandbox.base_url, key="")
        await pilot.click("#pf-save")
        await settle(pilot)
        assert invalid_fields(screen) == ["pf-key"]
        assert message(screen) == "Enter the API key."
        assert screen.query_one("#pf-key", Input).has_focus
        assert app.request_log.records() == []
        assert not paths.config_file().exists()


async def test_a_refused_key_is_shown_on_the_key_field_and_nothing_is_saved(
    first_run_app: XeroApp, sandbox: SandboxInfo
) -> None:
    app = first_run_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = first_run(app)
        await fill(screen, url=sandbox.base_url, key=UNKNOWN_KEY, name="work")
        screen.query_one("#pf-key", Input).focus()
        await pilot.press("enter")  # enter in a field submits the form too
        await settle(pilot)
        assert app.screen is screen
        assert invalid_fields(screen) == ["pf-key"]
        records = app.request_log.records()
        assert [(r.method, r.endpoint_key, r.status) for r in records] == [
            ("GET", "models.list", 401)
        ]
        request_id = records[0].request_id
        assert request_id
        text = message(screen)
        assert text == (
            f"Authentication failed: Invalid API key "
            f"(code invalid_api_key · HTTP 401 · request {request_id})"
        )
        # the typed values stay
        assert (value(screen, "pf-name"), value(screen, "pf-url"), value(screen, "pf-key")) == (
            "work",
            sandbox.base_url,
            UNKNOWN_KEY,
        )
        assert not paths.config_file().exists()
        assert app.session is None
        assert UNKNOWN_KEY not in text  # never the whole key
        # the button is usable again
        assert screen.query_one("#pf-save").disabled is False


async def test_an_unreachable_server_is_shown_on_the_url_field(
    first_run_app: XeroApp, dead_base_url: str
) -> None:
    app = first_run_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = first_run(app)
        await fill(screen, url=dead_base_url, key="xero_proj_demo_sandbox-member-key")
        await pilot.click("#pf-save")
        await wait_until(pilot, lambda: invalid_fields(screen) != [], what="the connection failure")
        await settle(pilot)
        assert invalid_fields(screen) == ["pf-url"]
        assert message(screen).startswith("Cannot reach the server: ")
        assert app.screen is screen
        assert not paths.config_file().exists()
        assert app.session is None
        assert all(r.status is None for r in app.request_log.records())


async def test_the_right_url_and_key_are_saved_0600_and_open_the_models(
    first_run_app: XeroApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    app = first_run_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = first_run(app)
        await fill(screen, url=sandbox.base_url + "/", key=f"  {sandbox.api_key} ", name="local")
        await pilot.click("#pf-save")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ModelsScreen), what="the models screen"
        )
        await settle(pilot)
        models = app.screen
        assert isinstance(models, ModelsScreen)
        assert [m.id for m in models.table.models] == [m["id"] for m in truth]
        assert app.session is not None
        assert (app.session.profile, app.session.base_url) == ("local", sandbox.base_url)
        assert app.session.api_key == sandbox.api_key
        assert not any(isinstance(s, FirstRunScreen) for s in app.screen_stack)

    config = paths.config_file()
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    document = tomllib.loads(config.read_text())
    assert document["current_profile"] == "local"
    assert document["profiles"] == {
        "local": {"base_url": sandbox.base_url, "api_key": sandbox.api_key}
    }


async def test_start_the_local_sandbox_runs_a_child_and_connects_as_demo(
    first_run_app: XeroApp,
) -> None:
    app = first_run_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first_run(app)
        await pilot.click("#start-sandbox")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ModelsScreen) and app.session is not None,
            seconds=60,
            what="the sandbox to start and the models screen to open",
        )
        await settle(pilot)
        [process] = app.sandboxes
        assert process.running
        assert process.db == paths.demo_db()
        assert paths.demo_db().exists()
        assert str(paths.demo_db()).startswith(os.environ["XEROTUI_HOME"])
        assert process.info is not None
        session = app.session
        assert session is not None
        assert session.profile == "demo"
        assert session.base_url == process.info.base_url
        assert session.base_url.startswith("http://127.0.0.1:")
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        assert screen.table.row_count == 43
        assert len(session.inventory) == 43

    pid = process.pid
    assert pid is not None
    process.stop()
    assert not process.running
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
