"""Defects found trying the dashboard as a new user would (issue 6), each pinned by a test."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from sandbox_reset import reset_sandbox
from textual.app import App
from textual.command import CommandPalette
from tui_helpers import MakeApp, current_screen, server_models, settle, wait_until
from tui_probe import (
    SIZE,
    delete_model,
    field_rows,
    panel_lines,
    set_faults,
    toasts,
    wait_toast,
)

from xerotui.config import paths
from xerotui.config.profiles import ProfileStore
from xerotui.config.settings import Settings
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.api_log import ApiLogScreen
from xerotui.tui.screens.confirm import ConfirmScreen
from xerotui.tui.screens.connection import ConnectionScreen
from xerotui.tui.screens.help import HelpScreen
from xerotui.tui.screens.model_detail import ModelDetailScreen
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.screens.overview import OverviewScreen
from xerotui.tui.screens.scope import ScopeScreen
from xerotui.tui.widgets.footer import XeroFooter


def models_screen(app: XeroApp) -> ModelsScreen:
    screen = current_screen(app)
    assert isinstance(screen, ModelsScreen)
    return screen


def footer_keys(app: XeroApp) -> dict[str, str]:
    """What the footer shows: shown key -> description."""
    return {display: text for _, display, text, _ in app.screen.query_one(XeroFooter).shown}


def header_link(app: XeroApp) -> str:
    return str(app.screen.query_one("#link").render())


async def test_a_refused_profile_switch_leaves_the_header_on_the_working_profile(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    """Defect 3: the refused key belonged to the profile being tried, not to the session."""
    ProfileStore().save_profile("other", sandbox.base_url, sandbox.other_api_key)
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("g", "b")
        await settle(pilot)
        screen = current_screen(app)
        assert isinstance(screen, ConnectionScreen)
        row = next(i for i, p in enumerate(screen.profiles) if p.name == "other")
        screen.table.move_cursor(row=row)
        await pilot.press("enter")
        await wait_toast(pilot, "Testing profile other", severity="error")
        await settle(pilot)
        assert app.session is not None
        assert app.session.profile == "test"
        assert "key refused" not in header_link(app)
        assert "connected" in header_link(app)


async def test_g_d_acts_only_on_a_visible_row(make_app: MakeApp) -> None:
    """Defect 4: a filter that hides every row leaves nothing for `g d` to open."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.feed.highlighted is not None
        await pilot.press("slash", *"no-such-model-anywhere", "enter")
        assert models_screen(app).view == []
        assert app.feed.highlighted is None
        await pilot.press("g", "d")
        await settle(pilot)
        assert not isinstance(current_screen(app), ModelDetailScreen)
        await pilot.press("escape")  # the filter cleared: the cursor is back on a model
        assert app.feed.highlighted is not None


async def test_ctrl_q_quits_while_help_is_open(make_app: MakeApp) -> None:
    """Defect 5: help lists ctrl+q under "Everywhere"; it must work there too."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(current_screen(app), HelpScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_ctrl_q_after_g_quits_instead_of_complaining(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "ctrl+q")
        await pilot.pause()
        assert not any("is not a chord" in text for _, text in toasts(app))
    assert not app.is_running


async def test_the_footer_shows_a_keymap_override_from_the_start(make_app: MakeApp) -> None:
    """Defects 6: with `"models.filter" = "f"`, the first frame says `f Filter`, not `/`."""
    app = make_app(settings=Settings(refresh_interval=0, keymap={"models.filter": "f"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys = footer_keys(app)
        assert keys.get("f") == "Filter"
        assert "/" not in keys
        await pilot.press("f", *"qwen")
        assert models_screen(app).query_text == "qwen"


async def test_the_footer_hides_next_page_on_the_last_page_and_shows_esc_for_a_filter(
    make_app: MakeApp,
) -> None:
    """Defect 11."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys = footer_keys(app)
        assert "]" not in keys  # 43 models: one page
        assert "esc" not in keys  # no filter to clear
        await pilot.press("slash", *"qwen", "enter")
        await pilot.pause()
        assert footer_keys(app).get("esc") == "Clear filter"
        await pilot.press("escape")
        await pilot.pause()
        assert "esc" not in footer_keys(app)


async def test_the_api_log_opens_on_the_newest_request_at_80x24(make_app: MakeApp) -> None:
    """Defect 7: the selected request is on screen and highlighted."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(3):  # more requests than rows fit at 80x24
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("escape", "ctrl+r")
            await settle(pilot)
        await pilot.press("g", "e")
        await settle(pilot)
        screen = current_screen(app)
        assert isinstance(screen, ApiLogScreen)
        table = screen.table
        assert table.cursor_row == len(screen.shown) - 1
        assert table.has_focus
        top = table.scroll_offset.y
        visible_rows = table.size.height - 1  # the header line
        assert top <= table.cursor_row < top + visible_rows


async def test_api_log_and_scope_fit_their_columns_at_120(make_app: MakeApp) -> None:
    """Defect 9: no column is cut or pushed off-screen at 120 columns."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        for chord, kind in (("e", ApiLogScreen), ("t", ScopeScreen)):
            await pilot.press("g", chord)
            await settle(pilot)
            screen = current_screen(app)
            assert isinstance(screen, kind)
            table = screen.table
            assert table.virtual_size.width <= table.size.width, kind.__name__
        await pilot.press("g", "e")
        await settle(pilot)
        log = current_screen(app)
        assert isinstance(log, ApiLogScreen)
        last = log.table.ordered_columns[-1]
        assert str(last.label) == "Request id"
        rid = log.shown[-1].request_id
        assert rid is not None
        assert last.width >= len(rid)  # the whole request id, not "Re…"


async def test_the_palette_screenshot_creates_its_folder_and_says_where(
    make_app: MakeApp,
) -> None:
    """Defect 8: the folder did not exist and the toast gave no reason."""
    folder = paths.screenshots_dir()
    assert not folder.exists()
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"screenshot")
        await wait_until(
            pilot, lambda: CommandPalette.is_open(cast("App[object]", app)), what="the palette"
        )
        await pilot.pause(0.3)
        await pilot.press("enter")
        _, text = await wait_toast(pilot, "Saved to")
        saved = Path(text.split("Saved to ", 1)[1].strip())
        assert saved.parent == folder
        assert saved.read_bytes().startswith(b"<svg")  # noqa: ASYNC240 (a small local file)


async def test_a_screenshot_that_cannot_be_saved_says_why(make_app: MakeApp) -> None:
    blocker = paths.screenshots_dir()
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the folder should be")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.deliver_screenshot()
        _, text = await wait_toast(pilot, "Could not save the screenshot", severity="error")
        assert str(blocker) in text


async def test_copy_curl_masks_the_key_and_the_key_copy_asks_first(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    """Defect 10: `Y` stays masked; ctrl+y confirms (Cancel focused), then copies it whole."""
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        model_id = app.feed.highlighted
        await pilot.press("Y")
        assert sandbox.api_key not in (app.clipboard or "")
        assert f"/models/{model_id}?extended=true" in app.clipboard
        await pilot.press("ctrl+y")
        await pilot.pause()
        confirm = current_screen(app)
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.focused is not None
        assert confirm.focused.id == "confirm-cancel"
        await pilot.press("enter")  # Enter on a fresh confirm cancels
        await pilot.pause()
        assert not isinstance(current_screen(app), ConfirmScreen)
        assert sandbox.api_key not in (app.clipboard or "")
        await pilot.press("ctrl+y")
        await pilot.pause()
        await pilot.click("#confirm-ok")
        await pilot.pause()
        assert f"Bearer {sandbox.api_key}" in app.clipboard
        _, text = await wait_toast(pilot, "WITH your API key")
        assert sandbox.api_key not in text  # the toast never shows the key


async def test_overview_at_80x24_shows_every_status_count(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    """Defect 2: the bars gave way to the counts, not the other way round."""
    truth = await server_models(sandbox)
    counts: dict[str, int] = {}
    for model in truth:
        counts[model["status"]] = counts.get(model["status"], 0) + 1
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g", "o")
        await settle(pilot)
        screen = current_screen(app)
        assert isinstance(screen, OverviewScreen)
        shown = {}
        for line in panel_lines(screen.query_one("#ov-status")):
            words = line.split()
            if len(words) >= 2:
                shown[words[0]] = int(words[1].replace(",", ""))
        assert shown == counts
        catalog = field_rows(screen.query_one("#ov-catalog"))
        assert catalog["Shared models"].endswith("more")


async def test_marks_of_models_deleted_elsewhere_are_dropped_on_refresh(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = models_screen(app)
        await pilot.press("down", "space", "space")  # marks rows 2 and 3; cursor on row 4
        marked = set(app.feed.marks)
        assert len(marked) == 2
        cursor = screen.table.highlighted_id
        gone = sorted(marked)[0]
        await delete_model(sandbox, gone)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.feed.marks == marked - {gone}
        assert "1 marked" in str(screen.query_one("#rows").render())
        assert gone not in [m.id for m in screen.view]
        assert screen.table.highlighted_id == cursor  # the cursor stays on its model
        assert app.feed.highlighted == cursor


async def test_models_that_vanish_and_reappear_keep_cursor_marks_and_counts(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    """A colleague deletes a model, then it comes back (here: the sandbox is reseeded)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = models_screen(app)
        ids = [m.id for m in screen.view]
        await pilot.press("down", "down", "space")  # mark row 3; the cursor is on row 4
        cursor = screen.table.highlighted_id
        assert cursor == ids[3]
        await delete_model(sandbox, ids[0])
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [m.id for m in screen.view] == ids[1:]
        assert app.feed.marks == {ids[2]}
        assert screen.table.highlighted_id == cursor
        assert f" of {len(ids) - 1} · sort" in str(screen.query_one("#rows").render())
        reset_sandbox(sandbox)  # the deleted model is back
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [m.id for m in screen.view] == ids
        assert app.feed.marks == {ids[2]}
        assert screen.table.highlighted_id == cursor
        assert f" of {len(ids)} · sort" in str(screen.query_one("#rows").render())


async def test_the_header_says_a_refresh_is_under_way_on_a_slow_server(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    """Issue 7: while a refresh waits on a slow server, the header shows it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "refreshing" not in header_link(app)
        await set_faults(sandbox, latency_ms=1500, methods=["GET"])
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: "refreshing" in header_link(app), what="the note")
        await settle(pilot)
        assert "refreshing" not in header_link(app)
