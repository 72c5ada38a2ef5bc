"""ModelGrid and hostile or broken data: escape sequences stay visible text, a bad value is
one `?` cell and one problem message, and nothing raised while drawing escapes a render."""

from __future__ import annotations

import re

import httpx
import pytest
from grid_host import GridHost, lines, load_inventory, strips

from xerotui.api.schema import Model
from xerotui.launcher import SandboxInfo
from xerotui.tui.widgets.grid_rows import RowPainter
from xerotui.tui.widgets.model_grid import ModelGrid

HOSTILE = "\x1b]0;owned\x07\x1b[2Jevil [bold]x[/bold]\u202e"


def screen_text(grid: ModelGrid) -> str:
    return "".join(seg.text for line in strips(grid) for seg in line)


async def test_a_hostile_name_renders_visibly(sandbox: SandboxInfo) -> None:
    view = (await load_inventory(sandbox)).view()
    view[1] = view[1].model_copy(update={"name": HOSTILE})
    app = GridHost(view)
    async with app.run_test(size=(120, 12)) as pilot:
        await pilot.pause()
        text = screen_text(app.grid)
        assert "\x1b" not in text
        assert "\x07" not in text
        assert "\u202e" not in text
        assert "␛]0;owned␇␛[2Jevil [bold]x[/bold]\\u202e" in lines(app.grid)[2]


async def test_hostile_text_from_the_server_renders_visibly(sandbox: SandboxInfo) -> None:
    """The same through the sandbox: an architecture set by PATCH, shown in wide mode."""
    target = (await load_inventory(sandbox)).view()[0]
    headers = {"Authorization": f"Bearer {sandbox.admin_api_key}"}
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers) as http:
        answer = await http.patch(f"/models/{target.id}", json={"architecture": "\x1b[31mRed"})
        assert answer.status_code == 200, answer.text
    view = (await load_inventory(sandbox)).view()
    assert view[0].architecture == "\x1b[31mRed"
    app = GridHost(view, wide=True)
    async with app.run_test(size=(120, 12)) as pilot:
        await pilot.press(*["right"] * 12)
        assert "␛[31mRed" in lines(app.grid)[1]
        assert "\x1b" not in screen_text(app.grid)


async def test_a_bad_created_shows_a_question_mark_and_one_problem(sandbox: SandboxInfo) -> None:
    view = (await load_inventory(sandbox)).view()
    bad = view[1] = view[1].model_copy(update={"created": 10**15})  # past year 9999
    app = GridHost(view, wide=True)
    async with app.run_test(size=(120, 12)) as pilot:
        await pilot.press(*["right"] * 12)
        line = lines(app.grid)[2]
        assert line.endswith(" ?")
        assert line.startswith(f"  {bad.id[:8]}  {bad.name}")  # the rest of the row is there
        assert re.search(r" \d{4}-\d\d-\d\d$", lines(app.grid)[1])  # its neighbours are fine
        for _ in range(3):  # drawn again and again: still one message
            await pilot.press("down", "up")
            app.grid.refresh()
            await pilot.pause()
        problems = app.of(ModelGrid.CellProblem)
        assert [(p.problem.model_id, p.problem.field) for p in problems] == [(bad.id, "created")]
        assert "year" in problems[0].problem.detail or "range" in problems[0].problem.detail


async def test_values_of_the_wrong_type_are_question_marks(sandbox: SandboxInfo) -> None:
    view = (await load_inventory(sandbox)).view()
    fields = view[0].model_dump()
    fields.update(size_formatted=None, size_bytes="huge", name=12345, context_length="long")
    view[0] = Model.model_construct(**fields)  # as if validation had been skipped
    app = GridHost(view, wide=True)
    async with app.run_test(size=(140, 12)) as pilot:
        await pilot.pause()
        assert lines(app.grid)[2].startswith(f"  {view[1].id[:8]}")  # other rows intact
        fields_hit = {p.problem.field for p in app.of(ModelGrid.CellProblem)}
        assert fields_hit == {"size", "name", "context"}


async def test_an_error_while_drawing_a_row_never_escapes_the_render(
    sandbox: SandboxInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = (await load_inventory(sandbox)).view()
    real_row = RowPainter.row

    def row(self: RowPainter, model: Model, state: object) -> object:
        if model.id == view[2].id:
            raise RuntimeError("bug in a painter")
        return real_row(self, model, state)  # type: ignore[arg-type]

    monkeypatch.setattr(RowPainter, "row", row)
    app = GridHost(view)
    async with app.run_test(size=(120, 12)) as pilot:
        await pilot.press("down", "down", "down", "up")
        shown = lines(app.grid)
        assert shown[3].strip() == f"? {view[2].id}"
        assert view[3].id[:8] in shown[4]
        assert app.grid.cursor_row == 2
        problems = app.of(ModelGrid.CellProblem)
        assert [(p.problem.model_id, p.problem.field) for p in problems] == [(view[2].id, "row")]
    # run_test re-raises an exception that escaped a handler or a render: none did
