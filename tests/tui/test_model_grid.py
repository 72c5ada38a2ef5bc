"""ModelGrid on its own (host app, models from the sandbox): rows, keys, marks, flash,
spinner, header clicks, the frozen Name column, and the column layout."""

from __future__ import annotations

from typing import ClassVar, Self

from grid_host import GridHost, lines, load_inventory, strips
from rich.cells import cell_len
from textual import events
from textual.geometry import Region
from tui_helpers import wait_until

from xerotui.launcher import SandboxInfo
from xerotui.tui.format import SPINNER
from xerotui.tui.widgets.grid_layout import fit as fit_cells
from xerotui.tui.widgets.grid_layout import layout_for
from xerotui.tui.widgets.grid_rows import plain_box
from xerotui.tui.widgets.model_grid import ModelGrid

WIDE_FIVE = ("Architecture", "Quant", "Context", "Params", "Created")


async def test_rows_render_from_the_source_without_copying_it(sandbox: SandboxInfo) -> None:
    inventory = await load_inventory(sandbox)
    view = inventory.view()
    app = GridHost(view)
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        grid = app.grid
        assert grid.models is view  # held, not copied
        shown = lines(grid)
        assert shown[0].split() == ["ID", "Name", "Format", "Size", "Status", "Version", "Shared"]
        for line, model in zip(shown[1:], view, strict=False):
            assert model.id[:8] in line
            assert model.name
            assert model.name in line
        assert len(shown) == 19  # header + 18 rows
        ranges = app.of(ModelGrid.RangeChanged)
        assert (ranges[-1].first, ranges[-1].last, ranges[-1].total) == (0, 17, len(view))


async def test_cursor_keys_move_and_scroll(big_sandbox: SandboxInfo) -> None:
    view = (await load_inventory(big_sandbox)).view()
    count = len(view)
    app = GridHost(view)
    async with app.run_test(size=(120, 12)) as pilot:
        grid = app.grid
        rows = grid.page_rows
        assert rows == 10  # 12 lines: status line, header
        await pilot.press("j", "j", "down")
        assert grid.cursor_row == 3
        await pilot.press("k", "up", "k", "k")  # stops at the top
        assert grid.cursor_row == 0
        await pilot.press("down", "down", "ctrl+d")
        assert grid.cursor_row == 2 + rows // 2
        await pilot.press("ctrl+u")
        assert (grid.cursor_row, grid.scroll_offset.y) == (2, 0)
        await pilot.press("pagedown")  # a page on, the cursor keeps its place on screen
        assert (grid.cursor_row, grid.scroll_offset.y) == (2 + rows, rows)
        await pilot.press("pageup")
        assert (grid.cursor_row, grid.scroll_offset.y) == (2, 0)
        await pilot.press("G")
        assert grid.cursor_row == count - 1
        assert grid.scroll_offset.y == count - rows
        assert view[-1].id[:8] in lines(grid)[-1]
        await pilot.press("home")
        assert (grid.cursor_row, grid.scroll_offset.y) == (0, 0)
        await pilot.press("end")
        assert grid.cursor_row == count - 1
        grid.action_top()  # `g g` is the app's chord
        await pilot.pause()
        assert grid.highlighted_id == view[0].id
        assert app.of(ModelGrid.Highlighted)[-1].model_id == view[0].id
        last = app.of(ModelGrid.RangeChanged)[-1]
        assert (last.first, last.last, last.total) == (0, rows - 1, count)
        await pilot.press("enter")
        assert [m.model_id for m in app.of(ModelGrid.Selected)] == [view[0].id]


async def test_highlighted_messages_replace_each_other() -> None:
    grid = ModelGrid()
    first = ModelGrid.Highlighted(grid, "a", 1)
    assert first.can_replace(ModelGrid.Highlighted(grid, "b", 2))
    assert not first.can_replace(ModelGrid.Highlighted(ModelGrid(), "b", 2))
    assert not first.can_replace(ModelGrid.Selected(grid, "a"))


async def test_bindings_have_ids_and_descriptions() -> None:
    for binding in ModelGrid.BINDINGS:
        assert not isinstance(binding, tuple)
        assert (binding.id or "").startswith("models."), binding
        assert binding.description, binding
    keys = {b.key for b in ModelGrid.BINDINGS if not isinstance(b, tuple)}
    for key in ("up,k", "down,j", "pagedown", "pageup", "ctrl+d", "ctrl+u", "home", "end,G"):
        assert key in keys


async def test_marks_and_flash_redraw_their_rows(sandbox: SandboxInfo) -> None:
    view = (await load_inventory(sandbox)).view()
    app = GridHost(view)
    async with app.run_test(size=(120, 16)) as pilot:
        grid = app.grid
        grid.set_marker("mark", {view[1].id, view[3].id})
        await pilot.pause()
        shown = lines(grid)
        assert [line[0] for line in shown[1:6]] == [" ", "●", " ", "●", " "]
        assert grid.marked() == {view[1].id, view[3].id}
        grid.set_marker("mark", {view[3].id})
        await pilot.pause()
        assert [line[0] for line in lines(grid)[1:6]] == [" ", " ", " ", "●", " "]

        grid.flash([view[2].id], seconds=0.3)
        await pilot.pause()
        assert all(seg.style and seg.style.reverse for seg in strips(grid)[3][:-1])
        assert not any(seg.style and seg.style.reverse for seg in strips(grid)[2])
        await wait_until(pilot, lambda: not grid.flashing, seconds=5, what="the flash to end")
        await pilot.pause()
        assert not any(seg.style and seg.style.reverse for seg in strips(grid)[3])


class CountingGrid(ModelGrid):
    """Records the lines it asks Textual to repaint (public `refresh`, nothing private)."""

    refreshed: ClassVar[list[int]] = []

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if regions:
            for region in regions:
                self.refreshed.extend(region.line_range)
        else:
            self.refreshed.extend(range(self.size.height))
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)


async def test_spinner_tick_redraws_only_visible_rows_in_progress(sandbox: SandboxInfo) -> None:
    view = (await load_inventory(sandbox)).view()
    view[2] = view[2].model_copy(update={"status": "validating"})
    app = GridHost(view, grid_class=CountingGrid)
    app.animation_level = "full"
    async with app.run_test(size=(120, 16)) as pilot:
        grid = app.grid
        await pilot.pause()
        assert "◌ validating" in lines(grid)[3]  # no frame yet: a still glyph
        CountingGrid.refreshed.clear()
        grid.tick()
        await pilot.pause()
        assert set(CountingGrid.refreshed) == {3}
        assert f"{SPINNER[1]} validating" in lines(grid)[3]
        CountingGrid.refreshed.clear()
        await pilot.press("down")  # a cursor move repaints the two lines it touches
        assert set(CountingGrid.refreshed) == {1, 2}
        app.animation_level = "none"
        grid.tick()
        await pilot.pause()
        assert "◌ validating" in lines(grid)[3]


async def test_a_frame_reuses_the_strips_of_rows_it_already_showed(sandbox: SandboxInfo) -> None:
    """What Textual caches on a Strip (line filters, chops, escape codes) is kept when the
    rows scroll: a row that stays on screen is the same Strip object a line higher."""
    view = (await load_inventory(sandbox)).view()
    app = GridHost(view)
    async with app.run_test(size=(120, 16)) as pilot:
        grid = app.grid
        await pilot.pause()
        before = grid.render_lines(Region(0, 0, *grid.outer_size))
        again = grid.render_lines(Region(0, 0, *grid.outer_size))
        assert all(a is b for a, b in zip(before, again, strict=True))
        grid.move_cursor(grid.page_rows)  # one row past the screen: scrolled by one
        await pilot.pause()
        assert grid.scroll_offset.y == 1
        after = grid.render_lines(Region(0, 0, *grid.outer_size))
        assert after[0] is before[0]  # the header
        # rows 2..: the line one higher, unless the scroll track's thumb moved over it
        kept = [y for y in range(2, len(after) - 1) if after[y - 1] is before[y]]
        assert len(kept) >= len(after) - 6
        assert [s.text for s in after[1:-1]] == [s.text for s in before[2:]]


async def test_a_grid_given_a_border_is_drawn_by_textual_with_it(sandbox: SandboxInfo) -> None:
    """The grid's own path skips what its CSS does not have; with a border, padding or
    tint set on it, Textual draws them (`plain_box`)."""
    view = (await load_inventory(sandbox)).view()
    app = GridHost(view)
    async with app.run_test(size=(120, 16)) as pilot:
        grid = app.grid
        assert plain_box(grid)
        app.screen.styles.opacity = 0.5  # an ancestor's opacity fades the grid too
        assert not plain_box(grid)
        app.screen.styles.opacity = 1.0
        assert plain_box(grid)
        grid.styles.border = ("round", "red")
        await pilot.pause()
        shown = lines(grid)
        assert shown[0].startswith("╭")
        assert shown[-1].startswith("╰")
        assert shown[1].startswith("│")
        assert shown[1].split()[1:3] == ["ID", "Name"]
        assert view[0].id[:8] in shown[2]
        assert not plain_box(grid)


class ResizeWatchingGrid(ModelGrid):
    """Draws itself when told of a new size, before ModelGrid's own handler has placed the
    columns again: the frame Textual may paint in between."""

    widths: ClassVar[list[tuple[int, set[int]]]] = []

    def on_resize(self, event: events.Resize) -> None:  # runs before ModelGrid.on_resize
        lines = self.render_lines(Region(0, 0, *self.size))
        self.widths.append((self.size.width, {line.cell_length for line in lines}))


async def test_a_frame_between_a_resize_and_its_handler_fills_the_width(
    sandbox: SandboxInfo,
) -> None:
    """Wider before the columns are placed again: every line is padded to the new width
    (a short strip leaves the compositor's cut past its end empty: a blank line)."""
    view = (await load_inventory(sandbox)).view()
    app = GridHost(view, grid_class=ResizeWatchingGrid)
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        ResizeWatchingGrid.widths.clear()
        await pilot.resize_terminal(140, 12)
        await wait_until(pilot, lambda: app.grid.size.width == 140, what="the new width")
        await pilot.pause()
        assert (140, {140}) in ResizeWatchingGrid.widths
        assert all(lengths == {width} for width, lengths in ResizeWatchingGrid.widths)
        assert view[0].id[:8] in lines(app.grid)[1]


async def test_header_click_asks_for_a_sort_and_shows_the_arrow(sandbox: SandboxInfo) -> None:
    view = (await load_inventory(sandbox)).view()
    app = GridHost(view)
    async with app.run_test(size=(120, 16)) as pilot:
        grid = app.grid
        layout = grid.layout_now
        assert layout is not None
        size = next(p for p in layout.columns if p.column.key == "size")
        assert await pilot.click(ModelGrid, offset=(size.start + 2, 0))
        assert [m.column for m in app.of(ModelGrid.SortRequested)] == ["size"]
        grid.set_sort("size", descending=False)
        await pilot.pause()
        assert "Size▲" in lines(grid)[0]
        # a click on a row moves the cursor there; a second click selects it
        assert await pilot.click(ModelGrid, offset=(20, 3))
        assert grid.cursor_row == 2
        assert await pilot.click(ModelGrid, offset=(20, 3))
        assert [m.model_id for m in app.of(ModelGrid.Selected)] == [view[2].id]


async def test_wide_mode_keeps_name_frozen_when_scrolled_sideways(sandbox: SandboxInfo) -> None:
    view = (await load_inventory(sandbox)).view()
    app = GridHost(view, wide=True)
    async with app.run_test(size=(120, 16)) as pilot:
        grid = app.grid
        layout = grid.layout_now
        assert layout is not None
        assert layout.max_scroll_x > 0
        assert "Format" in lines(grid)[0]
        await pilot.press(*["right"] * 12)
        assert grid.scroll_offset.x == layout.max_scroll_x
        header = lines(grid)[0]
        assert header.split()[:2] == ["ID", "Name"]  # frozen
        assert all(label in header for label in WIDE_FIVE)  # all five at 120 columns
        assert "Format" not in header
        for line, model in zip(lines(grid)[1:], view, strict=False):
            assert line.startswith(f"  {model.id[:8]}  {model.name}")
        await pilot.press(*["left"] * 12)
        assert grid.scroll_offset.x == 0
        assert "Format" in lines(grid)[0]
        # back to narrow while scrolled: nothing left scrolled off
        await pilot.press(*["right"] * 12)
        grid.set_wide(False)
        await pilot.pause()
        assert grid.scroll_offset.x == 0
        assert lines(grid)[0].split()[:3] == ["ID", "Name", "Format"]


async def test_at_80_columns_names_are_cut_in_the_middle_and_no_cell_is_wasted(
    big_sandbox: SandboxInfo,
) -> None:
    view = (await load_inventory(big_sandbox)).view()
    app = GridHost(view)
    async with app.run_test(size=(80, 24)):
        grid = app.grid
        layout = grid.layout_now
        assert layout is not None
        assert "id" not in layout.keys  # folded below 100 columns
        assert layout.total_width == layout.viewport  # Name takes every cell left
        shown = lines(grid)
        assert shown[0].split()[-1] == "Shared"
        long_names = [m for m in view[: grid.page_rows] if len(m.name or "") > 21]
        assert long_names
        for model in long_names:
            name = model.name or ""
            line = shown[view.index(model) + 1]
            cut = fit_cells(name, 21, middle=True)
            assert cut in line
            assert "…" in cut
            assert cut.startswith(name[:10])
            assert cut.endswith(name[-10:])


async def test_a_new_source_keeps_the_cursor_on_its_model_and_changed_models_redraw(
    sandbox: SandboxInfo,
) -> None:
    inventory = await load_inventory(sandbox)
    view = inventory.view()
    app = GridHost(view)
    async with app.run_test(size=(120, 16)) as pilot:
        grid = app.grid
        await pilot.press("down", "down", "down")
        model = view[3]
        needle = (model.name or "")[:5]
        filtered = inventory.view(needle)
        grid.set_source(filtered, keep=model.id)
        await pilot.pause()
        assert grid.models is filtered
        assert grid.cursor_row == filtered.index(model)
        assert grid.highlighted_id == model.id
        # the model changes (a refresh or an update puts a new object in its place)
        inventory.update(model.model_copy(update={"status": "failed"}))
        grid.set_source(inventory.view(needle), keep=model.id)
        await pilot.pause()
        assert "✖ failed" in lines(grid)[grid.cursor_row + 1]


def test_layout_sizes() -> None:
    narrow80 = layout_for(80, wide=False, markers=1, reserve=1)
    assert narrow80.total_width == narrow80.viewport == 79
    assert "id" not in narrow80.keys
    assert "id" not in layout_for(99, wide=False, markers=1, reserve=1).keys
    assert "id" in layout_for(100, wide=False, markers=1, reserve=1).keys
    wide120 = layout_for(120, wide=True, markers=1, reserve=1)
    tail = [p for p in wide120.columns if p.column.wide]
    assert wide120.frozen_width + sum(p.width + 2 for p in tail) <= 119
    name = next(p for p in wide120.columns if p.column.key == "name")
    assert name.width >= 40
    # one more marker (under watch, issue 9): Name gives up the cell, the wide five still fit
    two = layout_for(120, wide=True, markers=2, reserve=1)
    assert two.frozen_width == wide120.frozen_width
    assert two.columns[0].start == 2


def test_fit_cuts_by_cells() -> None:
    assert fit_cells("abcdefghij", 5, middle=True) == "ab…ij"
    assert fit_cells("abcdefghij", 5) == "abcd…"
    assert fit_cells("abc", 5, right=True) == "  abc"
    assert fit_cells("abc", 5) == "abc  "
    for width in range(1, 12):
        assert cell_len(fit_cells("日本語のモデル名です", width, middle=True)) == width


async def test_the_mouse_wheel_scrolls_without_a_scrollbar_widget(big_sandbox: SandboxInfo) -> None:
    view = (await load_inventory(big_sandbox)).view()
    app = GridHost(view)
    async with app.run_test(size=(120, 12)) as pilot:
        grid = app.grid
        for _ in range(3):
            grid.post_message(events.MouseScrollDown(grid, 5, 5, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert grid.scroll_offset.y > 0
        top = grid.scroll_offset.y
        assert lines(grid)[1].startswith(f"  {view[top].id[:8]}")
        assert grid.cursor_row == 0  # the wheel scrolls; the cursor stays on its model
        ranges = app.of(ModelGrid.RangeChanged)
        assert ranges[-1].first == top


async def test_a_theme_change_redraws_cached_lines_in_the_new_colours(
    sandbox: SandboxInfo,
) -> None:
    view = (await load_inventory(sandbox)).view()
    app = GridHost(view)
    async with app.run_test(size=(120, 12)) as pilot:
        app.theme = "textual-dark"
        await pilot.pause()
        dark = strips(app.grid)[2][1].style
        app.theme = "textual-light"
        await pilot.pause()
        light = strips(app.grid)[2][1].style
        assert dark is not None
        assert light is not None
        assert dark.bgcolor != light.bgcolor
