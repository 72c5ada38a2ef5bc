"""g-chords against the sandbox: every chord, the which-key popup, cancel, inputs, keymap."""

from __future__ import annotations

import pytest
from textual.widgets import Input
from tui_helpers import MakeApp, server_models, settle
from tui_probe import SIZE, delete_model, grid_rows, wait_toast, widget_text

from xerotui.config.settings import Settings
from xerotui.launcher import SandboxInfo
from xerotui.tui.chords import CHORDS, Chord
from xerotui.tui.screens.api_log import ApiLogScreen
from xerotui.tui.screens.capabilities import CapabilitiesScreen
from xerotui.tui.screens.catalog import CatalogScreen
from xerotui.tui.screens.confirm import ConfirmScreen
from xerotui.tui.screens.connection import ConnectionScreen
from xerotui.tui.screens.edit_model import EditModelScreen
from xerotui.tui.screens.help import HelpScreen
from xerotui.tui.screens.jobs import JobsScreen
from xerotui.tui.screens.model_detail import ModelDetailScreen
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.screens.overview import OverviewScreen
from xerotui.tui.screens.probe import ProbeScreen
from xerotui.tui.screens.recommendations import RecommendationsScreen
from xerotui.tui.screens.scope import ScopeScreen
from xerotui.tui.screens.versions import VersionsScreen
from xerotui.tui.screens.which_key import NO_MODEL, WhichKeyScreen
from xerotui.tui.widgets.chat_dock import ChatDock

# Where each chord must land: (screen class, app mode). A chord added to CHORDS without a
# line here fails test_every_chord_lands_on_its_screen with a KeyError — on purpose.
LANDS_ON = {
    "overview": (OverviewScreen, "overview"),
    "connection": (ConnectionScreen, "connection"),
    "models": (ModelsScreen, "models"),
    "detail": (ModelDetailScreen, "models"),
    "log": (ApiLogScreen, "log"),
    "scope": (ScopeScreen, "scope"),
    "revalidate": (ScopeScreen, "scope"),  # an action: it stays where it was pressed
    "versions": (VersionsScreen, "models"),
    "jobs": (JobsScreen, "jobs"),
    # model actions open their dialog where they were asked; model screens open on models
    "edit": (EditModelScreen, "scope"),
    "delete": (ConfirmScreen, "scope"),
    "share": (ScopeScreen, "scope"),
    "unshare": (ScopeScreen, "scope"),
    "catalog": (CatalogScreen, "models"),
    "probe": (ProbeScreen, "scope"),
    "capabilities": (CapabilitiesScreen, "scope"),
    "recommend": (RecommendationsScreen, "models"),
    "chat": (ScopeScreen, "scope"),  # the chat pane opens beside the screen that is up
    "top": (ScopeScreen, "scope"),  # `g g`: the top of the list on the screen that is up
}


def popup_rows(screen: WhichKeyScreen) -> dict[str, list[str]]:
    """The which-key popup's rows as key -> [description, docs or hint], as painted."""
    return {cells[0]: cells[1:] for cells in grid_rows(screen.query_one("#which-key-rows"))}


@pytest.mark.parametrize("chord", CHORDS, ids=lambda c: c.name)
async def test_every_chord_lands_on_its_screen(
    make_app: MakeApp, sandbox: SandboxInfo, chord: Chord
) -> None:
    truth = await server_models(sandbox)
    screen_class, mode = LANDS_ON[chord.name]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")  # the third model is the highlighted one
        chosen = truth[2]
        assert app.feed.highlighted == chosen["id"]
        start = "overview" if chord.name in {"scope", "log"} else "scope"
        await app.switch_mode(start)  # start somewhere else than the target
        await settle(pilot)
        await pilot.press("g")
        assert isinstance(app.screen, WhichKeyScreen)
        await pilot.press(chord.key)
        await settle(pilot)
        assert isinstance(app.screen, screen_class), app.screen_stack
        assert app.current_mode == mode
        assert not any(isinstance(s, WhichKeyScreen) for s in app.screen_stack)
        if chord.name == "chat":
            assert app.screen.query_one(ChatDock).picker.input.has_focus
        if chord.name == "detail":
            assert app.screen.model_id == chosen["id"]
            assert app.screen.loaded
            assert chosen["name"] in widget_text(app.screen.query_one("#detail-title"))


async def test_which_key_popup_lists_every_chord(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        beneath = app.screen
        await pilot.press("g")
        popup = app.screen
        assert isinstance(popup, WhichKeyScreen)
        assert app.screen_stack[-2] is beneath
        rows = popup_rows(popup)
        assert rows == {c.key: [c.description, c.docs] for c in CHORDS}
        assert widget_text(popup.query_one("#which-key-title")).strip() == "g → go to…"
        hint = widget_text(popup.query_one("#which-key-hint")).strip()
        assert hint == "esc cancel · ? help"


async def test_g_d_is_shown_disabled_and_refused_without_models(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    for model in await server_models(sandbox):
        await delete_model(sandbox, model["id"])
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        models = app.screen
        assert isinstance(models, ModelsScreen)
        assert models.table.row_count == 0
        assert app.feed.highlighted is None
        await pilot.press("g")
        popup = app.screen
        assert isinstance(popup, WhichKeyScreen)
        rows = popup_rows(popup)
        assert rows["d"] == ["Model detail", NO_MODEL]
        assert rows["o"] == ["Overview", "Overview"]  # the others stay available
        await pilot.press("d")
        await wait_toast(pilot, f"g d: {NO_MODEL}", severity="warning")
        assert app.screen_stack == [models]


async def test_g_d_is_refused_when_nothing_is_highlighted(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await app.switch_mode("overview")
        await settle(pilot)
        overview = app.screen
        app.feed.select(None)
        await pilot.press("g", "d")
        await wait_toast(pilot, NO_MODEL, severity="warning")
        assert app.screen_stack == [overview]
        assert app.current_mode == "overview"


async def test_escape_cancels_the_chord(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        models = app.screen
        await pilot.press("g")
        assert isinstance(app.screen, WhichKeyScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen_stack == [models]
        await pilot.press("o")  # no chord pending any more: `o` does nothing on the table
        await settle(pilot)
        assert app.screen_stack == [models]
        assert app.current_mode == "models"
        assert not app.screen.query("Toast")  # a cancel is silent


async def test_unknown_key_after_g_cancels_with_a_warning(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        models = app.screen
        await pilot.press("g", "z")
        severity, _text = await wait_toast(pilot, "g z is not a chord")
        assert severity == "warning"
        assert app.screen_stack == [models]
        await pilot.press("o")
        await settle(pilot)
        assert app.screen_stack == [models]


async def test_g_typed_in_the_filter_is_text_not_a_chord(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        models = app.screen
        assert isinstance(models, ModelsScreen)
        await pilot.press("slash", "g", "e", "m")
        field = models.query_one("#filter", Input)
        assert field.has_focus
        assert field.value == "gem"
        assert models.query_text == "gem"
        assert app.screen_stack == [models]
        await pilot.press("question_mark")  # `?` is text too while typing
        assert field.value == "gem?"
        assert app.screen_stack == [models]


async def test_question_mark_after_g_opens_help_for_the_screen_beneath(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        models = app.screen
        await pilot.press("g", "question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert app.screen_stack == [models, help_screen]
        assert help_screen.beneath_title == "Models"
        await pilot.press("escape")
        assert app.screen_stack == [models]


async def test_g_l_from_elsewhere_lands_on_the_table_not_a_stale_detail(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        models = app.screen
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ModelDetailScreen)
        assert app.screen.model_id == truth[0]["id"]
        await pilot.press("g", "e")
        await settle(pilot)
        assert isinstance(app.screen, ApiLogScreen)
        await pilot.press("g", "l")
        await settle(pilot)
        assert app.screen is models


async def test_keymap_overrides_rebind_chords_and_screen_keys(make_app: MakeApp) -> None:
    settings = Settings(refresh_interval=0, keymap={"chord.models": "m", "models.filter": "f"})
    app = make_app(settings=settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        models = app.screen
        assert isinstance(models, ModelsScreen)
        field = models.query_one("#filter", Input)
        # `/` no longer opens the filter; `f` does
        await pilot.press("slash")
        assert not field.display
        assert not field.has_focus
        await pilot.press("f")
        assert field.display
        assert field.has_focus
        await pilot.press(*"qwen", "enter")
        assert models.query_text == "qwen"
        # the popup shows the new key; `g m` goes to the models, `g l` is no chord any more
        await pilot.press("g", "o")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("g")
        rows = popup_rows(app.screen)
        assert rows["m"] == ["Models", "List Models"]
        assert "l" not in rows
        await pilot.press("m")
        await settle(pilot)
        assert app.screen is models
        await pilot.press("g", "o")
        await settle(pilot)
        await pilot.press("g", "l")
        await wait_toast(pilot, "g l is not a chord", severity="warning")
        assert isinstance(app.screen, OverviewScreen)
