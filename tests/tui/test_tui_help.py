"""The `?` overlay: the live keys of the screen beneath, the global keys and every chord."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.pilot import Pilot
from textual.widget import Widget
from tui_helpers import MakeApp, settle
from tui_probe import grid_rows, widget_text

from xerotui.config.settings import Settings
from xerotui.tui.app import XeroApp
from xerotui.tui.chords import CHORDS
from xerotui.tui.screens.api_log import ApiLogScreen
from xerotui.tui.screens.help import HelpScreen
from xerotui.tui.screens.models import ModelsScreen

SIZE = (160, 44)
"""Wide enough for the binding ids (they show from 140 columns)."""

Group = dict[str, list[str]]  # binding id (or description) -> [key, description]


def groups(help_screen: HelpScreen) -> dict[str, list[list[str]]]:
    """Each painted help table: its title line -> its rows (cells as painted)."""
    found: dict[str, list[list[str]]] = {}
    for widget in help_screen.query(".help-group"):
        assert isinstance(widget, Widget)
        title, *rows = grid_rows(widget)
        found[title[0]] = rows
    return found


def by_id(rows: list[list[str]]) -> Group:
    """Rows [key, description, id] keyed by id (rows without an id by description)."""
    return {row[-1] if len(row) >= 3 else row[1]: row[:2] for row in rows}


async def open_help(app: XeroApp, pilot: Pilot[Any]) -> HelpScreen:
    await pilot.press("question_mark")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    return screen


CHAT_KEY = {"chat.focus": ["^o", "Chat"]}  # every screen's: into the chat pane and back
MODELS_KEYS = {
    **CHAT_KEY,
    "models.filter": ["/", "Filter"],
    "models.mark": ["space", "Mark"],
    "models.mark_all": ["a", "Mark all"],
    "models.wide": ["w", "Wide"],
    "models.sort": ["s", "Sort"],
    "models.sort_reverse": ["S", "Reverse sort"],
    "models.refresh": ["^r", "Refresh"],
    "models.copy_id": ["y", "Copy id"],
    "models.copy_curl": ["Y", "Copy curl"],
    "models.copy_curl_key": ["^y", "Curl with key"],
    "models.edit": ["e", "Edit"],
    "models.delete": ["d", "Delete"],
    "models.revalidate": ["r", "Revalidate"],
    "models.versions": ["v", "Versions"],
}


async def test_help_lists_the_screen_keys_the_global_keys_and_every_chord(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        models = app.screen
        help_screen = await open_help(app, pilot)
        assert app.screen_stack == [models, help_screen]
        tables = groups(help_screen)
        # the screen's own keys, live: no filter is active, so "clear filter" is not offered
        assert by_id(tables["This screen — Models"]) == MODELS_KEYS
        assert {b.id for b in Binding.make_bindings(ModelsScreen.BINDINGS)} - set(
            MODELS_KEYS
        ) - set(CHAT_KEY) == {"models.clear_filter"}
        # and the filter's syntax, under the keys
        notes = " ".join(widget_text(help_screen.query_one("#help-notes")).split())
        for term in ("status:", "format:", "quant:", "shared:yes", "size>10GB", "all of them"):
            assert term in notes
        everywhere = by_id(tables["Everywhere"])
        assert everywhere["app.chord"] == ["g", "Go to…"]
        assert everywhere["app.help"] == ["?", "Help"]
        assert everywhere["app.quit"] == ["^q", "Quit"]
        focused = by_id(tables["Focused widget"])  # the table has focus: its enter key
        assert focused["models.detail"][1] == "Detail"
        # every key of a binding, vim's too
        assert focused["models.down"] == ["↓ j", "Down"]
        assert focused["models.up"] == ["↑ k", "Up"]
        assert focused["models.bottom"] == ["end G", "Bottom"]
        chords = tables["g-chords: press g, then the key (a popup lists them)"]
        assert chords == [
            [f"g {c.key}", c.description, f"docs: {c.docs}", c.binding_id] for c in CHORDS
        ]


async def test_help_follows_the_live_bindings(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"qwen", "enter")  # a filter is active: esc clears it
        help_screen = await open_help(app, pilot)
        here = by_id(groups(help_screen)["This screen — Models"])
        assert here["models.clear_filter"] == ["esc", "Clear filter"]


async def test_question_mark_again_escape_and_q_close_help(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        models = app.screen
        for close in ("question_mark", "escape", "q"):
            await open_help(app, pilot)
            await pilot.press(close)
            await pilot.pause()
            assert app.screen_stack == [models], close
        # and the keys beneath work again
        await pilot.press("w")
        assert isinstance(models, ModelsScreen)
        assert models.wide is True


async def test_help_on_the_api_log_lists_the_log_keys(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "e")
        await settle(pilot)
        assert isinstance(app.screen, ApiLogScreen)
        help_screen = await open_help(app, pilot)
        here = by_id(groups(help_screen)["This screen — API log"])
        assert here == {
            **CHAT_KEY,
            "log.errors": ["e", "Errors only"],
            "log.filter": ["/", "Filter"],
            "log.copy_request_id": ["y", "Copy request id"],
            "log.clear": ["^l", "Clear log"],
        }


async def test_help_shows_keymap_overrides(make_app: MakeApp) -> None:
    settings = Settings(refresh_interval=0, keymap={"models.filter": "f", "chord.models": "m"})
    app = make_app(settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        help_screen = await open_help(app, pilot)
        tables = groups(help_screen)
        here = by_id(tables["This screen — Models"])
        assert here["models.filter"] == ["f", "Filter"]
        chords = by_id(tables["g-chords: press g, then the key (a popup lists them)"])
        assert chords["chord.models"] == ["g m", "Models"]
        assert chords["chord.overview"] == ["g o", "Overview"]
