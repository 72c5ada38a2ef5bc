"""Startup and memory of the whole TUI process, in a pseudo terminal (design.md section 8),
next to the same figures for the DataTable-based table it had before the grid (issue 11).

Run: `.venv/bin/python benchmarks/bench_startup.py [--runs 7] [--models 10000]
[--rss-models 100000]`.

The TUI is started the way a person starts it: `.venv/bin/python -m xerotui --base-url URL
--api-key KEY` in a pty of 120x40 (os.openpty, TIOCSWINSZ, TERM=xterm-256color, HOME and
XEROTUI_HOME in a temporary directory), against a sandbox that is already running. The
baseline ("table") is the same start through benchmarks/baseline_main.py, which gives the
app the models screen it had before (baseline_screen.py). The two take turns, start by
start, so a busy moment of the shared machine falls on both.

- start to first frame with the model table filled (target <= 0.40 s): the clock starts
  just before the child is spawned and stops when the pty output contains the name of the
  first model of the first page (asked of the API beforehand). Then ctrl+q, and the child
  is reaped. One untimed warm-up start of each, then `--runs` timed starts; median, min
  and max. For the demo seed (43 models) and for a sandbox with `--models` synthetic
  models on top (only the first page counts; the rest loads behind it). Between starts
  the sandbox is let go idle (CPU of its process) so one start's leftover page loads don't
  slow the next, and each start waits (up to 5 s) for a moment when other processes use
  < 0.3 core; starts that had to go anyway are counted in the output.
- resident memory with every model loaded (target <= 150 MB at 10,043 models, <= 250 MB at
  100,043): same start; wait until the status line says every model is in (the grid:
  `of 10,043`, the table: its `more results: ]` hint), then until VmRSS is stable (4
  readings 0.25 s apart within 256 kB); VmRSS and VmHWM from /proc/<pid>/status.
- for context: wall time of `python -c pass`, `python -c "import textual.app"` and
  `python -m xerotui --version` (no pty; median of `--runs`).

The sandbox side (its start, page latency) is benchmarks/bench_sandbox.py.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_util import (
    PYTHON,
    QUIET_CORES,
    ROOT,
    SEED_MODELS,
    FirstPage,
    PtyApp,
    first_page,
    machine_note,
    median,
    proc_status,
    sandbox,
    spread,
    time_command,
    tui_args,
    wait_idle,
    wait_quiet,
)

from xerotui.launcher import SandboxInfo

FIRST_FRAME_TARGET_S = 0.40
RSS_TARGET_MB = {10_000: 150.0, 100_000: 250.0}
ALT_SCREEN = b"\x1b[?1049h"  # the first thing Textual's driver writes
KINDS = ("table", "grid")
PROGRAMS: dict[str, Sequence[str]] = {
    "grid": ("-m", "xerotui"),
    "table": (str(ROOT / "benchmarks" / "baseline_main.py"),),
}


@dataclass
class Start:
    """One start of the TUI."""

    driver: float  # seconds until Textual switched to the alternate screen (imports, init)
    filled: float  # seconds until the first model's name was on screen
    rss_kb: int  # VmRSS then
    clean: bool  # it quit on ctrl+q
    busy: float = 0.0  # cores other processes used just before the start


def loaded_needle(kind: str, page: FirstPage) -> bytes:
    """What the status line shows once every model is in."""
    if page.total <= 100:
        return page.first_name.encode()
    return b"more results: ]" if kind == "table" else f"of {page.total:,}".encode()


def first_frame(kind: str, info: SandboxInfo, page: FirstPage, home: Path) -> Start:
    with PtyApp(tui_args(info), home, program=PROGRAMS[kind]) as app:
        driver = app.wait_for(ALT_SCREEN) - app.started
        filled = app.wait_for(page.first_name.encode()) - app.started
        rss = proc_status(app.pid).get("VmRSS", 0)
        app.drain(0.1)
        return Start(driver, filled, rss, app.quit())


def bench_first_frame(
    info: SandboxInfo, sandbox_pid: int | None, runs: int
) -> dict[str, list[Start]]:
    """One untimed warm-up start of each, then `runs` timed starts of each, taking turns."""
    page = first_page(info)
    starts: dict[str, list[Start]] = {kind: [] for kind in KINDS}
    with tempfile.TemporaryDirectory(prefix="xerotui-bench-home-") as tmp:
        for _ in range(runs + 1):
            for kind in KINDS:
                wait_idle(sandbox_pid)
                busy = wait_quiet()
                start = first_frame(kind, info, page, Path(tmp))
                start.busy = busy
                starts[kind].append(start)
    return {kind: values[1:] for kind, values in starts.items()}


def loaded_memory(
    kind: str, info: SandboxInfo, page: FirstPage, home: Path
) -> tuple[float, int, int]:
    """(seconds until every model is in, VmRSS kB once stable, VmHWM kB)."""
    with PtyApp(tui_args(info), home, program=PROGRAMS[kind]) as app:
        done = app.wait_for(loaded_needle(kind, page), timeout=300)
        previous, steady = -1, 0
        deadline = time.monotonic() + 20
        while steady < 4 and time.monotonic() < deadline:
            app.drain(0.25)
            rss = proc_status(app.pid)["VmRSS"]
            steady = steady + 1 if abs(rss - previous) < 256 else 0
            previous = rss
        status = proc_status(app.pid)
        app.quit()
        return done - app.started, status["VmRSS"], status["VmHWM"]


def bench_memory(
    info: SandboxInfo, sandbox_pid: int | None, runs: int
) -> dict[str, list[tuple[float, int, int]]]:
    page = first_page(info)
    memory: dict[str, list[tuple[float, int, int]]] = {kind: [] for kind in KINDS}
    with tempfile.TemporaryDirectory(prefix="xerotui-bench-home-") as tmp:
        for _ in range(max(1, runs)):
            for kind in KINDS:
                wait_idle(sandbox_pid)
                wait_quiet()
                memory[kind].append(loaded_memory(kind, info, page, Path(tmp)))
    return memory


def ratio(grid: float, table: float) -> str:
    return f"{grid / table:.2f}x" if table else "-"


def verdict(value: float, target: float) -> str:
    return f"target <= {target:g}: {'PASS' if value <= target else 'MISS'}"


def print_starts(label: str, starts: dict[str, list[Start]]) -> None:
    times = {kind: [s.filled for s in starts[kind]] for kind in KINDS}
    table, grid = (median(times[k]) * 1000 for k in KINDS)
    print(
        f"  first frame, table filled, {label:<16} table {table:5.0f} ms   grid {grid:5.0f} ms"
        f"   grid/table {ratio(grid, table)}   {verdict(grid, FIRST_FRAME_TARGET_S * 1000)}"
    )
    for kind in KINDS:
        values = starts[kind]
        unclean = sum(not s.clean for s in values)
        busy = sum(s.busy >= QUIET_CORES for s in values)
        print(
            f"    {kind}: {', '.join(f'{t * 1000:.0f}' for t in times[kind])} ms "
            f"({spread(times[kind])}); alternate screen (imports + app init) at "
            f"{median([s.driver for s in values]) * 1000:.0f} ms; VmRSS then "
            f"{median([s.rss_kb for s in values]) / 1024:.0f} MB"
            + (f"; {unclean} did not quit on ctrl+q" if unclean else "")
            + (f"; {busy} started while other processes were busy" if busy else "")
        )


def print_memory(
    total: int, target: float, memory: dict[str, list[tuple[float, int, int]]]
) -> None:
    rss = {kind: [m[1] / 1024 for m in memory[kind]] for kind in KINDS}
    table, grid = (median(rss[k]) for k in KINDS)
    print(
        f"  resident memory, {total:,} models loaded:  table {table:4.0f} MB   grid {grid:4.0f} MB"
        f"   grid/table {ratio(grid, table)}   {verdict(grid, target)}"
    )
    for kind in KINDS:
        loaded = [m[0] for m in memory[kind]]
        hwm = median([m[2] / 1024 for m in memory[kind]])
        print(
            f"    {kind}: VmRSS {', '.join(f'{v:.0f}' for v in rss[kind])} MB, VmHWM {hwm:.0f} MB;"
            f" every model in {median(loaded):.1f} s after the start"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed starts per sandbox (7)")
    parser.add_argument("--models", type=int, default=10_000, help="synthetic models (10000)")
    parser.add_argument("--rss-runs", type=int, default=3, help="memory measurements (3)")
    parser.add_argument(
        "--rss-models", type=int, default=100_000, help="models for the big RSS figure (0: none)"
    )
    options = parser.parse_args()
    note = machine_note()
    runs = max(1, options.runs)
    # As installed: with fresh bytecode. (Where PYTHONDONTWRITEBYTECODE is set, edited
    # modules would otherwise be compiled from source on every start.)
    subprocess.run([PYTHON, "-m", "compileall", "-q", "xerotui", "benchmarks"], check=True)

    bare = time_command([PYTHON, "-c", "pass"], runs)
    textual_import = time_command([PYTHON, "-c", "import textual.app"], runs)
    version = time_command([PYTHON, "-m", "xerotui", "--version"], runs)

    with sandbox(0) as (info, process):
        seed_starts = bench_first_frame(info, process.pid, runs)
    with sandbox(options.models) as (info, process):
        total = first_page(info).total
        big_starts = bench_first_frame(info, process.pid, runs)
        memory = bench_memory(info, process.pid, options.rss_runs)
    big_memory = None
    if options.rss_models:
        with sandbox(options.rss_models) as (info, process):
            big_total = first_page(info).total
            big_memory = bench_memory(info, process.pid, options.rss_runs)

    print(
        f"startup benchmark (whole process in a 120x40 pty; {runs} timed starts of each after "
        "a warm-up): table = the DataTable table before issue 11, grid = today's"
    )
    print(f"  {note}")
    print("  context, no pty:")
    for label, values in (
        ("python -c pass", bare),
        ('python -c "import textual.app"', textual_import),
        ("python -m xerotui --version", version),
    ):
        print(f"    {label:<42} {median(values) * 1000:8.0f} ms  ({spread(values)})")
    print_starts(f"seed, {SEED_MODELS} models", seed_starts)
    print_starts(f"{total:,} models", big_starts)
    print_memory(total, RSS_TARGET_MB[10_000], memory)
    if big_memory is not None:
        print_memory(big_total, RSS_TARGET_MB[100_000], big_memory)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
