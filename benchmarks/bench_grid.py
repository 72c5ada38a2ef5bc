"""Three model tables on the same benchmark: which one to keep (issue 11, design.md section 8).

Run: `.venv/bin/python benchmarks/bench_grid.py [--runs 3] [--downs 150] [--rss-models 100000]`.
`textual-fastdatatable` must be installed in the venv to include it (it is not a project
dependency: `pip install textual-fastdatatable`); without it its column says so.

- table: today's `ModelTable` (DataTable) driven as the models screen drives it: pages of
  100 rows (`show_page`), `]` for the next page.
- grid: `ModelGrid` (Line API), one scrollable view of every matching model.
- fast: `textual_fastdatatable.DataTable` (the table harlequin uses) over an Arrow table
  of the formatted cells (formatted once per model up front and cached, its best case);
  a filter mounts a new table, as its `clear()` says to.

Each runs in a host app of 120x40 (the widget, and a status line: "rows x-y of N" where
the widget can tell) under `run_test`, with the 10,043 models of a sandbox started with
`--seed-models 10000`, loaded over HTTP by `ModelInventory.load` once. The widgets take
turns within each run (A B C, A B C, ...) so a busy moment of the shared machine falls on
all of them; figures are the median over `--runs` of each run's p95 / median. Each figure
is printed twice: wall clock, and CPU time of the process over the same span (the machine
is shared; when other sessions keep both cores busy, the wall clock mostly measures them).

How a repaint is seen: as in bench_table.py (read its docstring), `App._display` and the
screen's frame methods are wrapped (benchmark only: the widgets use no private hooks);
a key's latency runs from just before `pilot.press` to the first frame whose state
(query, page, cursor row, scroll offset) is the state after the key.

The loaded models are moved out of the cyclic GC's sight (`gc.freeze()`, as the app could
do after a load; `--no-freeze` to see the pauses a full collection adds at 100,000 models).

RSS: a child process per widget with `--rss-models` models (the 10,043 of the sandbox
copied with new ids), the widget mounted and painted at 120x40; VmRSS and the part above
the same process with the models loaded but no table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import gc
import importlib.util
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any, cast

from bench_frames import Frames
from bench_util import (
    PYTHON,
    QUIET_CORES,
    machine_busy,
    machine_note,
    median,
    percentile,
    proc_status,
    sandbox,
    wait_quiet_async,
)
from grid_hosts import PAGE, FastHost, GridHost, Host, TableHost, cells

from xerotui.api.inventory import ModelInventory
from xerotui.api.requestlog import RequestLog
from xerotui.api.schema import Model

SIZE = (120, 40)
WIDGETS = ("table", "grid", "fast")
QUERIES = ("qwen", "llama-3", "validating", "gguf", "e", "no-such-model-zzz")
TARGETS = {"down": 8.0, "pagedown": 16.0, "paint": 8.0, "filter": 30.0}


# ---------------------------------------------------------------------- one run of one widget


async def measure(host: Host, options: argparse.Namespace, busy: list[int]) -> dict[str, Any]:
    frames = Frames(host.state)
    undo = frames.install(host)
    keys: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    try:
        async with host.run_test(size=SIZE) as pilot:
            await pilot.pause(0.3)
            frames.log.clear()

            async def press(key: str) -> None:
                if not await wait_quiet_async(0.3):
                    busy[0] += 1
                before = cast("tuple[Any, ...]", host.state())
                started, cpu_started = time.perf_counter(), time.process_time()
                await pilot.press(key)
                after = cast("tuple[Any, ...]", host.state())
                if after == before:
                    return  # nothing to see (end of a page)
                latency, cpu_then = await frames.first_after(started, after)
                names = [key]
                if key == "down":
                    names.append("scrolls" if before[-1] != after[-1] else "stays")
                for name in names:
                    keys.setdefault(name, []).append(latency)
                    cpu.setdefault(name, []).append((cpu_then - cpu_started) * 1000)

            paged = isinstance(host, TableHost)
            for index in range(options.downs):
                if paged and index and index % (PAGE - 1) == 0:
                    await press("right_square_bracket")
                await press("down")
            for index in range(9):
                if paged and index and index % 3 == 0:
                    await press("right_square_bracket")
                await press("pagedown")
            paint = [p for _, _, p, _, _ in frames.log]
            paint_cpu = [p for _, _, _, _, p in frames.log]

            swap: list[float] = []
            swap_cpu: list[float] = []
            for query in QUERIES:
                for _ in range(options.rounds):
                    await host.filter("")
                    await pilot.pause()
                    await wait_quiet_async(0.3)
                    started, cpu_started = time.perf_counter(), time.process_time()
                    await host.filter(query)
                    latency, cpu_then = await frames.first_after(started, host.state())
                    swap.append(latency)
                    swap_cpu.append((cpu_then - cpu_started) * 1000)
            await pilot.press("ctrl+q")
    finally:
        undo()
    return {
        "keys": keys,
        "paint": paint,
        "filter": swap,
        "cpu": {**cpu, "paint": paint_cpu, "filter": swap_cpu},
    }


def figures_of(
    keys: dict[str, list[float]], paint: list[float], swap: list[float]
) -> dict[str, float]:
    """One run's figures (a figure with no samples is left out)."""
    figures: dict[str, float] = {}
    for name, samples in (
        ("down", keys.get("down")),
        ("stays", keys.get("stays")),
        ("scrolls", keys.get("scrolls")),
        ("pagedown", keys.get("pagedown")),
        ("paint", paint),
        ("filter95", swap),
    ):
        if samples:
            figures[name] = percentile(samples, 0.95)
    if paint:
        figures["paint50"] = median(paint)
    if swap:
        figures["filter"] = median(swap)
    if keys.get("right_square_bracket"):
        figures["page"] = median(keys["right_square_bracket"])
    return figures


def summary(result: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Wall-clock figures, and the same in CPU time of the process (what the app itself
    spent: on a machine whose cores other sessions keep busy, the wall clock adds waiting)."""
    cpu = result["cpu"]
    return {
        "wall": figures_of(result["keys"], result["paint"], result["filter"]),
        "cpu": figures_of(cpu, cpu["paint"], cpu["filter"]),
    }


# ---------------------------------------------------------------------- models


async def load(info: Any) -> ModelInventory:
    from xerotui.tui.session import SessionOpener

    session = SessionOpener(RequestLog()).open(info.base_url, info.api_key, profile="b", origin="b")
    inventory = ModelInventory()
    async for _ in inventory.load(session.client):
        pass
    return inventory


def grown(models: Sequence[Model], count: int) -> list[Model]:
    """`count` models: `models`, then copies of them with new ids (and a suffix to names)."""
    out = list(models)
    copy = 0
    while len(out) < count:
        copy += 1
        for model in models[: count - len(out)]:
            out.append(model.model_copy(update={"id": f"{model.id}-{copy}"}))
    return out


def have_fast() -> bool:
    return importlib.util.find_spec("textual_fastdatatable") is not None


def make_host(kind: str, inventory: ModelInventory, formatted: dict[str, tuple[str, ...]]) -> Host:
    if kind == "table":
        return TableHost(inventory)
    if kind == "grid":
        return GridHost(inventory)
    return FastHost(inventory, formatted)


# ---------------------------------------------------------------------- RSS (child process)


def rss_child(options: argparse.Namespace) -> int:
    """Print {"models": kB, "mounted": kB, "peak": kB} for one widget with many models."""
    with open(options.dump) as handle:
        models = grown([Model.model_validate(m) for m in json.load(handle)], options.rss_models)
    inventory = ModelInventory()
    inventory.replace(models)
    del models
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # hand freed JSON back (glibc)
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    before = proc_status(os.getpid())["VmRSS"]
    formatted = {m.id: cells(m) for m in inventory.models} if options.rss_child == "fast" else {}
    host = make_host(options.rss_child, inventory, formatted)
    figures: dict[str, int] = {"models": before}

    async def run() -> None:
        async with host.run_test(size=SIZE) as pilot:
            await pilot.pause(0.5)
            await pilot.press("pagedown", "pagedown", "down")
            await pilot.pause(0.2)
            figures["mounted"] = proc_status(os.getpid())["VmRSS"]

    asyncio.run(run())
    figures["peak"] = proc_status(os.getpid())["VmHWM"]
    print(json.dumps(figures))
    return 0


def rss(kinds: Sequence[str], dump: str, count: int) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for kind in kinds:
        argv = [PYTHON, __file__, "--rss-child", kind, "--dump", dump, "--rss-models", str(count)]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            print(f"  rss {kind}: child failed: {done.stderr[-800:]}")
            continue
        out[kind] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


# ---------------------------------------------------------------------- report


ROWS = (
    ("down", "keypress to repaint, down, p95", "down"),
    ("stays", "  down within the visible rows, p95", ""),
    ("scrolls", "  down scrolling the table, p95", ""),
    ("pagedown", "pagedown, p95", "pagedown"),
    ("page", "  ] next page (table only), p50", ""),
    ("paint", "painting per frame, p95", "paint"),
    ("paint50", "  painting per frame, p50", ""),
    ("filter", "filter: swap the source to painted frame, p50", "filter"),
    ("filter95", "  filter, p95", ""),
)


def cell(value: float | None, base: float | None) -> str:
    if value is None:
        return f"{'-':>17}"
    if base is None or base == 0 or value is base:
        return f"{value:8.1f}         "
    return f"{value:8.1f} ({value / base:4.2f}x)"


def report(results: dict[str, list[dict[str, float]]], kinds: Sequence[str], title: str) -> None:
    print(f"  {title:<46}" + "".join(f"{k:>17}" for k in kinds))
    for key, label, target in ROWS:
        values: dict[str, float | None] = {}
        for kind in kinds:
            samples = [r[key] for r in results[kind] if key in r]
            values[kind] = median(samples) if samples else None
        base = values.get("table")
        line = f"  {label:<46}" + "".join(cell(values[k], base) for k in kinds)
        if target:
            goal = TARGETS[target]
            verdicts = " ".join(
                f"{k}:{'PASS' if v <= goal else 'MISS'}" for k, v in values.items() if v is not None
            )
            line += f"   target <= {goal:g}: {verdicts}"
        print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each widget (3)")
    parser.add_argument("--downs", type=int, default=150, help="`down` presses per run (150)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per filter query per run (3)")
    parser.add_argument("--widgets", default=",".join(WIDGETS), help="table,grid,fast")
    parser.add_argument("--timing-models", type=int, default=0, help="grow to N models (copies)")
    parser.add_argument(
        "--no-freeze",
        dest="freeze",
        action="store_false",
        help="leave the loaded models to the cyclic GC (default: gc.freeze() after loading)",
    )
    parser.add_argument("--rss-models", type=int, default=100_000, help="0: no RSS figures")
    parser.add_argument("--rss-child", choices=WIDGETS, help=argparse.SUPPRESS)
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.rss_child:
        return rss_child(options)
    kinds = [k for k in options.widgets.split(",") if k in WIDGETS]
    if "fast" in kinds and not have_fast():
        print("  textual-fastdatatable is not installed: `pip install textual-fastdatatable`")
        kinds.remove("fast")
    print(f"  {machine_note()}")

    import tempfile

    from bench_util import isolate_home

    restore = isolate_home()
    try:
        with sandbox(10_000) as (info, _):
            inventory = asyncio.run(load(info))
        seeded = list(inventory.models)
        if options.timing_models > len(inventory):
            inventory.replace(grown(seeded, options.timing_models))
        started = time.perf_counter()
        formatted = {m.id: cells(m) for m in inventory.models} if "fast" in kinds else {}
        format_ms = (time.perf_counter() - started) * 1000
        if options.freeze:
            # The models are long-lived and free of cycles: out of the collector's sight, a
            # full collection does not walk them (at 100,000 models one took ~190 ms).
            gc.collect()
            gc.freeze()
        results: dict[str, list[dict[str, dict[str, float]]]] = {k: [] for k in kinds}
        busy = {k: [0] for k in kinds}
        loads: list[str] = []
        for run in range(options.runs):
            for kind in kinds:
                loads.append(f"{kind}#{run + 1} {machine_busy(0.2):.2f}")
                host = make_host(kind, inventory, formatted)
                results[kind].append(summary(asyncio.run(measure(host, options, busy[kind]))))
        print(
            f"model tables at {len(inventory):,} models, {SIZE[0]}x{SIZE[1]}, "
            f"{options.runs} runs, {options.downs} downs + 9 pagedowns + "
            f"{len(QUERIES)}x{options.rounds} filters per run"
        )
        print(f"  cores busy (others) before each run: {', '.join(loads)}")
        print(
            "  presses that went while the machine was busy (>= "
            f"{QUIET_CORES} core, after waiting 0.3 s): "
            + ", ".join(f"{k} {busy[k][0]}" for k in kinds)
        )
        print(f"  gc.freeze() after loading: {'yes' if options.freeze else 'no'}")
        if "fast" in kinds:
            print(f"  fast: formatting every model's cells once up front took {format_ms:.0f} ms")
        for clock, title in (
            ("wall", "wall clock ms (median over runs)"),
            ("cpu", "CPU ms of the process (median over runs)"),
        ):
            report({k: [r[clock] for r in v] for k, v in results.items()}, kinds, title)
        if options.rss_models:
            with tempfile.TemporaryDirectory(prefix="xerotui-bench-grid-") as tmp:
                dump = os.path.join(tmp, "models.json")
                with open(dump, "w") as handle:
                    json.dump([m.model_dump(mode="json") for m in seeded], handle)
                figures = rss(kinds, dump, options.rss_models)
            print(f"  RSS with {options.rss_models:,} models, widget mounted at 120x40 (MB):")
            for kind, values in figures.items():
                mb = {k: v / 1024 for k, v in values.items()}
                adds = mb["mounted"] - mb["models"]
                print(
                    f"    {kind:<6} {mb['mounted']:6.0f} MB mounted (peak {mb['peak']:.0f}); "
                    f"models alone {mb['models']:.0f}, widget adds {adds:.0f}"
                    f"   target <= 250: {'PASS' if mb['peak'] <= 250 else 'MISS'}"
                )
    finally:
        restore()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    raise SystemExit(main())
