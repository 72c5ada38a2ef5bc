"""Status watcher figures: requests per minute for 5 and 50 watched models, against a naive loop.

Run: `.venv/bin/python benchmarks/bench_watch.py [--runs 3] [--speed 10] [--quick]`.
Starts real sandbox children (100 models = one list page; 1,043 models = 11 pages), sets
a one-hour validation time and revalidates 50 models spread over the project, so they stay
in `validating`. Then, on real HTTP:

- the StatusWatcher (default PollPolicy) watches 5 and 50 of them; every request it sends is
  counted in the first minute and over minutes 1-5 (backed off to its cap). Its clock runs
  `--speed` times faster than real time (the requests are real; `--speed 1` measures in
  real time, 5 minutes per run);
- a naive loop GETs each model once a second (one request per model per second), in real
  time, over `--naive-seconds`;

and prints both side by side with the ratio (naive / watcher), medians of `--runs` runs,
and the load of the machine (a shared machine: the naive loop's figure drops when the
sandbox cannot keep up).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

import httpx
from bench_util import machine_note, median, sandbox

from xerotui.api.client import XeroClient
from xerotui.api.requestlog import RequestLog, RequestRecord
from xerotui.api.watch import StatusWatcher
from xerotui.launcher import SandboxInfo

WATCHED = (5, 50)
PROJECTS = (57, 1000)  # synthetic models on top of the 43 of the demo seed
FIRST_MINUTE = 60.0
STEADY_END = 300.0  # minutes 1-5


@dataclass(frozen=True)
class WatcherRun:
    first_minute: int  # requests sent in [0, 60) s
    steady_per_minute: float  # requests per minute in [60, 300) s
    lists: int  # list requests in the first minute
    gets: int  # single-model GETs in the first minute


def hold_validating(info: SandboxInfo, count: int) -> list[str]:
    """Revalidate `count` ready models spread over the project; they stay `validating`."""
    headers = {"Authorization": f"Bearer {info.api_key}"}
    with httpx.Client(base_url=info.base_url, headers=headers, timeout=30) as http:
        ready: list[str] = []
        offset = 0
        while True:
            params: dict[str, str | int] = {"limit": 100, "offset": offset, "extended": "true"}
            page = http.get("/models", params=params).raise_for_status().json()
            ready += [m["id"] for m in page["data"] if m.get("status") == "ready"]
            if not page.get("has_more"):
                break
            offset += len(page["data"])
        step = max(1, len(ready) // count)
        chosen = ready[::step][:count]
        assert len(chosen) == count, f"only {len(ready)} ready models"
        settings = {"validation_seconds": 3600}
        httpx.post(f"{info.root_url}/_sandbox/settings", json=settings, timeout=30)
        for model_id in chosen:
            http.post(f"/models/{model_id}/revalidate").raise_for_status()
    return chosen


async def watcher_run(info: SandboxInfo, ids: Sequence[str], speed: float) -> WatcherRun:
    """Watch `ids` for STEADY_END seconds on a clock `speed` times real time."""
    log = RequestLog()
    started = time.monotonic()

    def clock() -> float:
        return (time.monotonic() - started) * speed

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds / speed)

    sent: list[tuple[float, RequestRecord]] = []
    log.subscribe(lambda record: sent.append((clock(), record)))
    async with (
        XeroClient(info.base_url, info.api_key, log=log) as client,
        StatusWatcher(client, clock=clock, sleep=sleep) as watcher,
    ):
        for model_id in ids:
            watcher.watch(model_id, status="validating")
        await asyncio.sleep(STEADY_END / speed)
        assert len(watcher.running()) == len(ids), "a watch ended: the figures mean nothing"
    first = [r for t, r in sent if t < FIRST_MINUTE]
    steady = [r for t, r in sent if FIRST_MINUTE <= t < STEADY_END]
    failed = [(r.target, r.status, r.error_message) for _, r in sent if r.is_error]
    assert not failed, f"polls failed: {failed[:3]}"
    return WatcherRun(
        first_minute=len(first),
        steady_per_minute=len(steady) / ((STEADY_END - FIRST_MINUTE) / 60.0),
        lists=sum(1 for r in first if r.endpoint_key == "models.list"),
        gets=sum(1 for r in first if r.endpoint_key == "models.get"),
    )


async def naive_run(info: SandboxInfo, ids: Sequence[str], seconds: float) -> float:
    """Requests per minute of a loop that GETs each model once a second."""
    log = RequestLog(maxlen=1_000_000)
    async with XeroClient(info.base_url, info.api_key, log=log) as client:
        started = tick = time.monotonic()
        while tick - started < seconds:
            await asyncio.gather(*(client.get_model(model_id) for model_id in ids))
            tick += 1.0
            await asyncio.sleep(max(0.0, tick - time.monotonic()))
        elapsed = time.monotonic() - started
    return len(log) / elapsed * 60.0


async def watchers(info: SandboxInfo, ids: Sequence[str], speed: float) -> list[WatcherRun]:
    """The 5- and the 50-model watchers at once (each with its own client and log)."""
    return await asyncio.gather(*(watcher_run(info, ids[:n], speed) for n in WATCHED))


def bench_project(synthetic: int, runs: int, speed: float, naive_seconds: float) -> list[str]:
    lines = []
    with sandbox(synthetic) as (info, _):
        ids = hold_validating(info, max(WATCHED))
        results: dict[int, list[WatcherRun]] = {n: [] for n in WATCHED}
        naive: dict[int, list[float]] = {n: [] for n in WATCHED}
        for _ in range(runs):
            for n, run in zip(WATCHED, asyncio.run(watchers(info, ids, speed)), strict=True):
                results[n].append(run)
            for n in WATCHED:
                naive[n].append(asyncio.run(naive_run(info, ids[:n], naive_seconds)))
        total = 43 + synthetic
        for n in WATCHED:
            first = median([r.first_minute for r in results[n]])
            steady = median([r.steady_per_minute for r in results[n]])
            base = median(naive[n])
            mix = results[n][0]
            how = f"{mix.lists} lists + {mix.gets} GETs"
            lines.append(
                f"  {total:>6,} models {n:>8} {first:>12.0f} {steady:>9.0f} {base:>10.0f}"
                f" {base / first:>8.0f}x {base / steady:>7.0f}x   {how}"
            )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (3)")
    parser.add_argument("--speed", type=float, default=10.0, help="watcher clock speed (10)")
    parser.add_argument("--naive-seconds", type=float, default=5.0, help="naive loop time (5)")
    parser.add_argument("--quick", action="store_true", help="one run, 100-model project only")
    options = parser.parse_args()
    runs = 1 if options.quick else options.runs
    projects = PROJECTS[:1] if options.quick else PROJECTS
    print("status watcher: requests per minute for models held in `validating`")
    print(f"  {machine_note()}")
    print(
        f"  watcher clock x{options.speed:g} (real requests), naive loop in real time over "
        f"{options.naive_seconds:g} s; median of {runs} run{'s' if runs > 1 else ''}"
    )
    heads: tuple[tuple[str, int], ...] = (
        ("project", 13),
        ("watched", 8),
        ("watcher/min", 12),
        ("(steady)", 9),
        ("naive/min", 10),
        ("ratio", 9),
        ("(steady)", 8),
    )
    print("  " + " ".join(f"{h:>{w}}" for h, w in heads) + "   watcher's first minute")
    for synthetic in projects:
        for line in bench_project(synthetic, runs, options.speed, options.naive_seconds):
            print(line)
    print(f"  load average {os.getloadavg()[0]:.2f} after the run")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
