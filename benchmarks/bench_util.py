"""Shared helpers of the benchmarks: sandboxes, the TUI in a pseudo terminal, figures.

Nothing here is a test; the benchmarks print figures and never fail on a missed target.
Every process started here is stopped by a context manager, also on error or Ctrl-C.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from xerotui.launcher import SandboxInfo, SandboxProcess

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
SEED_MODELS = 43  # the demo seed; `--seed-models N` adds N synthetic models on top
ANSI = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


# ---------------------------------------------------------------------- figures


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def verdict(value: float, target: float) -> str:
    return "PASS" if value <= target else "MISS"


def figure(label: str, value: float, target: float, unit: str, detail: str = "") -> str:
    """One result line: `label  value unit  target <= T unit: PASS  (detail)`."""
    digits = 0 if unit == "MB" else (1 if value >= 10 else 2)
    text = f"  {label:<44} {value:8.{digits}f} {unit:<3} target <= {target:g} {unit}: "
    text += verdict(value, target)
    return f"{text}  ({detail})" if detail else text


def machine_note() -> str:
    """The load on the machine now: other processes make every figure here slower."""
    load = os.getloadavg()[0]
    note = f"load average {load:.2f} on {os.cpu_count()} cores before the run"
    return note + (" (busy: figures will be noisy)" if load > 0.5 else "")


def spread(values: Sequence[float], scale: float = 1000.0, unit: str = "ms") -> str:
    """`median of n, min .. max` for seconds shown in `unit`."""
    return (
        f"median of {len(values)}, min {min(values) * scale:.0f} .. "
        f"max {max(values) * scale:.0f} {unit}"
    )


# ---------------------------------------------------------------------- sandbox


@contextlib.contextmanager
def sandbox(models: int = 0) -> Iterator[tuple[SandboxInfo, SandboxProcess]]:
    """A sandbox child on a temporary database with `models` synthetic models on the seed."""
    args = ["--seed-models", str(models)] if models else []
    with tempfile.TemporaryDirectory(prefix="xerotui-bench-") as tmp:
        process = SandboxProcess(Path(tmp) / "bench.db", extra_args=args)
        try:
            info = process.start()
            yield info, process
        finally:
            process.stop()


@dataclass(frozen=True)
class FirstPage:
    """What the API says the TUI's first page holds."""

    first_name: str
    total: int


def first_page(info: SandboxInfo) -> FirstPage:
    headers = {"Authorization": f"Bearer {info.api_key}"}
    params: dict[str, str | int] = {"limit": 100, "offset": 0, "extended": "true"}
    with httpx.Client(base_url=info.base_url, headers=headers, timeout=30) as http:
        page = http.get("/models", params=params).raise_for_status().json()
    first = page["data"][0]
    total = page.get("total")
    return FirstPage(first["name"], total if total is not None else len(page["data"]))


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int | None, *, quiet: float = 0.2, timeout: float = 10.0) -> None:
    """Wait until process `pid` (e.g. the sandbox) used <= 10 % CPU for `quiet` seconds."""
    if pid is None:
        return
    deadline = time.monotonic() + timeout
    with contextlib.suppress(OSError):
        while time.monotonic() < deadline:
            before = cpu_seconds(pid)
            time.sleep(quiet)
            if cpu_seconds(pid) - before <= 0.1 * quiet:
                return


def _cpu_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def machine_busy(interval: float = 0.1) -> float:
    """Cores busy over `interval` (all processes: call it while ours are idle)."""
    busy0, _ = _cpu_jiffies()
    time.sleep(interval)
    busy1, _ = _cpu_jiffies()
    return (busy1 - busy0) / os.sysconf("SC_CLK_TCK") / interval


QUIET_CORES = 0.3  # the machine counts as quiet when others use less than this


def wait_quiet(max_wait: float = 5.0) -> float:
    """Wait (up to `max_wait`) until other processes use < QUIET_CORES; return the last figure.

    Other sessions share this machine (2 cores); a start measured while they run a test
    suite measures them. Waiting for a quiet moment keeps the figures about xerotui.
    """
    deadline = time.monotonic() + max_wait
    busy = machine_busy(0.2)
    while busy >= QUIET_CORES and time.monotonic() < deadline:
        busy = machine_busy(0.2)
    return busy


async def wait_quiet_async(max_wait: float = 0.5) -> bool:
    """wait_quiet inside an event loop (the app keeps running); True when it got quiet."""
    import asyncio

    deadline = time.monotonic() + max_wait
    while True:
        busy0, _ = _cpu_jiffies()
        await asyncio.sleep(0.1)
        busy1, _ = _cpu_jiffies()
        if (busy1 - busy0) / os.sysconf("SC_CLK_TCK") / 0.1 < QUIET_CORES:
            return True
        if time.monotonic() > deadline:
            return False


def proc_status(pid: int) -> dict[str, int]:
    """The kB figures of /proc/<pid>/status (VmRSS, VmHWM, ...)."""
    figures: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        parts = value.split()
        if len(parts) == 2 and parts[1] == "kB":
            figures[key] = int(parts[0])
    return figures


def time_command(argv: Sequence[str], runs: int) -> list[float]:
    """Wall time of `argv` run to completion `runs` times (after one untimed warm-up)."""
    subprocess.run(argv, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return times


# ---------------------------------------------------------------------- the TUI in a pty


def _controlling_tty() -> None:  # pragma: no cover - runs in the child before exec
    """Make the pty (already on fd 0 of the new session) the controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyApp:
    """`python -m xerotui ARGS` (or `program`) in a pseudo terminal of `size`, as a person
    would start it.

    The environment is isolated: HOME, XEROTUI_HOME and the XDG dirs point into `home`;
    TERM=xterm-256color, LANG=C.UTF-8, nothing else of ours leaks in (no TEXTUAL_* vars).
    Use as a context manager: the child is always reaped (ctrl+q, then SIGTERM, SIGKILL).
    """

    def __init__(
        self,
        args: Sequence[str],
        home: Path,
        *,
        size: tuple[int, int] = (120, 40),
        program: Sequence[str] = ("-m", "xerotui"),
    ) -> None:
        self.args = list(args)
        self.program = list(program)
        """What Python runs (`-m xerotui`, or a script such as baseline_main.py)."""
        self.home = home
        self.size = size
        self.output = bytearray()
        self.proc: subprocess.Popen[bytes] | None = None
        self.master = -1
        self.started = 0.0

    def env(self) -> dict[str, str]:
        home = self.home
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "HOME": str(home),
            "XEROTUI_HOME": str(home / "xerotui"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
        }

    def start(self) -> None:
        columns, rows = self.size
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.master = master
        self.started = time.perf_counter()
        try:
            self.proc = subprocess.Popen(
                [PYTHON, *self.program, *self.args],
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=self.env(),
                cwd=self.home,
                start_new_session=True,
                preexec_fn=_controlling_tty,
            )
        finally:
            os.close(slave)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def _read(self, timeout: float) -> bool:
        """Read what is there (waiting up to `timeout`); False once the pty is closed."""
        readable, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not readable:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed its side
            return False
        if not chunk:
            return False
        self.output += chunk
        return True

    def wait_for(self, needle: bytes, *, timeout: float = 30.0, start: int = 0) -> float:
        """Read until `needle` is in the output (after byte `start`); return perf_counter then.

        The needle is looked for in the raw bytes (a cell's text is written in one run)
        and, as a fallback, in the output with escape sequences removed.
        """
        deadline = time.monotonic() + timeout
        searched = start
        while True:
            if self.output.find(needle, searched) >= 0:
                return time.perf_counter()
            searched = max(start, len(self.output) - len(needle))
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._read(min(remaining, 0.5)):
                if needle in ANSI.sub(b"", bytes(self.output[start:])):
                    return time.perf_counter()
                raise TimeoutError(
                    f"{needle!r} not on screen after {timeout:.0f} s; "
                    f"exit code {self.proc.poll() if self.proc else None}; "
                    f"screen text: {self.screen_text()[-1500:]!r}"
                )

    def drain(self, seconds: float) -> None:
        """Keep reading for `seconds` (a child writing to a full pty would block)."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0 and self._read(remaining):
            pass

    def screen_text(self) -> str:
        return ANSI.sub(b" ", bytes(self.output)).decode(errors="replace")

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def quit(self, timeout: float = 5.0) -> bool:
        """ctrl+q, then reap; True when the app quit by itself within `timeout`."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return proc is not None and proc.returncode == 0
        with contextlib.suppress(OSError):
            self.send(b"\x11")
        deadline = time.monotonic() + timeout
        while proc.poll() is None and time.monotonic() < deadline:
            self._read(0.05)
        return proc.poll() == 0

    def close(self) -> None:
        proc = self.proc
        if proc is not None:
            if proc.poll() is None:
                self.quit(timeout=2.0)
            for sig in (signal.SIGTERM, signal.SIGKILL):
                if proc.poll() is not None:
                    break
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, sig)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(3.0)
            proc.wait()
            self.proc = None
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def __enter__(self) -> PtyApp:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def tui_args(info: SandboxInfo) -> list[str]:
    return ["--base-url", info.base_url, "--api-key", info.api_key]


# ---------------------------------------------------------------------- in-process app


def build_app(info: SandboxInfo, *, app_class: Any = None, **settings: Any) -> Any:
    """The app as `xerotui --base-url ... --api-key ...` builds it (tests/tui/conftest.py);
    `app_class`: a subclass of XeroApp to build instead.

    No auto refresh (settings may override) and no animations, so nothing repaints by
    itself while a benchmark is timing repaints.
    """
    from xerotui.api.requestlog import RequestLog
    from xerotui.config.settings import Settings
    from xerotui.tui.app import XeroApp
    from xerotui.tui.session import SessionOpener

    opener = SessionOpener(RequestLog())
    session = opener.open(info.base_url, info.api_key, profile="bench", origin="bench")
    app = (app_class or XeroApp)(
        session, Settings(**{"refresh_interval": 0, **settings}), opener=opener
    )
    app.animation_level = "none"
    return app


def isolate_home() -> Callable[[], None]:
    """Point HOME / XEROTUI_HOME / XDG dirs of this process into a temporary directory.

    Returns the cleanup. The in-process benchmarks save settings (e.g. the theme); they
    must not touch the developer's files.
    """
    tmp = tempfile.TemporaryDirectory(prefix="xerotui-bench-home-")
    home = Path(tmp.name)
    saved = {k: os.environ.get(k) for k in ("HOME", "XEROTUI_HOME", "XDG_CONFIG_HOME")}
    os.environ.update(
        HOME=str(home), XEROTUI_HOME=str(home / "xerotui"), XDG_CONFIG_HOME=str(home / ".c")
    )

    def restore() -> None:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        tmp.cleanup()

    return restore


def median(values: Sequence[float]) -> float:
    return statistics.median(values)
