"""Idle CPU of the dashboard with 5 revalidations under watch (design.md section 8: <= 2 %).

Run: `.venv/bin/python benchmarks/bench_jobs.py [--runs 3] [--seconds 30]`.

The TUI is the real process (`python -m xerotui --base-url URL --api-key KEY` in a 120x40
pty, as benchmarks/bench_startup.py starts it: default settings, so animations on and the
30 s auto refresh) against a sandbox child whose revalidations take an hour, so the five
stay `validating` and their rows spin. Each run, in the same loop:

- baseline: the idle dashboard, nothing under watch;
- watched: five models marked (`space` x5), `g r`, the confirmation accepted; once the
  header says `5 jobs`, the first `--skip` seconds are let pass (the watcher's first polls,
  1 s apart, then backing off to one round per 10 s);

then the CPU time of the TUI process (utime + stime from /proc) over `--seconds` of wall
time while its output is read, as % of one core. Medians of `--runs` runs, with each run's
figures and the machine's load (other sessions share this 2-core machine).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from bench_util import (
    PtyApp,
    cpu_seconds,
    figure,
    first_page,
    machine_busy,
    machine_note,
    median,
    sandbox,
    tui_args,
    wait_idle,
    wait_quiet,
)

from xerotui.launcher import SandboxInfo

TARGET_PERCENT = 2.0
WATCHED = 5
HOUR = 3600


@dataclass(frozen=True)
class Sample:
    percent: float  # CPU of the TUI process, % of one core
    others: float  # cores the rest of the machine used meanwhile


def fresh_data(info: SandboxInfo) -> None:
    """Reseed, let the seed's own revalidation finish, then make revalidations take an hour."""
    with httpx.Client(base_url=info.root_url, timeout=30) as http:
        http.post("/_sandbox/reset").raise_for_status()
        deadline = time.monotonic() + 30
        while http.get("/_sandbox/health").json()["pending_jobs"] and time.monotonic() < deadline:
            time.sleep(0.1)
        http.post("/_sandbox/settings", json={"validation_seconds": HOUR}).raise_for_status()


def measure(app: PtyApp, seconds: float) -> Sample:
    """CPU of the TUI over `seconds` of wall time, reading its output all along."""
    busy0 = machine_busy(0.05)
    cpu0, wall0 = cpu_seconds(app.pid), time.monotonic()
    app.drain(seconds)
    cpu1, wall1 = cpu_seconds(app.pid), time.monotonic()
    busy1 = machine_busy(0.05)
    ours = (cpu1 - cpu0) / (wall1 - wall0)
    return Sample(ours * 100, max(0.0, (busy0 + busy1) / 2 - ours))


def baseline(info: SandboxInfo, home: Path, seconds: float, skip: float) -> Sample:
    with PtyApp(tui_args(info), home) as app:
        app.wait_for(first_page(info).first_name.encode())
        app.drain(skip)
        sample = measure(app, seconds)
        app.quit()
        return sample


def watched(info: SandboxInfo, home: Path, seconds: float, skip: float) -> Sample:
    with PtyApp(tui_args(info), home) as app:
        app.wait_for(first_page(info).first_name.encode())
        app.drain(0.5)
        for _ in range(WATCHED):  # mark the first five rows (the cursor moves down)
            app.send(b" ")
            app.drain(0.1)
        mark = len(app.output)
        app.send(b"g")
        app.drain(0.2)
        app.send(b"r")
        app.wait_for(b"Revalidate", start=mark)
        app.wait_for(b"marked models?", start=mark)
        app.send(b"\t")
        app.drain(0.2)
        app.send(b"\r")
        app.wait_for(f"{WATCHED} jobs".encode(), start=mark, timeout=30)
        app.drain(skip)
        sample = measure(app, seconds)
        app.quit()
        return sample


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each (3)")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured window (30)")
    parser.add_argument("--skip", type=float, default=5.0, help="seconds before it (5)")
    options = parser.parse_args()
    note = machine_note()
    base: list[Sample] = []
    jobs: list[Sample] = []
    with (
        sandbox(0) as (info, process),
        tempfile.TemporaryDirectory(prefix="xerotui-bench-home-") as tmp,
    ):
        for _ in range(max(1, options.runs)):
            for samples, run in ((base, baseline), (jobs, watched)):
                fresh_data(info)
                wait_idle(process.pid)
                wait_quiet()
                samples.append(run(info, Path(tmp), options.seconds, options.skip))
    window = f"{options.seconds:g} s after {options.skip:g} s"
    print(f"jobs benchmark (whole TUI process in a 120x40 pty; {len(base)} runs; {window})")
    print(f"  {note}")
    cases = (("idle, nothing under watch", base), ("5 revalidations under watch", jobs))
    for label, samples in cases:
        values = [s.percent for s in samples]
        others = median([s.others for s in samples])
        print(
            figure(
                f"CPU, {label}",
                median(values),
                TARGET_PERCENT,
                "%",
                f"runs {', '.join(f'{v:.2f}' for v in values)} %; "
                f"other processes used {others:.2f} cores meanwhile",
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
