"""The models table's view of the demo seed: field filters typed in the `/` bar (a bad one
explained in the bar), the frozen Name column of wide mode, the 80x24 layout, and `q`."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input
from tui_helpers import MakeApp, current_screen, server_models, settle, wait_until
from tui_probe import grid_ids, highlight, widget_lines, widget_text

from xerotui.config.settings import Settings
from xerotui.launcher import SandboxInfo
from xerotui.tui.screens.catalog import CatalogScreen
from xerotui.tui.screens.jobs import JobsScreen
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.screens.recommendations import RecommendationsScreen
from xerotui.tui.screens.versions import VersionsScreen
from xerotui.tui.widgets.filter_bar import FilterBar

GB = 1024**3
WIDE_FIVE = ("Architecture", "Quant", "Context", "Params", "Created")


def models_screen(pilot: Pilot[Any]) -> ModelsScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ModelsScreen), screen
    return screen


async def type_filter(pilot: Pilot[Any], text: str) -> FilterBar:
    """`/` and `text` (in place of what the bar held), typed key by key; the bar stays
    focused."""
    screen = models_screen(pilot)
    bar = screen.query_one(FilterBar)
    if not bar.has_focus:
        await pilot.press("slash")
    bar.value = ""
    await pilot.press(*[{" ": "space"}.get(c, c) for c in text])
    await pilot.pause()
    assert bar.value == text
    return bar


def status_line(screen: ModelsScreen) -> str:
    return " ".join(widget_text(screen.query_one("#rows")).split())


def ids_where(truth: list[dict[str, Any]], keep: Any) -> list[str]:
    return [m["id"] for m in truth if keep(m)]


def name_has(word: str) -> Any:
    fields = ("name", "id", "architecture", "status", "quantization")
    return lambda m: any(word in str(m.get(f) or "").lower() for f in fields)


FILTERS: list[tuple[str, Any]] = [
    ("status:failed", lambda m: m["status"] == "failed"),
    ("status:failed,error", lambda m: m["status"] in {"failed", "error"}),
    ("format:gguf", lambda m: m.get("format") == "gguf"),
    ("quant:awq", lambda m: m.get("quantization") == "awq"),
    ("shared:yes", lambda m: m.get("is_shared") is True),
    ("size>20GB", lambda m: m["size_bytes"] > 20 * GB),
    ("size<=2GB", lambda m: m["size_bytes"] <= 2 * GB),
    ("qwen status:ready", lambda m: name_has("qwen")(m) and m["status"] == "ready"),
    ("qwen instruct", lambda m: name_has("qwen")(m) and name_has("instruct")(m)),
    (
        "arch:llama size>=10GB",
        lambda m: "llama" in str(m.get("architecture")).lower() and m["size_bytes"] >= 10 * GB,
    ),
]


@pytest.mark.parametrize(("text", "keep"), FILTERS, ids=[f[0] for f in FILTERS])
async def test_field_filters_show_exactly_the_matching_models(
    make_app: MakeApp, sandbox: SandboxInfo, text: str, keep: Any
) -> None:
    truth = await server_models(sandbox)
    expected = ids_where(truth, keep)
    assert expected, f"the seed has no model for {text!r}: the test would prove nothing"
    assert len(expected) < len(truth)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = models_screen(pilot)
        bar = await type_filter(pilot, text)
        assert bar.problem is None
        assert grid_ids(screen.table) == expected
        count = len(expected)
        assert status_line(screen).startswith(
            f"rows 1-{count} of {count} matching “{text}” ({len(truth)} in all)"
        )
        await pilot.press("enter")
        assert screen.table.has_focus
        assert screen.table.highlighted_id in expected
        assert app.feed.highlighted == screen.table.highlighted_id


async def test_a_bad_filter_is_explained_in_the_bar_and_the_table_keeps_the_last_good_one(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    qwen = ids_where(truth, name_has("qwen"))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = models_screen(pilot)
        bar = await type_filter(pilot, "qwen")
        assert grid_ids(screen.table) == qwen
        bar.insert_text_at_cursor(" size>lots")  # pasted on top of "qwen"
        await pilot.pause()
        assert bar.problem is not None
        assert "“lots” is not a size" in bar.problem
        assert bar.has_class("-invalid")
        lines = widget_lines(bar)
        assert "✗ " in lines[-1]  # on the bar's lower edge
        assert "is not a size" in lines[-1]
        assert grid_ids(screen.table) == qwen  # not an empty table: the last good filter
        assert "matching “qwen”" in status_line(screen)
        bar.value = "qwen color:red"
        await pilot.pause()
        assert bar.problem is not None
        assert "unknown field “color”" in bar.problem
        assert grid_ids(screen.table) == qwen
        await type_filter(pilot, "status:failed")  # fixed: the message goes
        assert bar.problem is None
        assert not bar.has_class("-invalid")
        assert grid_ids(screen.table) == ids_where(truth, lambda m: m["status"] == "failed")
        await pilot.press("enter", "escape")  # cleared: every model again
        assert grid_ids(screen.table) == [m["id"] for m in truth]
        assert not app.unexpected_errors


async def test_the_bar_shows_the_syntax_before_anything_is_typed(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        bar = models_screen(pilot).query_one(FilterBar)
        placeholder = widget_text(bar)
        for term in ("status:failed", "format:gguf", "quant:awq", "shared:yes", "size>10GB"):
            assert term in placeholder


async def test_wide_at_120_columns_shows_the_five_wide_columns_beside_a_frozen_name(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = models_screen(pilot)
        await pilot.press("w")
        lines = widget_lines(screen.table)
        header = lines[0]
        assert header.split()[:2] == ["ID", "Name"]
        for label in WIDE_FIVE:
            assert label in header
        for row, line in enumerate(lines[1:6]):
            cells = screen.table.row_cells(row)
            assert line.split()[0] == truth[row]["id"][:8]  # ID and Name stay on the left
            assert cells["name"] in line
            assert line.rstrip().endswith(cells["created"])  # the last wide column is there
        await pilot.press("left", "left", "left", "left", "left", "left")  # back to Format
        header = widget_lines(screen.table)[0]
        assert header.split()[:3] == ["ID", "Name", "Format"]
        assert "Status" in header
        await pilot.press("w")  # narrow again: nothing left scrolled off
        assert screen.table.scroll_offset.x == 0
        assert "Architecture" not in widget_lines(screen.table)[0]


async def test_at_80x24_names_are_cut_in_the_middle_and_no_column_is_empty(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    app = make_app(settings=Settings(refresh_interval=0, wide_columns=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = models_screen(pilot)
        grid = screen.table
        layout = grid.layout_now
        assert layout is not None
        assert layout.keys == ["name", "format", "size", "status", "version", "shared"]
        assert layout.total_width == layout.viewport  # Name takes every cell the others leave
        cut = 0
        for row in grid.visible_rows:
            cells = grid.row_cells(row)
            assert all(cells[key] for key in layout.keys), cells  # no empty column
            name = truth[row]["name"]
            if cells["name"] != name:
                cut += 1
                head, _, tail = cells["name"].partition("…")
                assert name.startswith(head)  # cut in the middle
                assert name.endswith(tail)
        assert cut  # the seed has names longer than the room at 80 columns


async def test_q_goes_back_from_screens_that_cannot_lose_work(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    model_id = truth[0]["id"]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        models = models_screen(pilot)
        await highlight(pilot, model_id)
        screens: tuple[tuple[tuple[str, ...], type[Screen[Any]]], ...] = (
            (("v",), VersionsScreen),
            (("g", "c"), CatalogScreen),
        )
        for keys, kind in screens:
            await pilot.press(*keys)

            def shown(kind: type[Screen[Any]] = kind) -> bool:
                return isinstance(app.screen, kind)

            await wait_until(pilot, shown, what=kind.__name__)
            await settle(pilot)
            await pilot.press("q")
            await settle(pilot)
            assert current_screen(app) is models, kind.__name__
        await pilot.press("g", "j")
        await settle(pilot)
        assert isinstance(app.screen, JobsScreen)
        await pilot.press("q")
        await settle(pilot)
        assert current_screen(app) is models
        await pilot.press("g", "w")
        await wait_until(
            pilot, lambda: isinstance(app.screen, RecommendationsScreen), what="recommendations"
        )
        field = app.screen.query_one("#rec-workspace", Input)
        assert field.has_focus
        await pilot.press("q")  # typed into the workspace field, not a way out
        assert field.value.endswith("q")
        assert isinstance(app.screen, RecommendationsScreen)
        app.screen.query_one("#rec-table").focus()
        await pilot.press("q")
        await settle(pilot)
        assert current_screen(app) is models
