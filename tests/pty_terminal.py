"""A program on a pseudo-terminal: `Terminal` keeps everything it draws; `DemoRuns` starts
`xerotui --demo` and finds the sandbox child it started (to check that none outlives it)."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

from xerotui.config import paths

REPO = Path(__file__).resolve().parents[1]
XEROTUI = [sys.executable, "-m", "xerotui"]
ANSI = re.compile(
    rb"\x1b(?:\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)"
)


def cli_env(**extra: str) -> dict[str, str]:
    """The test's isolated environment (HOME, XDG_*, XEROTUI_HOME, no XEROTIER_*, no keychain)."""
    env = dict(os.environ)
    assert env["XEROTUI_HOME"] != str(Path("~/.xerotui").expanduser())
    return {**env, **extra}


class Terminal:
    """`xerotui ARGS` on a pseudo-terminal of 120x40; everything it draws is kept."""

    def __init__(self, *args: str, env: dict[str, str], argv: list[str] | None = None) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.master = master
        self.output = bytearray()
        self._lock = threading.Lock()
        try:
            self.proc = subprocess.Popen(
                [*(argv or XEROTUI), *args],
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env={**env, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"},
                cwd=REPO,
                start_new_session=True,
            )
        finally:
            os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO once the program and its children closed the terminal
                return
            if not data:
                return
            with self._lock:
                self.output.extend(data)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def raw(self) -> bytes:
        """Every byte written to the terminal so far."""
        with self._lock:
            return bytes(self.output)

    def hang_up(self) -> None:
        """Close the terminal under the program, as a killed tmux session or SSH does."""
        os.close(self.master)
        self.master = -1

    def mark(self) -> int:
        """A position in the output, for `text_since`."""
        with self._lock:
            return len(self.output)

    def text_since(self, mark: int) -> str:
        """What was drawn after `mark`, escape sequences removed."""
        with self._lock:
            raw = bytes(self.output[mark:])
        return ANSI.sub(b"", raw).decode(errors="replace")

    def text(self) -> str:
        """Everything drawn so far, escape sequences removed."""
        with self._lock:
            raw = bytes(self.output)
        return ANSI.sub(b"", raw).decode(errors="replace")

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        if self.master >= 0:
            os.close(self.master)
        self._reader.join(5)


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    """Poll (a timeout only so a broken build cannot hang the suite)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def process_state(pid: int) -> str | None:
    """The /proc state letter of `pid`, None if there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def gone(pid: int) -> bool:
    """Exited: no process, or a zombie waiting for whoever reaps orphans."""
    return process_state(pid) in (None, "Z")


def sandbox_children(parent: int) -> list[tuple[int, list[str]]]:
    """(pid, argv) of `xerotui sandbox` processes started by `parent` (by parent pid or
    by their --parent-pid argument)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if argv[1:4] != ["-m", "xerotui", "sandbox"]:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        by_arg = "--parent-pid" in argv and argv[argv.index("--parent-pid") + 1] == str(parent)
        if ppid == parent or by_arg:
            found.append((int(entry.name), argv))
    return found


class DemoRuns:
    """`xerotui --demo ...` runs of one test, and the sandbox children they started."""

    def __init__(self) -> None:
        self.terminals: list[Terminal] = []
        self.children: list[int] = []

    def start(self, *args: str) -> Terminal:
        terminal = Terminal("--demo", *args, env=cli_env())
        self.terminals.append(terminal)
        return terminal

    def sandbox_child(self, terminal: Terminal) -> int:
        """The pid of the sandbox child of `terminal`'s app (exactly one, on the demo db)."""
        wait_for(lambda: sandbox_children(terminal.pid), 60, "the --demo sandbox child process")
        [(pid, argv)] = sandbox_children(terminal.pid)
        self.children.append(pid)
        assert argv[argv.index("--db") + 1] == str(paths.demo_db())
        assert argv[argv.index("--port") + 1] == "0"
        assert "--ready-json" in argv
        return pid

    def __enter__(self) -> DemoRuns:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup()

    def cleanup(self) -> None:
        for terminal in self.terminals:
            terminal.close()
        for pid in self.children:
            if not gone(pid):  # a failed test must not leave an orphan either
                os.kill(pid, signal.SIGKILL)
