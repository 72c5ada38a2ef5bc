"""Sandbox figures: start-to-ready time and extended-page latency with 10,000 models.

Run: `.venv/bin/python benchmarks/bench_sandbox.py [--models 10000] [--requests 200]`.
Starts real sandbox children (SandboxProcess) on a temporary database and prints:
- first start, including seeding N synthetic models;
- median start-to-ready of 3 fresh starts on the existing database;
- median / p95 latency of `GET /proj_demo/v1/models?limit=100&offset=K&extended=true`
  over K spread across the whole table (target: median <= 20 ms);
- `POST /_sandbox/reset` latency with the demo seed (target: < 200 ms).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from xerotui.launcher import SandboxProcess

PAGE_TARGET_MS = 20.0
RESET_TARGET_MS = 200.0


def timed_start(db: Path, args: list[str]) -> tuple[float, SandboxProcess]:
    process = SandboxProcess(db, extra_args=args)
    started = time.perf_counter()
    process.start()
    return time.perf_counter() - started, process


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench_pages(process: SandboxProcess, models: int, requests: int) -> dict[int, list[float]]:
    info = process.info
    assert info is not None
    headers = {"Authorization": f"Bearer {info.api_key}"}
    step = max(1, models // requests)
    offsets = [(i * step) % max(1, models) for i in range(requests)]
    by_offset: dict[int, list[float]] = {}
    with httpx.Client(base_url=info.base_url, headers=headers, timeout=30) as http:
        for _ in range(10):  # warm up the connection and SQLite's page cache
            http.get("/models", params={"limit": 100, "extended": "true"}).raise_for_status()
        for offset in offsets:
            params: dict[str, str | int] = {"limit": 100, "offset": offset, "extended": "true"}
            started = time.perf_counter()
            response = http.get("/models", params=params)
            elapsed = (time.perf_counter() - started) * 1000
            response.raise_for_status()
            assert len(response.json()["data"]) == min(100, models + 43 - offset)
            by_offset.setdefault(offset, []).append(elapsed)
    return by_offset


def bench_reset(root_url: str, rounds: int = 10) -> list[float]:
    times = []
    with httpx.Client(base_url=root_url, timeout=30) as http:
        for _ in range(rounds):
            started = time.perf_counter()
            http.post("/_sandbox/reset").raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=10_000, help="synthetic models (10000)")
    parser.add_argument("--requests", type=int, default=200, help="page requests (200)")
    parser.add_argument("--starts", type=int, default=3, help="fresh starts to time (3)")
    options = parser.parse_args()
    seed_args = ["--seed-models", str(options.models)]

    with tempfile.TemporaryDirectory(prefix="xerotui-bench-") as tmp:
        db = Path(tmp) / "bench.db"
        first, process = timed_start(db, seed_args)
        process.stop()
        starts = []
        for _ in range(options.starts):
            elapsed, process = timed_start(db, seed_args)
            starts.append(elapsed)
            process.stop()

        _, process = timed_start(db, seed_args)
        try:
            by_offset = bench_pages(process, options.models, options.requests)
        finally:
            process.stop()

        _, demo = timed_start(Path(tmp) / "demo.db", [])
        try:
            assert demo.info is not None
            resets = bench_reset(demo.info.root_url)
        finally:
            demo.stop()

    latencies = [ms for values in by_offset.values() for ms in values]
    median = statistics.median(latencies)
    print(f"sandbox benchmark ({options.models:,} synthetic + 43 demo models)")
    print(f"  first start incl. seeding      {first * 1000:8.0f} ms")
    print(
        f"  start to ready (existing db)   {statistics.median(starts) * 1000:8.0f} ms  "
        f"median of {len(starts)}: {', '.join(f'{s * 1000:.0f}' for s in starts)}"
    )
    print(
        f"  extended page, limit 100       {median:8.2f} ms  median of {len(latencies)} "
        f"(p95 {percentile(latencies, 0.95):.2f}, max {max(latencies):.2f}) "
        f"target <= {PAGE_TARGET_MS:.0f} ms: {'OK' if median <= PAGE_TARGET_MS else 'MISSED'}"
    )
    for label, offset in (("first page", 0), ("middle", options.models // 2)):
        nearest = min(by_offset, key=lambda k: abs(k - offset))
        page_ms = statistics.median(by_offset[nearest])
        print(f"    {label:<12} offset {nearest:>6}  {page_ms:6.2f} ms")
    last = max(by_offset)
    print(f"    {'last page':<12} offset {last:>6}  {statistics.median(by_offset[last]):6.2f} ms")
    reset_median = statistics.median(resets)
    print(
        f"  POST /_sandbox/reset (demo)    {reset_median:8.2f} ms  median of {len(resets)} "
        f"target < {RESET_TARGET_MS:.0f} ms: {'OK' if reset_median < RESET_TARGET_MS else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
