"""Paging, whole-project sort/filter and background load progress on 293 models.

`big_sandbox` is shared by the whole session and never reset: these tests only read it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, ProgressBar, Static
from tui_helpers import build_app, server_models, settle, wait_until

from xerotui.api.inventory import LoadProgress
from xerotui.api.schema import ModelList
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.models import ModelsScreen

TOTAL = 293  # 43 seed models + 250 synthetic ones
FILTER_FIELDS = ("name", "id", "architecture", "status", "quantization")


def row_ids(screen: ModelsScreen) -> list[str]:
    return [str(row.key.value) for row in screen.table.ordered_rows]


def plain(screen: ModelsScreen, selector: str) -> str:
    content = screen.query_one(selector, Static).content
    return content.plain if isinstance(content, Text) else str(content)


def models_screen(app: XeroApp) -> ModelsScreen:
    screen = app.screen
    assert isinstance(screen, ModelsScreen), screen
    return screen


def page_keys_enabled(app: XeroApp) -> tuple[bool, bool]:
    """(`[` enabled, `]` enabled) as the footer sees them."""
    bindings = app.screen.active_bindings
    keys = ("left_square_bracket", "right_square_bracket")
    prev, nxt = (key in bindings and bindings[key].enabled for key in keys)
    return prev, nxt


async def test_first_page_status_line_and_more_results_hint(big_sandbox: SandboxInfo) -> None:
    truth = await server_models(big_sandbox)
    assert len(truth) == TOTAL
    app = build_app(big_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = models_screen(app)
        assert row_ids(screen) == [m["id"] for m in truth[:100]]
        rows = plain(screen, "#rows")
        assert rows.startswith("rows 1-100 of 293 · page 1/3")
        assert plain(screen, "#hint") == "more results: ] for rows 101-200"
        assert screen.query_one("#load-progress", ProgressBar).display is False
    assert not app.unexpected_errors


async def test_brackets_page_forward_and_back_and_stop_at_the_ends(
    big_sandbox: SandboxInfo,
) -> None:
    truth = await server_models(big_sandbox)
    ids = [m["id"] for m in truth]
    app = build_app(big_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = models_screen(app)
        # page 1: `[` disabled, `]` enabled
        assert screen.check_action("page", (-1,)) is False  # hidden: no page before the first
        assert screen.check_action("page", (1,)) is True
        assert page_keys_enabled(app) == (False, True)
        await pilot.press("left_square_bracket")  # disabled: nothing happens
        assert screen.page == 0
        assert row_ids(screen) == ids[:100]

        await pilot.press("right_square_bracket")
        assert screen.page == 1
        assert row_ids(screen) == ids[100:200]
        assert plain(screen, "#rows").startswith("rows 101-200 of 293 · page 2/3")
        assert plain(screen, "#hint") == "more results: ] for rows 201-293"
        assert screen.table.highlighted_id == ids[100]  # cursor at the top of the new page
        assert page_keys_enabled(app) == (True, True)

        await pilot.press("right_square_bracket")
        assert screen.page == 2
        assert row_ids(screen) == ids[200:]
        assert len(row_ids(screen)) == 93
        assert plain(screen, "#rows").startswith("rows 201-293 of 293 · page 3/3")
        assert plain(screen, "#hint") == ""  # nothing more to show
        # last page: `]` disabled
        assert screen.check_action("page", (1,)) is False  # hidden on the last page
        assert screen.check_action("page", (-1,)) is True
        assert page_keys_enabled(app) == (True, False)
        await pilot.press("right_square_bracket")
        assert screen.page == 2
        assert row_ids(screen) == ids[200:]

        await pilot.press("left_square_bracket")
        assert screen.page == 1
        assert row_ids(screen) == ids[100:200]
        await pilot.press("left_square_bracket")
        assert screen.page == 0
        assert row_ids(screen) == ids[:100]
        assert plain(screen, "#rows").startswith("rows 1-100 of 293")
    assert not app.unexpected_errors


async def test_sort_by_name_covers_all_293_models(big_sandbox: SandboxInfo) -> None:
    truth = await server_models(big_sandbox)
    by_name = [m["id"] for m in sorted(truth, key=lambda m: (m["name"].lower(), m["id"]))]
    app = build_app(big_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = models_screen(app)
        await pilot.press("s", "s")  # sort by id, then by name (ascending)
        assert (screen.sort, screen.descending) == ("name", False)
        assert [m.id for m in screen.view] == by_name
        # the sort keeps the cursor on its model; go back to the first page to see the top
        while screen.page > 0:
            await pilot.press("left_square_bracket")
        assert row_ids(screen) == by_name[:100]
        assert row_ids(screen)[0] == by_name[0]
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert row_ids(screen) == by_name[200:]
        assert plain(screen, "#rows").startswith("rows 201-293 of 293 · page 3/3 · sort name ▲")
        await pilot.press("S")  # reverse: the whole project, largest name first
        assert [m.id for m in screen.view] == by_name[::-1]
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


async def test_filter_finds_models_that_are_only_on_later_pages(big_sandbox: SandboxInfo) -> None:
    truth = await server_models(big_sandbox)
    first_page = {m["id"] for m in truth[:100]}
    # the last model of all, by id: one match, on page 3
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
        await settle(pilot)
        screen = models_screen(app)
        await type_filter(pilot, screen, last_id)
        assert row_ids(screen) == [last_id]
        assert plain(screen, "#rows").startswith(f"rows 1-1 of 1 matching “{last_id}” (293 in all)")

        await pilot.press("escape")  # clear: all 293 again, the cursor stays on its model
        assert len(screen.view) == 293
        assert screen.table.highlighted_id == last_id
        assert row_ids(screen) == [m["id"] for m in truth[200:]]
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
        assert plain(screen, "#rows").startswith("rows 1-100 of 293")
        assert plain(screen, "#hint") == "loading 100/293"
        bar = screen.query_one("#load-progress", ProgressBar)
        assert bar.display is True
        assert (bar.progress, bar.total) == (100, TOTAL)

        release.set()
        await settle(pilot)
        assert screen.progress is None
        inventory = app.session.inventory
        assert inventory.complete is True
        assert len(inventory) == TOTAL
        assert len({m.id for m in inventory.models}) == TOTAL
        assert bar.display is False
        assert plain(screen, "#hint") == "more results: ] for rows 101-200"
        assert plain(screen, "#rows").startswith("rows 1-100 of 293")
    assert not app.unexpected_errors


async def test_inventory_matches_the_server_after_the_load(big_sandbox: SandboxInfo) -> None:
    truth = await server_models(big_sandbox)
    app = build_app(big_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
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
