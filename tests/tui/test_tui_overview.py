"""Overview (`g o`): counts by status, shared, total size, newest models, the connection."""

from __future__ import annotations

from collections import Counter
from typing import Any

from textual.widget import Widget
from tui_helpers import MakeApp, server_models, settle
from tui_probe import (
    SIZE,
    delete_model,
    field_rows,
    grid_rows,
    no_pending_jobs,
    panel_lines,
    utc_date,
    widget_lines,
    widget_text,
)

from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.overview import OverviewScreen


def size_1024(total: int) -> str:
    """The expected text, worked out here independently of xerotui.tui.format."""
    units = ["B", "KB", "MB", "GB", "TB"]
    power = 0
    value = float(total)
    while value >= 1024 and power < len(units) - 1:
        value /= 1024
        power += 1
    return f"{value:.2f} {units[power]}"


def status_counts(widget: Widget) -> dict[str, int]:
    counts = {}
    for line in panel_lines(widget):
        if line.strip():
            words = line.split()
            counts[words[0]] = int(words[1].replace(",", ""))  # status, count, bar
    return counts


async def go_overview(app: XeroApp, pilot: Any) -> OverviewScreen:
    await pilot.press("g", "o")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, OverviewScreen)
    return screen


async def test_counts_shared_size_and_formats_match_the_server(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    await no_pending_jobs(sandbox)
    truth = await server_models(sandbox)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await go_overview(app, pilot)
        assert status_counts(screen.query_one("#ov-status")) == Counter(m["status"] for m in truth)
        shared = sorted(
            (m for m in truth if m["is_shared"]), key=lambda m: m["created"], reverse=True
        )
        formats = Counter(m["format"] for m in truth)
        catalog = field_rows(screen.query_one("#ov-catalog"))
        assert catalog == {
            "Models": f"{len(truth):,}",
            "Shared": f"{len(shared):,} in the public catalog",
            "Total size": size_1024(sum(m["size_bytes"] for m in truth)),
            "Formats": ", ".join(f"{k} {v:,}" for k, v in formats.most_common()),
            # the first three, and how many more: the count above is all of them
            "Shared models": ", ".join(m["name"] for m in shared[:3]) + f" +{len(shared) - 3} more",
        }
        assert len(shared) > 3  # the seed shares more than three (the +N more line is tested)


async def test_newest_models_in_created_order(make_app: MakeApp, sandbox: SandboxInfo) -> None:
    await no_pending_jobs(sandbox)
    truth = await server_models(sandbox)
    newest = sorted(truth, key=lambda m: m["created"], reverse=True)[:8]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await go_overview(app, pilot)
        panel = screen.query_one("#ov-newest")
        assert "Newest models" in widget_lines(panel)[0]
        rows = grid_rows(panel)
        assert [r[1] for r in rows] == [m["version"] for m in newest]  # the latest version
        assert [r[2] for r in rows] == [utc_date(m["created"]) for m in newest]
        for row, model in zip(rows, newest, strict=True):  # long names end in "…" to fit
            name = row[0]
            assert name == model["name"] or (
                name.endswith("…") and model["name"].startswith(name[:-1]) and len(name) > 20
            ), (name, model["name"])
        assert [r[3].split()[-1] for r in rows] == [m["status"] for m in newest]


async def test_connection_panel_and_header_never_show_the_full_key(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await go_overview(app, pilot)
        connection = field_rows(screen.query_one("#ov-connection"))
        requests = len(app.request_log)
        assert requests >= 1
        assert connection["Profile"] == "test  (test fixture)"
        assert connection["Base URL"] == sandbox.base_url
        assert connection["Project"] == "proj_demo"
        assert connection["API key"] == "xero_proj_demo_••••-key"
        assert connection["Requests"] == f"{requests:,} this session, 0 failed"
        assert connection["Median latency"].endswith(" ms")
        header = widget_text(screen.query_one("#link")).strip()
        assert header == "test · proj_demo · ● connected"
        # nowhere on the screen, not even hidden in a screenshot, is the whole key
        assert sandbox.api_key not in app.export_screenshot()
        assert "xero_proj_demo_••••-key" in app.export_screenshot()


async def test_refresh_follows_the_server(make_app: MakeApp, sandbox: SandboxInfo) -> None:
    await no_pending_jobs(sandbox)
    truth = await server_models(sandbox)
    shared = [m for m in truth if m["is_shared"]]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await go_overview(app, pilot)
        for model in shared:
            await delete_model(sandbox, model["id"])
        await pilot.press("ctrl+r")
        await settle(pilot)
        left = [m for m in truth if not m["is_shared"]]
        catalog = field_rows(screen.query_one("#ov-catalog"))
        assert catalog["Models"] == f"{len(left):,}"
        assert catalog["Shared"] == "0 in the public catalog"
        assert catalog["Shared models"] == "-"
        assert catalog["Total size"] == size_1024(sum(m["size_bytes"] for m in left))
        assert status_counts(screen.query_one("#ov-status")) == Counter(m["status"] for m in left)
