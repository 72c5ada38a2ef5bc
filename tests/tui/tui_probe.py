"""Reading what the app shows, and asking the sandbox for the truth, in the test_tui_* files.

What is on screen is read with `Widget.render_lines` (the strips Textual paints for a widget),
so a test sees the text a user sees, after wrapping and cropping. Toasts are Textual's own
`Toast` widgets (queried by type name; apps must run with `run_test(notifications=True)`).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
from rich.text import Text
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable
from tui_helpers import settle, wait_until

from xerotui.launcher import SandboxInfo
from xerotui.tui.widgets.model_grid import ModelGrid

SIZE = (120, 40)
BORDER = "│┃║╭╮╰╯─━"
REQUEST_ID = re.compile(r"^req_[0-9a-f]{24}$")


# ---------------------------------------------------------------------- screen text


def widget_lines(widget: Widget) -> list[str]:
    """The lines Textual paints for `widget` (border and padding included), right-stripped."""
    width, height = widget.outer_size
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, width, height))]


def widget_text(widget: Widget) -> str:
    return "\n".join(widget_lines(widget))


def _unframe(line: str) -> str | None:
    """A line inside a `.panel` border without the border and padding; None for a frame line."""
    stripped = line.strip()
    if not stripped or stripped[0] in "╭╰":
        return None if stripped else ""
    if stripped[0] in "│┃":
        inner = line.strip()[1:]
        if inner.endswith(("│", "┃")):
            inner = inner[:-1]
        return inner[1:] if inner.startswith(" ") else inner  # padding: 0 1
    return line


def panel_lines(widget: Widget) -> list[str]:
    """The lines inside a `.panel` frame (no border, no padding); the title line dropped."""
    return [line for line in map(_unframe, widget_lines(widget)) if line is not None]


def field_rows(widget: Widget, label_width: int = 16) -> dict[str, str]:
    """A FieldList as label -> value, wrapped values joined again with single spaces."""
    rows: dict[str, str] = {}
    last: str | None = None
    for raw in widget_lines(widget):
        line = _unframe(raw)
        if line is None or not line.strip():
            continue
        label, value = line[:label_width].strip(), line[label_width:].strip()
        if label:
            rows[label] = value
            last = label
        elif last is not None:
            rows[last] = f"{rows[last]} {value}"
    return rows


def grid_rows(widget: Widget) -> list[list[str]]:
    """A grid of cells separated by two or more spaces, one list per non-empty line."""
    rows = []
    for raw in widget_lines(widget):
        line = _unframe(raw)
        if line and line.strip():
            rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def plain(value: object) -> str:
    return value.plain if isinstance(value, Text) else str(value)


def table_rows(table: DataTable[Any]) -> list[list[str]]:
    """Every row of a DataTable as the plain text of its cells, in display order."""
    return [[plain(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def table_column(table: DataTable[Any], column: str) -> list[str]:
    keys = [c.key.value for c in table.ordered_columns]
    index = keys.index(column)
    return [row[index] for row in table_rows(table)]


def grid_ids(grid: ModelGrid) -> list[str]:
    """The model ids of every row of the models grid, in display order."""
    return [m.id for m in grid.models]


def grid_cell(grid: ModelGrid, model_id: str, column: str) -> str:
    """One cell of the models grid as it is drawn (a marker: "mark", "watch")."""
    row = grid.row_of(model_id)
    assert row is not None, f"{model_id} is not in the table"
    return grid.row_cells(row)[column]


def grid_column(grid: ModelGrid, column: str) -> list[str]:
    """A column of every row of the models grid, as drawn."""
    return [grid.row_cells(row)[column] for row in range(grid.row_count)]


# ---------------------------------------------------------------------- toasts


def toasts(app: App[Any]) -> list[tuple[str, str]]:
    """(severity, "title\\nmessage") of every toast on the current screen."""
    found = []
    for toast in app.screen.query("Toast"):
        severity = next(
            (s for s in ("information", "warning", "error") if toast.has_class(f"-{s}")), ""
        )
        found.append((severity, toast.render().plain))  # type: ignore[union-attr]
    return found


async def wait_toast(
    pilot: Pilot[Any], needle: str, *, severity: str | None = None
) -> tuple[str, str]:
    """Wait for a toast containing `needle` (and of `severity`); return it."""

    def find() -> tuple[str, str] | None:
        for sev, text in toasts(pilot.app):
            if needle in text and (severity is None or sev == severity):
                return sev, text
        return None

    await wait_until(
        pilot,
        lambda: find() is not None,
        what=f"a {severity or ''} toast with {needle!r}; have {toasts(pilot.app)}",
    )
    found = find()
    assert found is not None
    return found


# ---------------------------------------------------------------------- the sandbox's truth


@asynccontextmanager
async def sandbox_http(info: SandboxInfo) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {info.api_key}"}
    async with httpx.AsyncClient(base_url=info.base_url, headers=headers, timeout=30) as http:
        yield http


async def server_model(info: SandboxInfo, model_id: str) -> dict[str, Any]:
    """One model as `GET /models/{id}?extended=true` returns it."""
    async with sandbox_http(info) as http:
        response = await http.get(f"/models/{model_id}", params={"extended": "true"})
        response.raise_for_status()
        return dict(response.json())


async def delete_model(info: SandboxInfo, model_id: str) -> None:
    async with sandbox_http(info) as http:
        (await http.delete(f"/models/{model_id}")).raise_for_status()


async def set_faults(info: SandboxInfo, **faults: Any) -> None:
    async with httpx.AsyncClient(base_url=info.root_url, timeout=30) as http:
        (await http.post("/_sandbox/faults", json=faults)).raise_for_status()


async def no_pending_jobs(info: SandboxInfo) -> None:
    """Wait until the sandbox has finished its revalidation jobs, so statuses stay put.

    The seed has one `validating` model that turns `ready` a moment after each reset; a test
    comparing statuses with the server waits for that first.
    """
    async with httpx.AsyncClient(base_url=info.root_url, timeout=30) as http:
        for _ in range(200):
            health = (await http.get("/_sandbox/health")).json()
            if health["pending_jobs"] == 0:
                return
            await asyncio.sleep(0.05)
    raise AssertionError("the sandbox still has pending revalidation jobs")


def utc_datetime(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S")


def utc_date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")


# ---------------------------------------------------------------------- driving


async def highlight(pilot: Pilot[Any], model_id: str) -> None:
    """Put the models table's cursor on `model_id` (the table must be on screen)."""
    from xerotui.tui.screens.models import ModelsScreen

    screen = pilot.app.screen
    assert isinstance(screen, ModelsScreen), screen
    row = screen.table.row_of(model_id)
    assert row is not None, f"{model_id} is not in the table"
    screen.table.move_cursor(row)
    await pilot.pause()
    assert pilot.app.feed.highlighted == model_id  # type: ignore[attr-defined]


async def open_detail(pilot: Pilot[Any], model_id: str) -> Any:
    """Highlight `model_id` in the table, press enter, wait for the extended load."""
    from xerotui.tui.screens.model_detail import ModelDetailScreen

    await highlight(pilot, model_id)
    await pilot.press("enter")
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, ModelDetailScreen), what="the detail"
    )
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ModelDetailScreen)
    assert screen.model_id == model_id
    return screen
