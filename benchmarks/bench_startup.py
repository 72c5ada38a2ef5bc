"""Startup and memory of the whole TUI process, in a pseudo terminal (design.md section 8).

Run: `.venv/bin/python benchmarks/bench_startup.py [--runs 7] [--models 10000]`.

The TUI is started the way a person starts it: `.venv/bin/python -m xerotui --base-url URL
--api-key KEY` in a pty of 120x40 (os.openpty, TIOCSWINSZ, TERM=xterm-256color, HOME and
XEROTUI_HOME in a temporary directory), against a sandbox that is already running.

- start to first frame with the model table filled (target <= 0.45 s): the clock starts
  just before the child is spawned and stops when the pty output contains the name of the
  first model of the first page (asked of the API beforehand). Then ctrl+q, and the child
  is reaped. One untimed warm-up run, then `--runs` timed runs; median, min and max. For
  the demo seed (43 models) and for a sandbox with `--models` synthetic models on top
  (only the first page counts; the rest loads behind it). Between runs the sandbox is
  let go idle (CPU of its process) so one run's leftover page loads don't slow the next,
  and each start waits (up to 5 s) for a moment when other processes on the machine use
  < 0.3 core (other sessions run test suites here); runs that had to start anyway are
  counted in the output.
- resident memory with every model loaded (target <= 150 MB): same start against the big
  sandbox; wait until the status line's hint says `more results: ] for rows 101-200`
  (it says `loading N/M` until the inventory is complete), then until VmRSS is stable
  (4 readings 0.25 s apart within 256 kB); VmRSS and VmHWM from /proc/<pid>/status.
- for context: wall time of `python -c pass`, `python -c "import textual.app"` and
  `python -m xerotui --version` (no pty; median of `--runs`), and VmRSS at first frame.

The sandbox side (its start, page latency) is benchmarks/bench_sandbox.py.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench_util import (
    PYTHON,
    QUIET_CORES,
    SEED_MODELS,
    FirstPage,
    PtyApp,
    figure,
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

FIRST_FRAME_TARGET_S = 0.45
RSS_TARGET_MB = 150.0
ALT_SCREEN = b"\x1b[?1049h"  # the first thing Textual's driver writes
# The status line's hint once every model is in ("loading N/M" until then).
LOADED = b"more results: ]"


@dataclass
class Start:
    """One start of the TUI."""

    driver: float  # seconds until Textual switched to the alternate screen (imports, init)
    filled: float  # seconds until the first model's name was on screen
    rss_kb: int  # VmRSS then
    clean: bool  # it quit on ctrl+q
    busy: float = 0.0  # cores other processes used just before the start


def first_frame(info: SandboxInfo, page: FirstPage, home: Path) -> Start:
    with PtyApp(tui_args(info), home) as app:
        driver = app.wait_for(ALT_SCREEN) - app.started
        filled = app.wait_for(page.first_name.encode()) - app.started
        rss = proc_status(app.pid).get("VmRSS", 0)
        app.drain(0.1)
        return Start(driver, filled, rss, app.quit())


def bench_first_frame(info: SandboxInfo, sandbox_pid: int | None, runs: int) -> list[Start]:
    """One untimed warm-up start (bytecode, OS caches), then `runs` timed starts."""
    page = first_page(info)
    starts: list[Start] = []
    with tempfile.TemporaryDirectory(prefix="xerotui-bench-home-") as tmp:
        for _ in range(runs + 1):
            wait_idle(sandbox_pid)
            busy = wait_quiet()
            start = first_frame(info, page, Path(tmp))
            start.busy = busy
            starts.append(start)
    return starts[1:]


def loaded_memory(info: SandboxInfo, page: FirstPage, home: Path) -> tuple[float, int, int]:
    """(seconds until every model is in, VmRSS kB once stable, VmHWM kB)."""
    with PtyApp(tui_args(info), home) as app:
        done = app.wait_for(LOADED if page.total > 100 else page.first_name.encode(), timeout=120)
        previous, steady = -1, 0
        deadline = time.monotonic() + 15
        while steady < 4 and time.monotonic() < deadline:
            app.drain(0.25)
            rss = proc_status(app.pid)["VmRSS"]
            steady = steady + 1 if abs(rss - previous) < 256 else 0
            previous = rss
        status = proc_status(app.pid)
        app.quit()
        return done - app.started, status["VmRSS"], status["VmHWM"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed starts per sandbox (7)")
    parser.add_argument("--models", type=int, default=10_000, help="synthetic models (10000)")
    parser.add_argument("--rss-runs", type=int, default=3, help="memory measurements (3)")
    options = parser.parse_args()
    note = machine_note()
    runs = max(1, options.runs)
    # As installed: with fresh bytecode. (Where PYTHONDONTWRITEBYTECODE is set, edited
    # modules would otherwise be compiled from source on every start.)
    subprocess.run([PYTHON, "-m", "compileall", "-q", "xerotui"], check=True)

    bare = time_command([PYTHON, "-c", "pass"], runs)
    textual_import = time_command([PYTHON, "-c", "import textual.app"], runs)
    version = time_command([PYTHON, "-m", "xerotui", "--version"], runs)

    with sandbox(0) as (info, process):
        seed_starts = bench_first_frame(info, process.pid, runs)

    with sandbox(options.models) as (info, process):
        page = first_page(info)
        big_starts = bench_first_frame(info, process.pid, runs)
        memory = []
        with tempfile.TemporaryDirectory(prefix="xerotui-bench-home-") as tmp:
            for _ in range(max(1, options.rss_runs)):
                wait_idle(process.pid)
                wait_quiet()
                memory.append(loaded_memory(info, page, Path(tmp)))

    print(f"startup benchmark (whole process in a 120x40 pty; {runs} timed runs after a warm-up)")
    print(f"  {note}")
    print("  context, no pty:")
    for label, values in (
        ("python -c pass", bare),
        ('python -c "import textual.app"', textual_import),
        ("python -m xerotui --version", version),
    ):
        print(f"    {label:<42} {median(values) * 1000:8.0f} ms  ({spread(values)})")
    for label, starts in (
        (f"seed, {SEED_MODELS} models", seed_starts),
        (f"{page.total:,} models", big_starts),
    ):
        times = [s.filled for s in starts]
        print(
            figure(
                f"first frame, table filled, {label}",
                median(times) * 1000,
                FIRST_FRAME_TARGET_S * 1000,
                "ms",
                spread(times),
            )
        )
        unclean = sum(not s.clean for s in starts)
        busy = sum(s.busy >= QUIET_CORES for s in starts)
        print(
            f"    runs: {', '.join(f'{t * 1000:.0f}' for t in times)} ms; "
            f"alternate screen (imports + app init) at "
            f"{median([s.driver for s in starts]) * 1000:.0f} ms; "
            f"VmRSS then {median([s.rss_kb for s in starts]) / 1024:.0f} MB"
            + (f"; {unclean} did not quit on ctrl+q" if unclean else "")
            + (f"; {busy} started while other processes were busy" if busy else "")
        )
    loaded = [m[0] for m in memory]
    rss_mb = [m[1] / 1024 for m in memory]
    hwm_mb = [m[2] / 1024 for m in memory]
    print(
        figure(
            f"resident memory, {page.total:,} models loaded",
            median(rss_mb),
            RSS_TARGET_MB,
            "MB",
            f"VmRSS median of {len(rss_mb)}: {', '.join(f'{v:.0f}' for v in rss_mb)} MB; "
            f"VmHWM {median(hwm_mb):.0f} MB",
        )
    )
    print(
        f"    every model in (status line hint 'more results') "
        f"{median(loaded) * 1000:.0f} ms after start ({spread(loaded)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
