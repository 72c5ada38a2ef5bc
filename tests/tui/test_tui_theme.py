"""Themes: Textual's and xerotier's; the one chosen is written to config.toml and restored."""

from __future__ import annotations

import threading
import time

import pytest
from tui_helpers import MakeApp, settle
from tui_probe import SIZE

from xerotui.config import paths
from xerotui.config import settings as settings_module
from xerotui.config.settings import Settings, load_settings
from xerotui.tui import app_shell as app_module
from xerotui.tui.theme import DEFAULT_THEME


async def test_theme_choice_is_saved_and_restored(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == DEFAULT_THEME
        assert {"xerotier-dark", "xerotier-light", "textual-light"} <= set(app.available_themes)
        assert not paths.config_file().exists()  # nothing written before a change
        app.theme = "textual-light"
        await settle(pilot)  # the settings worker (a thread) has written the file
        saved = load_settings()
        assert saved.theme == "textual-light"
        assert saved.refresh_interval == 0  # the other settings are kept as they were
        assert app.settings.theme == "textual-light"
    again = make_app(settings=load_settings())
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "textual-light"
        assert again.current_theme.dark is False


async def test_an_unknown_saved_theme_falls_back_to_the_default(make_app: MakeApp) -> None:
    app = make_app(settings=Settings(refresh_interval=0, theme="no-such-theme"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == DEFAULT_THEME
        assert app.is_running
        assert not paths.config_file().exists()  # falling back does not rewrite the choice


async def test_xerotier_light_theme_round_trip(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "xerotier-light"
        await settle(pilot)
        app.theme = DEFAULT_THEME  # back to the default: the file no longer names a theme
        await settle(pilot)
    assert load_settings().theme == DEFAULT_THEME
    assert "theme" not in paths.config_file().read_text()


async def test_the_last_theme_chosen_wins_even_when_a_write_is_slow(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Browsing themes in the palette changes app.theme on every step: the last one must stick.

    The first write is made slow (as a busy disk would), so the race is deterministic.
    """
    first = threading.Event()
    real_save = settings_module.save_settings

    def slow_first_save(settings: Settings) -> None:
        if not first.is_set():
            first.set()
            time.sleep(0.3)
        real_save(settings)

    monkeypatch.setattr(app_module, "save_settings", slow_first_save)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "textual-light"  # its write is the slow one
        await pilot.pause()
        app.theme = "nord"
        await settle(pilot)
        assert app.settings.theme == "nord"
    assert load_settings().theme == "nord"
