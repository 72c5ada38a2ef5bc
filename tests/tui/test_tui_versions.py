"""The version timeline against the sandbox: create, promote, roll back, read back from the
server; semver checked as typed; the server's 409 / 400 answers shown where they belong."""

from __future__ import annotations

from typing import Any

from jobs_probe import cell, ids_by_name
from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList
from tui_helpers import MakeApp, settle, wait_until
from tui_probe import (
    SIZE,
    field_rows,
    highlight,
    open_detail,
    sandbox_http,
    server_model,
    wait_toast,
    widget_lines,
    widget_text,
)

from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.confirm import ConfirmScreen
from xerotui.tui.screens.model_detail import ModelDetailScreen
from xerotui.tui.screens.overview import OverviewScreen
from xerotui.tui.screens.version_create import CreateVersionScreen
from xerotui.tui.screens.version_rollback import RollbackScreen
from xerotui.tui.screens.versions import VersionsScreen

ACME = "acme-support-llama-3.1-8b"  # 1.0.0, 1.1.0, 2.0.0 (latest), 2.1.0
SINGLE = "e5-mistral-7b-instruct"  # 1.0.0 only; the newest model of the seed


async def server_versions(info: SandboxInfo, model_id: str) -> list[dict[str, Any]]:
    async with sandbox_http(info) as http:
        response = await http.get(f"/models/{model_id}/versions")
        response.raise_for_status()
        data: list[dict[str, Any]] = response.json()["data"]
        return data


async def open_versions(pilot: Pilot[Any], model_id: str) -> VersionsScreen:
    """`v` on the table's row of `model_id`; waits for the versions to load."""
    await highlight(pilot, model_id)
    await pilot.press("v")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, VersionsScreen), what="versions")
    screen = pilot.app.screen
    assert isinstance(screen, VersionsScreen)
    await wait_until(pilot, lambda: screen.loaded, what="the versions to load")
    await settle(pilot)
    return screen


def timeline_lines(screen: VersionsScreen) -> list[str]:
    return [line.strip() for line in widget_lines(screen.timeline) if line.strip()]


async def type_text(pilot: Pilot[Any], text: str) -> None:
    for char in text:
        await pilot.press(char)


async def test_the_timeline_lists_every_version_newest_first_with_the_latest_marked(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    model_id = (await ids_by_name(sandbox))[ACME]
    truth = await server_versions(sandbox, model_id)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_versions(pilot, model_id)
        assert [v.version for v in screen.timeline.versions] == [v["version"] for v in truth]
        head = widget_text(screen.query_one("#versions-head")).split()
        assert head == ["Version", "ID", "Latest", "Status", "Notes", "Created"]
        lines = timeline_lines(screen)
        assert lines[0].startswith("● 2.1.0")
        assert "Longer answers" in lines[0]
        assert lines[1] == "│ ↑ 9 days"
        latest = next(line for line in lines if line.startswith("◆"))
        assert latest.split()[:4] == ["◆", "2.0.0", truth[1]["id"][:8], "latest"]
        title = widget_text(screen.query_one("#versions-title"))
        assert "latest 2.0.0" in title
        assert "4 versions, 2 older than the latest" in title
        await pilot.press("escape")
        assert current_is_table(app)


def current_is_table(app: XeroApp) -> bool:
    return type(app.screen).__name__ == "ModelsScreen"


async def test_create_then_promote_and_every_screen_shows_the_new_version(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    model_id = (await ids_by_name(sandbox))[SINGLE]
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_detail(pilot, model_id)
        await pilot.press("v")  # over the detail
        await wait_until(pilot, lambda: isinstance(app.screen, VersionsScreen), what="versions")
        versions = app.screen
        assert isinstance(versions, VersionsScreen)
        await wait_until(pilot, lambda: versions.loaded, what="loaded")
        await pilot.press("c")
        assert isinstance(app.screen, CreateVersionScreen)
        await type_text(pilot, "1.1.0")
        await pilot.press("tab")
        await type_text(pilot, "Longer context")
        await pilot.press("enter")
        await wait_toast(pilot, "1.1.0 created (the latest is still 1.0.0")
        created = {v["version"]: v for v in await server_versions(sandbox, model_id)}
        assert created["1.1.0"]["version_notes"] == "Longer context"
        assert not created["1.1.0"]["is_latest"]
        assert (await server_model(sandbox, model_id))["version"] == "1.0.0"
        await wait_until(pilot, lambda: versions.timeline.highlighted_version is not None)
        chosen = versions.timeline.highlighted_version
        assert chosen is not None
        assert chosen.version == "1.1.0"
        await pilot.press("p")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.title_text == "Promote 1.1.0 to latest?"
        await pilot.press("tab", "enter")
        await wait_toast(pilot, "1.1.0 is the latest now (was 1.0.0)")
        await wait_until(pilot, lambda: "latest 1.1.0" in widget_text(versions.query_one(
            "#versions-title")), what="the new latest in the title")  # fmt: skip
        assert (await server_model(sandbox, model_id))["version"] == "1.1.0"
        # without a reload: the detail beneath, the table, the overview
        await pilot.press("escape")
        detail = app.screen
        assert isinstance(detail, ModelDetailScreen)
        assert field_rows(detail.query_one("#detail-fields"))["Version"] == "1.1.0"
        await pilot.press("escape")
        assert cell(app, model_id, "version") == "1.1.0"
        await pilot.press("g", "o")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        newest = widget_lines(app.screen.query_one("#ov-newest"))
        assert any(SINGLE in line and "1.1.0" in line for line in newest)


async def test_rollback_offers_only_older_versions_and_asks_first(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    model_id = (await ids_by_name(sandbox))[ACME]
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        versions = await open_versions(pilot, model_id)
        await pilot.press("b")
        form = app.screen
        assert isinstance(form, RollbackScreen)
        options = form.query_one(OptionList)
        offered = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert offered == ["1.1.0", "1.0.0"]  # not 2.1.0: newer than the latest
        await pilot.press("enter")  # 1.1.0
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.destructive
        await pilot.press("enter")  # Cancel is focused: nothing is sent
        assert form.is_active
        assert (await server_model(sandbox, model_id))["version"] == "2.0.0"
        await pilot.press("enter", "tab", "enter")
        await wait_toast(pilot, "1.1.0 is the latest now (was 2.0.0)")
        assert (await server_model(sandbox, model_id))["version"] == "1.1.0"
        latest = [v["version"] for v in await server_versions(sandbox, model_id) if v["is_latest"]]
        assert latest == ["1.1.0"]
        await wait_until(
            pilot,
            lambda: "latest 1.1.0" in widget_text(versions.query_one("#versions-title")),
            what="the timeline to follow",
        )
        await pilot.press("escape")
        assert cell(app, model_id, "version") == "1.1.0"


async def test_an_invalid_version_is_refused_as_typed_without_a_request(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    model_id = (await ids_by_name(sandbox))[ACME]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_versions(pilot, model_id)
        await pilot.press("c")
        form = app.screen
        assert isinstance(form, CreateVersionScreen)
        message = form.query_one("#create-version-message")
        create = form.query_one("#create-ok", Button)
        for typed, words in (
            ("v", "No leading “v”"),
            ("3", "No leading “v”: type 3, not v3."),
            (".0", "No leading “v”"),
        ):
            await type_text(pilot, typed)
            assert words in widget_text(message)
            assert create.disabled
        form.query_one("#create-version", Input).value = "3.0"
        await pilot.pause()
        assert "three numbers: MAJOR.MINOR.PATCH" in widget_text(message)
        form.query_one("#create-version", Input).value = "2.0.0"
        await pilot.pause()
        assert "Version 2.0.0 already exists." in widget_text(message)
        await pilot.press("enter")
        assert form.is_active
        assert create.disabled
        form.query_one("#create-version", Input).value = "3.0.0-rc.1"
        await pilot.pause()
        assert "✔ 3.0.0-rc.1 can be created" in widget_text(message)
        assert not create.disabled
        await pilot.press("escape")
    assert not [r for r in app.request_log.records() if r.method == "POST"]


async def test_a_version_created_meanwhile_is_a_conflict_on_the_field(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    model_id = (await ids_by_name(sandbox))[ACME]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_versions(pilot, model_id)
        await pilot.press("c")
        form = app.screen
        assert isinstance(form, CreateVersionScreen)
        await type_text(pilot, "3.0.0")
        async with sandbox_http(sandbox) as http:  # someone else is quicker
            created = await http.post(f"/models/{model_id}/versions", json={"version": "3.0.0"})
            created.raise_for_status()
        await pilot.press("enter")
        message = form.query_one("#create-version-message")
        await wait_until(pilot, lambda: "version_exists" in widget_text(message), what="409")
        text = " ".join(widget_lines(message))
        assert "This version exists already (created meanwhile?)." in text
        assert form.is_active  # still open, with what was typed
        assert form.version == "3.0.0"
        assert form.query_one("#create-version").has_class("-invalid")
        # and a version the server refuses though these rules let it through: on the field too
        form.send("v3.1.0", "")
        await wait_until(pilot, lambda: "invalid_version" in widget_text(message), what="400")
        assert "The server does not accept this version." in widget_text(message)
        assert form.is_active


async def test_a_rollback_the_server_refuses_is_explained_and_the_choices_follow(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    model_id = (await ids_by_name(sandbox))[ACME]
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        versions = await open_versions(pilot, model_id)
        await pilot.press("b")
        form = app.screen
        assert isinstance(form, RollbackScreen)
        async with sandbox_http(sandbox) as http:  # the latest goes down to 1.0.0 elsewhere
            (await http.post(f"/models/{model_id}/versions/1.0.0/rollback")).raise_for_status()
        await pilot.press("enter", "tab", "enter")  # 1.1.0: no longer older than the latest
        problem = form.query_one("#rollback-problem")
        await wait_until(pilot, lambda: "invalid_rollback" in widget_text(problem), what="400")
        text = " ".join(line.strip() for line in widget_lines(problem))
        assert "refused to roll back to 1.1.0" in text
        assert "the latest is 1.0.0 now (it was 2.0.0 when this list was read" in text
        assert form.query_one(OptionList).option_count == 0  # nothing is older than 1.0.0
        await pilot.press("escape")
        await wait_until(
            pilot,
            lambda: "latest 1.0.0" in widget_text(versions.query_one("#versions-title")),
            what="the timeline to show the server's latest",
        )
        await wait_until(pilot, lambda: versions.model is not None and versions.model.version
                         == "1.0.0", what="the model read again")  # fmt: skip
        await pilot.press("escape")
        assert cell(app, model_id, "version") == "1.0.0"
    assert (await server_model(sandbox, model_id))["version"] == "1.0.0"
