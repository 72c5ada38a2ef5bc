"""The models table in the real app: keys, paint and filter at 10,043 models, next to the
DataTable-based table it replaced, in one run (design.md section 8, issue 11).

Run: `.venv/bin/python benchmarks/bench_table.py [--models 10000] [--runs 3] [--downs 150]`
(`--models 100000` for the figures with 100,043 models).

Two apps take turns within each run (table, grid, table, grid, ...) so that a busy moment of
the shared machine falls on both: `XeroApp` as `xerotui --base-url ... --api-key ...` builds
it (the grid: widgets/model_grid.py), and the same app with the models screen it had before
(baseline_screen.py, baseline_table.py: pages of 100 rows in a DataTable, `]` for the next
page). Each runs under `app.run_test(size=(120, 40))` against one sandbox with `--models`
synthetic models on the demo seed, from the moment its inventory is complete. Figures are
the median over `--runs` of each run's p95 (or median), printed for both with the ratio
grid / table; each in wall-clock ms and in CPU ms of the process over the same span (other
sessions share this 2-core machine: when they keep both cores busy the wall clock mostly
measures them).

How a repaint is seen (benchmark only; the app uses no private hooks for it): `App._display`
and the screen's frame methods are wrapped as in bench_grid.py (read its docstring and
bench_util's); a key's latency runs from just before `pilot.press` to the first frame whose
state (filter, page, cursor row, scroll offset) is the state after the key. Keys:
- down: `--downs` presses (the table: `]` after each 99, as its page ends there), split
  into the moves that scroll the rows and those that do not;
- pagedown: 9 presses; jump: the table's `]` (next page), the grid's `G` and `home`;
- filter: the text set in the `/` bar (as a paste: one Input.Changed) to the painted frame
  showing the filtered rows; QUERIES x `--rounds`, from an empty filter each time;
- paint: compositor + escape sequences of every frame during the keys.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Hashable
from typing import Any, ClassVar

from baseline_screen import BaselineModelsScreen
from bench_frames import Frames
from bench_util import (
    QUIET_CORES,
    build_app,
    isolate_home,
    machine_busy,
    machine_note,
    median,
    percentile,
    sandbox,
    wait_quiet_async,
)

from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.widgets.filter_bar import FilterBar

SIZE = (120, 40)
KINDS = ("table", "grid")
QUERIES = ("qwen", "llama-3", "validating", "gguf", "e", "no-such-model-zzz")
TARGETS = {"down": 8.0, "pagedown": 16.0, "jump": 16.0, "paint": 8.0, "filter": 30.0}


class BaselineApp(XeroApp):
    """The app with the models screen it had before the grid."""

    MODES: ClassVar[dict[str, Any]] = {**XeroApp.MODES, "models": BaselineModelsScreen}


def make_app(kind: str, info: SandboxInfo) -> Any:
    return build_app(info, app_class=BaselineApp if kind == "table" else None)


def state_of(app: Any) -> Hashable:
    """What a frame must show: the filter, the page (table), the cursor row, the scroll."""
    screen = app.screen
    if not hasattr(screen, "query_text"):
        return None
    table = screen.table
    return (
        screen.query_text,
        getattr(screen, "page", 0),
        table.cursor_row,
        round(table.scroll_offset.y),
    )


async def loaded(pilot: Any) -> None:
    """Wait (3 minutes at most) until every model is in and the models screen shows."""
    app = pilot.app
    deadline = time.monotonic() + 180
    while not (app.session.inventory.complete and hasattr(app.screen, "query_text")):
        if app.unexpected_errors:
            raise RuntimeError(f"the app hit an error: {app.unexpected_errors[0]!r}")
        if time.monotonic() > deadline:
            raise TimeoutError("the inventory did not complete")
        await pilot.pause(0.05)
    await app.workers.wait_for_complete()
    await pilot.pause(0.3)


async def measure(kind: str, info: SandboxInfo, options: argparse.Namespace) -> dict[str, Any]:
    app = make_app(kind, info)
    frames = Frames(lambda: state_of(app))
    undo = frames.install(app)
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    busy = 0
    try:
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            frames.log.clear()

            def record(names: list[str], latency: float, cpu_ms: float) -> None:
                for name in names:
                    wall.setdefault(name, []).append(latency)
                    cpu.setdefault(name, []).append(cpu_ms)

            async def press(key: str, name: str) -> None:
                nonlocal busy
                if not await wait_quiet_async(0.3):
                    busy += 1
                before = state_of(app)
                started, cpu0 = time.perf_counter(), time.process_time()
                await pilot.press(key)
                after = state_of(app)
                if after == before:
                    return  # nothing to see (the end of the list)
                latency, cpu_then = await frames.first_after(started, after)
                names = [name]
                if name == "down":
                    assert isinstance(before, tuple)
                    assert isinstance(after, tuple)
                    names.append("scrolls" if before[3] != after[3] else "stays")
                record(names, latency, (cpu_then - cpu0) * 1000)

            for index in range(options.downs):
                if kind == "table" and index and index % 99 == 0:
                    await press("right_square_bracket", "jump")
                await press("down", "down")
            for _ in range(9):
                await press("pagedown", "pagedown")
            for index in range(6):
                if kind == "table":
                    await press("right_square_bracket", "jump")
                else:
                    await press("G" if index % 2 == 0 else "home", "jump")
            paint = [p for _, _, p, _, _ in frames.log]
            paint_cpu = [p for _, _, _, _, p in frames.log]

            await pilot.press("slash")
            bar = app.screen.query_one(FilterBar)
            for query in QUERIES:
                for _ in range(options.rounds):
                    bar.value = ""
                    await pilot.pause()
                    await wait_quiet_async(0.3)
                    started, cpu0 = time.perf_counter(), time.process_time()
                    bar.value = query
                    latency, cpu_then = await filtered(frames, started, query)
                    record(["filter"], latency, (cpu_then - cpu0) * 1000)
            await pilot.press("ctrl+q")
    finally:
        undo()
    return {
        "wall": {**wall, "paint": paint},
        "cpu": {**cpu, "paint": paint_cpu},
        "busy": busy,
        "models": len(app.session.inventory),
    }


async def filtered(frames: Frames, since: float, query: str) -> tuple[float, float]:
    """(wall ms, process CPU seconds then) of the first frame after `since` that shows the
    rows filtered by `query` (where the cursor lands is the screen's business)."""
    deadline = time.perf_counter() + 3.0
    while True:
        for when, seen, _, cpu, _ in frames.log:
            if when > since and isinstance(seen, tuple) and seen[0] == query:
                return (when - since) * 1000, cpu
        if time.perf_counter() > deadline:
            raise TimeoutError(f"no frame filtered by {query!r}")
        await asyncio.sleep(0.001)


def figures_of(samples: dict[str, list[float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, values in samples.items():
        if values:
            out[name] = percentile(values, 0.95)
            out[f"{name}50"] = median(values)
    return out


ROWS = (
    ("down", "keypress to repaint, down, p95", "down"),
    ("stays", "  down within the rows on screen, p95", ""),
    ("scrolls", "  down scrolling the rows, p95", ""),
    ("pagedown", "pagedown, p95", "pagedown"),
    ("jump", "jump (table: ] next page; grid: G, home), p95", "jump"),
    ("paint", "painting per frame, p95", "paint"),
    ("paint50", "  painting per frame, p50", ""),
    ("filter50", "filter typed to painted frame, p50", "filter"),
    ("filter", "  filter typed to painted frame, p95", ""),
)


def report(results: dict[str, list[dict[str, float]]], title: str) -> None:
    print(f"  {title:<48}{'table':>10}{'grid':>10}{'grid/table':>12}")
    for key, label, target in ROWS:
        values = {
            kind: median([r[key] for r in results[kind] if key in r])
            if any(key in r for r in results[kind])
            else None
            for kind in KINDS
        }
        table, grid = values["table"], values["grid"]
        cells = "".join(f"{v:10.1f}" if v is not None else f"{'-':>10}" for v in (table, grid))
        ratio = f"{grid / table:11.2f}x" if table and grid is not None else f"{'-':>12}"
        line = f"  {label:<48}{cells}{ratio}"
        if target and grid is not None:
            goal = TARGETS[target]
            line += f"   target <= {goal:g}: {'PASS' if grid <= goal else 'MISS'}"
        print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=10_000, help="synthetic models (10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each app (3)")
    parser.add_argument("--downs", type=int, default=150, help="`down` presses per run (150)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per filter query (3)")
    options = parser.parse_args()
    if options.models < 1000:
        parser.error("--models: at least 1000 (the keys walk several screens)")
    note = machine_note()
    restore = isolate_home()
    results: dict[str, dict[str, list[dict[str, float]]]] = {"wall": {}, "cpu": {}}
    loads: list[str] = []
    busy = dict.fromkeys(KINDS, 0)
    models = 0
    try:
        with sandbox(options.models) as (info, _):
            for run in range(options.runs):
                for kind in KINDS:
                    loads.append(f"{kind}#{run + 1} {machine_busy(0.2):.2f}")
                    result = asyncio.run(measure(kind, info, options))
                    models = result["models"]
                    busy[kind] += result["busy"]
                    for clock in ("wall", "cpu"):
                        results[clock].setdefault(kind, []).append(figures_of(result[clock]))
    finally:
        restore()
    print(
        f"models table in the app, {models:,} models, {SIZE[0]}x{SIZE[1]}: the DataTable "
        f"table before issue 11 and the grid, {options.runs} runs each, taking turns"
    )
    print(f"  {note}")
    print(f"  cores busy (other processes) before each run: {', '.join(loads)}")
    print(
        f"  presses that went while the machine was busy (>= {QUIET_CORES} core after "
        f"waiting 0.3 s): " + ", ".join(f"{k} {v}" for k, v in busy.items())
    )
    report(results["wall"], "wall clock ms, median over runs")
    report(results["cpu"], "CPU ms of the process, median over runs")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    raise SystemExit(main())
