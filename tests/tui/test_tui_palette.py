"""The command palette (ctrl+p): every action by name, running what the keys run."""

from __future__ import annotations

from typing import Any, cast

from textual.app import App
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, OptionList
from tui_helpers import MakeApp, server_models, settle, wait_until
from tui_probe import SIZE, grid_column

from xerotui.config.settings import Settings
from xerotui.launcher import SandboxInfo
from xerotui.tui.chords import CHORDS
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.screens.overview import OverviewScreen


def options(pilot: Pilot[Any]) -> list[tuple[str, str]]:
    """The palette's listed commands as (title, help) — the two lines of each option."""
    option_list = pilot.app.screen.query_one(OptionList)
    found = []
    for index in range(option_list.option_count):
        prompt = option_list.get_option_at_index(index).prompt
        lines = str(getattr(prompt, "plain", prompt)).split("\n")
        found.append((lines[0], lines[1] if len(lines) > 1 else ""))
    return found


async def open_palette(pilot: Pilot[Any], typed: str = "") -> None:
    """ctrl+p, then `typed` — set as the search field's value at once (as a paste would)."""
    await pilot.press("ctrl+p")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    if typed:
        palette.query_one(Input).value = typed


async def run_command(pilot: Pilot[Any], title: str) -> None:
    """Type `title` in the palette and run the option with exactly that title."""
    await open_palette(pilot, title)
    await wait_until(
        pilot,
        lambda: title in [t for t, _ in options(pilot)],
        what=f"{title!r} in the palette; have {options(pilot)}",
    )
    option_list = pilot.app.screen.query_one(OptionList)
    option_list.highlighted = [t for t, _ in options(pilot)].index(title)
    await pilot.press("enter")
    await settle(pilot)
    assert not CommandPalette.is_open(pilot.app)


async def test_palette_lists_every_chord_and_the_screen_keys(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_palette(pilot)
        expected = {
            f"{c.verb} {c.description}".strip(): f"g {c.key} · docs: {c.docs}" for c in CHORDS
        }
        expected |= {
            f"Models: {d}": f"key {k}"
            for d, k in (
                ("Filter", "/"),
                ("Mark", "space"),
                ("Wide", "w"),
                ("Sort", "s"),
                ("Reverse sort", "S"),
                ("Refresh", "^r"),
                ("Copy id", "y"),
                ("Copy curl", "Y"),
            )
        }
        expected |= {
            f"Models: sort by {column}": "or click the column header"
            for column in ("id", "name", "format", "size", "status", "version", "shared")
        }
        await wait_until(
            pilot,
            lambda: expected.items() <= dict(options(pilot)).items(),
            what=f"every command; have {options(pilot)}",
        )
        listed = dict(options(pilot))
        assert "Models: Next page" not in listed  # one page only: a disabled key is not offered
        await pilot.press("escape")
        assert not CommandPalette.is_open(cast("App[object]", app))


async def test_typing_overview_and_enter_goes_to_the_overview(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_palette(pilot)
        await pilot.press(*"Overview")  # typed key by key
        await wait_until(pilot, lambda: bool(options(pilot)), what="a match")
        assert options(pilot)[0] == ("Go to Overview", "g o · docs: Overview")
        await pilot.press("enter")  # the best match is highlighted
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert app.current_mode == "overview"


def keys(screen: ModelsScreen) -> list[str]:
    layout = screen.table.layout_now
    assert layout is not None
    return layout.keys


async def test_a_screen_command_runs_the_same_action_as_its_key(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        narrow = keys(screen)
        await run_command(pilot, "Models: Wide")
        assert screen.wide is True
        assert app.settings.wide_columns is True
        wide = keys(screen)
        assert wide == [*narrow, "architecture", "quantization", "context", "parameters", "created"]
        await pilot.press("w")  # the key toggles the very same state back
        assert screen.wide is False
        assert keys(screen) == narrow
        await run_command(pilot, "Go to Scope table")
        assert app.current_mode == "scope"


async def test_sort_by_name_from_the_palette(make_app: MakeApp, sandbox: SandboxInfo) -> None:
    truth = await server_models(sandbox)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelsScreen)
        await run_command(pilot, "Models: sort by name")
        assert screen.sort == "name"
        shown = grid_column(screen.table, "name")
        assert shown == sorted((m["name"] for m in truth), key=str.lower)
        await run_command(pilot, "Models: sort by size")
        sizes = {m["name"]: m["size_bytes"] for m in truth}
        shown_sizes = [sizes[name] for name in grid_column(screen.table, "name")]
        assert shown_sizes == sorted(shown_sizes, reverse=True)


async def test_palette_shows_overridden_chord_keys(make_app: MakeApp) -> None:
    app = make_app(settings=Settings(refresh_interval=0, keymap={"chord.models": "m"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_palette(pilot)
        await wait_until(pilot, lambda: bool(options(pilot)), what="the commands")
        assert dict(options(pilot))["Go to Models"] == "g m · docs: List Models"
