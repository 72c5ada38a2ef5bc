"""Connection (`g b`): base URL, project, masked key, profiles (xeroctl's and xerotui's),
switch profile, test connection, add a profile."""

from __future__ import annotations

import re
import stat
import tomllib
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input
from tui_conn_helpers import dead_base_url, fields, text_of
from tui_helpers import MakeApp, click_button, current_screen, server_models, settle, wait_until
from tui_probe import toasts

from xerotui.api.masking import mask_key
from xerotui.config import paths
from xerotui.config.profiles import ProfileStore
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.connection import ConnectionScreen
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.screens.profile_form_screen import ProfileFormScreen
from xerotui.tui.widgets.status_header import StatusHeader

DEAD_KEY = "xero_proj_demo_dead-profile-key"


@pytest.fixture
def profiles(sandbox: SandboxInfo) -> dict[str, str]:
    """xeroctl's config (current + three deployments) and one xerotui profile, isolated."""
    dead = dead_base_url()
    xeroctl = paths.xeroctl_config_file()
    assert str(xeroctl).startswith(str(Path.home()))  # the isolated HOME of the test
    xeroctl.parent.mkdir(parents=True)
    xeroctl.write_text(
        f"""current = "work"
output = "table"

[deployment.work]
base_url = "{sandbox.base_url}"
api_key = "{sandbox.admin_api_key}"

[deployment.gone]
base_url = "{dead}"
api_key = "{DEAD_KEY}"

[deployment.locked]
base_url = "{sandbox.base_url}"
api_key_keychain = "xeroctl-locked"
"""
    )
    ProfileStore().save_profile("mine", sandbox.base_url, sandbox.api_key, make_current=False)
    return {"dead": dead}


def cells(screen: ConnectionScreen) -> list[list[str]]:
    table = screen.table
    return [
        [c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


def current(screen: ConnectionScreen) -> dict[str, str]:
    return fields(screen.query_one("#conn-current"))


def notifications(app: XeroApp) -> list[tuple[str, str, str]]:
    """(title, message, severity) of each toast on screen (read from the toasts themselves)."""
    shown = []
    for severity, text in toasts(app):
        title, _, message = text.partition("\n")
        shown.append((title, message, severity))
    return shown


async def open_connection(app: XeroApp, pilot: Pilot[None]) -> ConnectionScreen:
    await settle(pilot)
    await pilot.press("g", "b")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ConnectionScreen), screen
    return screen


async def choose(pilot: Pilot[None], screen: ConnectionScreen, name: str) -> None:
    """Put the table cursor on the profile called `name`."""
    index = [p.name for p in screen.profiles].index(name)
    screen.table.move_cursor(row=index)
    await pilot.pause()
    selected = screen.selected()
    assert selected is not None
    assert selected.name == name


async def test_current_connection_with_the_key_masked_until_k(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_connection(app, pilot)
        shown = current(screen)
        assert shown["Profile"] == "test"
        assert shown["Origin"] == "test fixture"
        assert shown["Base URL"] == sandbox.base_url
        assert shown["Project"] == "proj_demo"
        assert shown["API key"] == mask_key(sandbox.api_key) == "xero_proj_demo_••••-key"
        assert shown["Test"] == "not tested yet — press t"
        assert sandbox.api_key not in text_of(screen.query_one("#conn-current"))

        await pilot.press("k")
        assert current(screen)["API key"] == sandbox.api_key
        await pilot.press("k")
        assert current(screen)["API key"] == "xero_proj_demo_••••-key"
        assert sandbox.api_key not in text_of(screen.query_one("#conn-current"))
    assert not app.unexpected_errors


async def test_profiles_of_both_files_are_listed_with_their_source(
    make_app: MakeApp, sandbox: SandboxInfo, profiles: dict[str, str]
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_connection(app, pilot)
        rows = cells(screen)
        assert rows == [
            [" ", "mine", "xerotui", sandbox.base_url, mask_key(sandbox.api_key)],
            [" ", "work", "xeroctl", sandbox.base_url, mask_key(sandbox.admin_api_key)],
            [" ", "gone", "xeroctl", profiles["dead"], mask_key(DEAD_KEY)],
            [" ", "locked", "xeroctl", sandbox.base_url, "keychain: xeroctl-locked"],
        ]
        assert screen.current_name == "work"  # xeroctl's `current`
        title = text_of(screen.query_one("#conn-profiles-title"))
        assert title.startswith("Profiles  4 from xerotui's config.toml and xeroctl's config.toml")
        table_text = "\n".join(" ".join(r) for r in rows)
        for key in (sandbox.api_key, sandbox.admin_api_key, DEAD_KEY):
            assert key not in table_text
    assert not app.unexpected_errors


async def test_t_tests_the_connection(make_app: MakeApp, sandbox: SandboxInfo) -> None:
    total = len(await server_models(sandbox))
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_connection(app, pilot)
        before = len(app.request_log.records())
        await pilot.press("t")
        await settle(pilot)
        result = current(screen)["Test"]
        match = re.fullmatch(r"OK · (\d+) ms · key accepted for (\S+) · (\d+) models", result)
        assert match, result
        assert match.group(2) == "proj_demo"
        assert int(match.group(3)) == total == 43
        new = app.request_log.records()[before:]
        assert [(r.endpoint_key, r.query, r.status) for r in new] == [
            ("models.list", "limit=1&offset=0&extended=true", 200)
        ]
    assert not app.unexpected_errors


async def test_t_reports_a_refused_key_on_the_screen(make_app: MakeApp) -> None:
    app = make_app(api_key="xero_proj_demo_nope")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b")  # from the connection problem screen
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectionScreen)
        await pilot.press("t")
        await settle(pilot)
        record = app.request_log.records()[-1]
        assert current(screen)["Test"] == (
            f"Authentication failed: Invalid API key · code invalid_api_key · HTTP 401 · "
            f"request {record.request_id}"
        )
    assert not app.unexpected_errors


async def test_enter_on_a_working_profile_switches_the_session(
    make_app: MakeApp, sandbox: SandboxInfo, profiles: dict[str, str]
) -> None:
    truth = await server_models(sandbox)
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        screen = await open_connection(app, pilot)
        old = app.session
        assert old is not None
        await choose(pilot, screen, "work")
        before = len(app.request_log.records())
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: app.session is not old and isinstance(app.screen, ModelsScreen),
            seconds=20,
            what="the profile switch",
        )
        await settle(pilot)
        session = app.session
        assert session is not None
        assert (session.profile, session.base_url) == ("work", sandbox.base_url)
        assert session.api_key == sandbox.admin_api_key
        assert session.origin == "profile work (xeroctl)"
        assert old.client.is_closed
        # the header says so, the models were reloaded with the new key
        header = text_of(app.screen.query_one(StatusHeader).query_one("#link"))
        assert header.startswith("work · proj_demo · ")
        assert app.link.profile == "work"
        models = app.screen
        assert isinstance(models, ModelsScreen)
        assert [m.id for m in models.table.models] == [m["id"] for m in truth]
        reloads = [
            r
            for r in app.request_log.records()[before:]
            if r.endpoint_key == "models.list" and r.query.startswith("limit=100")
        ]
        assert [r.status for r in reloads] == [200]
        assert ("Profile switched", "Now using profile work", "information") in notifications(app)
        # back on the connection screen, the new profile is the current one
        await pilot.press("g", "b")
        await settle(pilot)
        assert isinstance(app.screen, ConnectionScreen)
        shown = current(app.screen)
        assert shown["Profile"] == "work"
        assert shown["API key"] == mask_key(sandbox.admin_api_key)
    assert not app.unexpected_errors


def marked(screen: ConnectionScreen) -> list[str]:
    return [row[1] for row in cells(screen) if row[0] == "●"]


async def test_the_profiles_table_marks_the_profile_in_use_after_a_switch(
    make_app: MakeApp, sandbox: SandboxInfo, profiles: dict[str, str]
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_connection(app, pilot)
        assert marked(screen) == []  # the session's profile "test" is in no file
        await choose(pilot, screen, "work")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: app.session is not None and app.session.profile == "work",
            seconds=20,
            what="the profile switch",
        )
        await settle(pilot)
        await pilot.press("g", "b")
        await settle(pilot)
        after = app.screen  # rebuilt for the new session
        assert isinstance(after, ConnectionScreen)
        assert marked(after) == ["work"]


async def test_enter_on_a_dead_profile_reports_and_keeps_the_session(
    make_app: MakeApp, sandbox: SandboxInfo, profiles: dict[str, str]
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        screen = await open_connection(app, pilot)
        old = app.session
        assert old is not None
        await choose(pilot, screen, "gone")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: any(t == "Cannot reach the server" for t, _, _ in notifications(app)),
            seconds=30,
            what="the error toast",
        )
        await settle(pilot)
        _, message, severity = next(
            n for n in notifications(app) if n[0] == "Cannot reach the server"
        )
        assert severity == "error"
        assert message.startswith("Testing profile gone: Could not reach 127.0.0.1")
        assert app.session is old
        assert not old.client.is_closed
        assert app.screen is screen
        assert current(screen)["Profile"] == "test"
        assert app.link.profile == "test"
        # the old session still works
        await pilot.press("t")
        await settle(pilot)
        assert current(screen)["Test"].startswith("OK · ")
    assert not app.unexpected_errors


async def test_enter_on_a_keychain_profile_without_a_keychain_reports_and_keeps_the_session(
    make_app: MakeApp, profiles: dict[str, str]
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        screen = await open_connection(app, pilot)
        old = app.session
        await choose(pilot, screen, "locked")
        before = len(app.request_log.records())
        await pilot.press("enter")
        await settle(pilot)
        problems = [n for n in notifications(app) if n[0] == "Configuration problem"]
        assert len(problems) == 1
        assert "profile 'locked'" in problems[0][1]
        assert "xeroctl-locked" in problems[0][1]
        assert app.session is old
        assert app.screen is screen
        assert app.request_log.records()[before:] == []  # nothing was sent
    assert not app.unexpected_errors


async def test_a_opens_the_add_profile_modal_which_tests_before_saving(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 44), notifications=True) as pilot:
        await open_connection(app, pilot)
        await pilot.press("a")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ProfileFormScreen)
        assert modal.query_one("#pf-name", Input).has_focus
        assert modal.query_one("#pf-name", Input).value == ""

        modal.query_one("#pf-name", Input).value = "staging"
        modal.query_one("#pf-url", Input).value = sandbox.base_url
        modal.query_one("#pf-key", Input).value = "xero_proj_demo_nope"
        await pilot.click("#pf-save")
        await settle(pilot)
        # refused: the modal stays with the values, the reason is on the key, nothing saved
        assert app.screen is modal
        assert modal.query_one("#pf-key", Input).has_class("-invalid")
        assert text_of(modal.query_one("#pf-message")).startswith(
            "Authentication failed: Invalid API key (code invalid_api_key · HTTP 401"
        )
        assert modal.query_one("#pf-name", Input).value == "staging"
        assert not paths.config_file().exists()
        assert app.session is not None
        assert app.session.profile == "test"

        modal.query_one("#pf-key", Input).value = sandbox.admin_api_key
        await click_button(pilot, "#pf-save")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ModelsScreen), what="the switch to the profile"
        )
        await settle(pilot)
        assert app.session.profile == "staging"
        assert app.session.api_key == sandbox.admin_api_key
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        assert screen.table.row_count == 43
    config = paths.config_file()
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    document = tomllib.loads(config.read_text())
    assert document["current_profile"] == "staging"
    assert document["profiles"]["staging"] == {
        "base_url": sandbox.base_url,
        "api_key": sandbox.admin_api_key,
    }
    assert not app.unexpected_errors


async def test_after_adding_a_profile_the_modal_is_gone_and_says_so(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 44), notifications=True) as pilot:
        await open_connection(app, pilot)
        await pilot.press("a")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ProfileFormScreen)
        modal.query_one("#pf-name", Input).value = "staging"
        modal.query_one("#pf-url", Input).value = sandbox.base_url
        modal.query_one("#pf-key", Input).value = sandbox.admin_api_key
        await pilot.click("#pf-save")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ModelsScreen), what="the switch to the profile"
        )
        await settle(pilot)
        assert any(
            t == "Profile added" and m.startswith("Saved profile staging (")
            for t, m, _ in notifications(app)
        )
        await pilot.press("g", "b")
        await settle(pilot)
        assert isinstance(app.screen, ConnectionScreen)  # not the stale modal
        assert not any(isinstance(s, ProfileFormScreen) for s in app.screen_stack)


async def test_escape_closes_the_add_profile_modal_without_saving(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await open_connection(app, pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ProfileFormScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert current_screen(app) is screen
        assert not paths.config_file().exists()
    assert not app.unexpected_errors
