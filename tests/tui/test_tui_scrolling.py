"""One scrollable view of 293 models: keys, whole-project sort/filter, background load progress.

`big_sandbox` is shared by the whole session and never reset: these tests only read it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, ProgressBar, Static
from tui_helpers import build_app, loaded, server_models, settle, wait_until

from xerotui.api.inventory import LoadProgress
from xerotui.api.schema import ModelList
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.models import ModelsScreen

TOTAL = 293  # 43 seed models + 250 synthetic ones
FILTER_FIELDS = ("name", "id", "architecture", "status", "quantization")


def row_ids(screen: ModelsScreen) -> list[str]:
    return [m.id for m in screen.table.models]


def plain(screen: ModelsScreen, selector: str) -> str:
    content = screen.query_one(selector, Static).content
    return content.plain if isinstance(content, Text) else str(content)


def models_screen(app: XeroApp) -> ModelsScreen:
    screen = app.screen
    assert isinstance(screen, ModelsScreen), screen
    return screen


def rows_on_screen(screen: ModelsScreen) -> range:
    return screen.table.visible_rows


async def test_one_view_of_every_model_and_the_status_line_says_which_rows_show(
    big_sandbox: SandboxInfo,
) -> None:
    truth = await server_models(big_sandbox)
    assert len(truth) == TOTAL
    app = build_app(big_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        screen = models_screen(app)
        assert row_ids(screen) == [m["id"] for m in truth]  # no pages: all 293 in one view
        shown = rows_on_screen(screen)
        assert (shown.start, len(shown)) == (0, screen.table.page_rows)
        assert plain(screen, "#rows") == f"rows 1-{len(shown)} of 293 · sort created ▼"
        assert plain(screen, "#hint") == ""
        assert not screen.query("TableStatus ProgressBar")  # mounted only while a load runs
        # no page keys any more: pagedown and half pages move through the one view
        assert "right_square_bracket" not in app.screen.active_bindings
    assert not app.unexpected_errors


async def test_vim_and_k9s_keys_move_through_every_model(big_sandbox: SandboxInfo) -> None:
    truth = await server_models(big_sandbox)
    ids = [m["id"] for m in truth]
    app = build_app(big_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        screen = models_screen(app)
        table = screen.table
        page = table.page_rows
        await pilot.press("j", "j", "k")
        assert table.cursor_row == 1
        assert app.feed.highlighted == ids[1]
        await pilot.press("ctrl+d")  # half a page down, the cursor keeps its place on screen
        assert table.cursor_row == 1 + page // 2
        await pilot.press("ctrl+u")
        assert table.cursor_row == 1
        await pilot.press("pagedown")
        assert table.cursor_row == 1 + page
        assert rows_on_screen(screen).start == page
        assert plain(screen, "#rows").startswith(f"rows {page + 1}-{2 * page} of 293")
        await pilot.press("G")  # the bottom
        assert table.cursor_row == TOTAL - 1
        assert app.feed.highlighted == ids[-1]
        assert plain(screen, "#rows").startswith(f"rows {TOTAL - page + 1}-293 of 293")
        await pilot.press("j")  # nothing below the last row
        assert table.cursor_row == TOTAL - 1
        await pilot.press("g", "g")  # the chord `g g`: the top
        assert table.cursor_row == 0
        assert app.feed.highlighted == ids[0]
        assert plain(screen, "#rows").startswith(f"rows 1-{page} of 293")
        await pilot.press("end", "home")
        assert table.cursor_row == 0
    assert not app.unexpected_errors


async def test_sort_by_name_covers_all_293_models_and_goes_back_to_created(
    big_sandbox: SandboxInfo,
) -> None:
    truth = await server_models(big_sandbox)
    by_name = [m["id"] for m in sorted(truth, key=lambda m: (m["name"].lower(), m["id"]))]
    app = build_app(big_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        screen = models_screen(app)
        await pilot.press("s", "s")  # sort by id, then by name (ascending)
        assert (screen.sort, screen.descending) == ("name", False)
        assert row_ids(screen) == by_name
        await pilot.press("g", "g")
        assert screen.table.highlighted_id == by_name[0]
        await pilot.press("G")
        assert screen.table.highlighted_id == by_name[-1]
        assert plain(screen, "#rows").endswith("of 293 · sort name ▲")
        await pilot.press("S")  # reverse: the whole project, largest name first
        assert row_ids(screen) == by_name[::-1]
        # `s` goes on through the visible columns, then back to created (the server's order)
        seen = []
        while screen.sort != "created":
            await pilot.press("s")
            seen.append(screen.sort)
        assert seen == ["format", "size", "status", "version", "shared", "created"]
        assert screen.descending is True
        assert row_ids(screen) == [m["id"] for m in truth]
        assert plain(screen, "#rows").endswith("· sort created ▼")
        await pilot.press("s")  # and round again
        assert screen.sort == "id"
    assert not app.unexpected_errors


def matching(truth: list[dict[str, Any]], needle: str) -> list[str]:
    """The ids the filter must show for `needle`, in server order (the test's own filter)."""
    needle = needle.lower()
    return [
        m["id"] for m in truth if any(needle in str(m.get(f) or "").lower() for f in FILTER_FIELDS)
    ]


async def type_filter(pilot: Pilot[None], screen: ModelsScreen, text: str) -> None:
    """`/`, the text (pasted: one change instead of a key per character), `enter`."""
    await pilot.press("slash")
    field = screen.query_one("#filter", Input)
    assert field.has_focus
    field.insert_text_at_cursor(text)
    await pilot.press("enter")
    assert screen.table.has_focus


async def test_filter_finds_models_far_down_the_list(big_sandbox: SandboxInfo) -> None:
    truth = await server_models(big_sandbox)
    first_page = {m["id"] for m in truth[:100]}
    # the last model of all, by id: one match, far below the first screen
    last_id = truth[-1]["id"]
    assert matching(truth, last_id) == [last_id]
    # the needle (a name, status or architecture of a later-page model) with the most
    # matches, all of them beyond the first page
    candidates = {
        str(m[f]).lower() for m in truth[100:] for f in ("name", "status", "architecture")
    }
    later_only = [n for n in candidates if not first_page & set(matching(truth, n))]
    needle = max(sorted(later_only), key=lambda n: len(matching(truth, n)))
    expected = matching(truth, needle)
    assert len(expected) >= 2, (needle, expected)

    app = build_app(big_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        screen = models_screen(app)
        await type_filter(pilot, screen, last_id)
        assert row_ids(screen) == [last_id]
        assert plain(screen, "#rows").startswith(f"rows 1-1 of 1 matching “{last_id}” (293 in all)")

        await pilot.press("escape")  # clear: all 293 again, the cursor stays on its model
        assert len(screen.view) == 293
        assert screen.table.highlighted_id == last_id
        assert screen.table.cursor_row == 292
        assert 292 in rows_on_screen(screen)  # scrolled to it
        await type_filter(pilot, screen, needle)
        assert row_ids(screen) == expected
        count = len(expected)
        assert plain(screen, "#rows").startswith(
            f"rows 1-{count} of {count} matching “{needle}” (293 in all)"
        )
        assert plain(screen, "#hint") == ""
    assert not app.unexpected_errors


async def test_pages_load_in_the_background_with_visible_progress(
    big_sandbox: SandboxInfo,
) -> None:
    """The first page shows at once; later pages are held back to look at the progress."""
    app = build_app(big_sandbox)
    assert app.session is not None
    client = app.session.client
    real_list = client.list_models
    release = asyncio.Event()
    later_pages: list[int] = []

    async def gated_list(limit: int = 100, offset: int = 0, extended: bool = True) -> ModelList:
        if offset > 0:
            later_pages.append(offset)
            await release.wait()
        return await real_list(limit=limit, offset=offset, extended=extended)

    client.list_models = gated_list  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = models_screen(app)
        await wait_until(
            pilot, lambda: sorted(later_pages) == [100, 200], what="the later page requests"
        )
        await pilot.pause()
        assert screen.progress == LoadProgress(100, TOTAL, False)
        assert app.session.inventory.complete is False
        assert len(app.session.inventory) == 100
        assert len(row_ids(screen)) == 100  # the first page is already on screen
        page = screen.table.page_rows
        assert plain(screen, "#rows").startswith(f"rows 1-{page} of 100 · sort")
        assert plain(screen, "#hint") == "loading 100/293"
        bar = screen.query_one("TableStatus ProgressBar", ProgressBar)
        assert bar.display is True
        assert (bar.progress, bar.total) == (100, TOTAL)

        release.set()
        await settle(pilot)
        assert screen.progress is None
        inventory = app.session.inventory
        assert inventory.complete is True
        assert len(inventory) == TOTAL
        assert len({m.id for m in inventory.models}) == TOTAL
        assert not bar.is_attached
        assert not screen.query("TableStatus ProgressBar")
        assert plain(screen, "#hint") == ""
        assert plain(screen, "#rows").startswith(f"rows 1-{page} of 293")
        assert len(row_ids(screen)) == TOTAL
    assert not app.unexpected_errors


async def test_inventory_matches_the_server_after_the_load(big_sandbox: SandboxInfo) -> None:
    truth = await server_models(big_sandbox)
    app = build_app(big_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        screen = models_screen(app)
        assert app.session is not None
        assert app.session.inventory.complete is True
        assert [m.id for m in app.session.inventory.models] == [m["id"] for m in truth]
        assert screen.progress is None
        offsets = sorted(
            r.query for r in app.request_log.records() if r.endpoint_key == "models.list"
        )
        assert offsets == [
            "limit=100&offset=0&extended=true",
            "limit=100&offset=100&extended=true",
            "limit=100&offset=200&extended=true",
        ]
    assert not app.unexpected_errors
