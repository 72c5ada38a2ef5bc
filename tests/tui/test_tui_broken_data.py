"""Broken data from a server (issue 7): a value no formatter can show reads `?` in its own
cell, the rest is drawn and the problem is reported once; a 10 MB description stays
responsive (the viewer only ever handles what is on screen)."""

from __future__ import annotations

from typing import Any

import httpx
from tui_helpers import MakeApp, current_screen, settle, wait_until
from tui_probe import SIZE, field_rows, grid_cell, toasts

from xerotui.config.settings import Settings
from xerotui.launcher import SandboxInfo
from xerotui.tui.screens.model_detail import ModelDetailScreen
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.widgets.text_viewer import TextViewer


async def set_raw(info: SandboxInfo, model_id: str, **fields: Any) -> None:
    async with httpx.AsyncClient(base_url=info.root_url, timeout=60) as http:
        answer = await http.post(f"/_sandbox/models/{model_id}/raw", json=fields)
        answer.raise_for_status()


async def first_ids(info: SandboxInfo) -> list[str]:
    headers = {"Authorization": f"Bearer {info.api_key}"}
    async with httpx.AsyncClient(base_url=info.base_url, headers=headers) as http:
        page = (await http.get("/models", params={"limit": 100})).json()
    return [m["id"] for m in page["data"]]


async def test_a_created_out_of_range_reads_question_mark_and_is_reported_once(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    ids = await first_ids(sandbox)
    await set_raw(sandbox, ids[2], created=10**15)
    app = make_app(settings=Settings(refresh_interval=0, wide_columns=True))
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        await settle(pilot)
        screen = current_screen(app)
        assert isinstance(screen, ModelsScreen)
        table = screen.table
        assert table.row_count == len(ids)  # every row is there, after the broken one too
        assert grid_cell(table, ids[2], "created") == "?"
        assert grid_cell(table, ids[3], "created").startswith("20")  # its neighbour is fine
        await wait_until(pilot, lambda: bool(toasts(app)), what="the report")
        reports = [t for _, t in toasts(app) if "cannot be shown" in t]
        assert len(reports) == 1
        assert "created" in reports[0]
        await pilot.press("ctrl+r")  # a refresh draws the table again: no second report
        await settle(pilot)
        assert len([t for _, t in toasts(app) if "cannot be shown" in t]) == 1
        assert "rows 1-43 of 43" in str(screen.query_one("#rows").render())
        # the detail shows the bad value as such, not a crash
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        detail = current_screen(app)
        assert isinstance(detail, ModelDetailScreen)
        assert not app.unexpected_errors


async def test_a_ten_megabyte_description_stays_responsive(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    ids = await first_ids(sandbox)
    line = "All work and no play makes a long model card. " * 2 + "\n"
    huge = (line * (10_000_000 // len(line) + 1))[:10_000_000] + "THE END"
    await set_raw(sandbox, ids[0], description=huge)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = current_screen(app)
        assert isinstance(detail, ModelDetailScreen)
        assert detail.loaded
        cut = field_rows(detail.query_one("#detail-fields"))["Description"]
        assert cut.endswith("…  f: all 10,000,007 characters")  # cut at 120 in the fields
        await pilot.press("f")
        await pilot.pause()
        viewer = detail.query_one(TextViewer)
        assert viewer.display
        assert viewer.virtual_size.height > 100_000  # the whole text, wrapped lazily
        await pilot.press("end")
        await pilot.pause()
        assert "THE END" in "\n".join(
            "".join(s.text for s in viewer.render_line(y)) for y in range(viewer.size.height)
        )
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(current_screen(app), ModelsScreen)
