"""Start the sandbox as a child process and stop it again: used by `--demo` and by tests.

The child is `python -m xerotui sandbox --port 0 --ready-json ...`; it prints exactly one
JSON line on stdout once it accepts connections. The child never outlives us: it gets
PR_SET_PDEATHSIG on Linux and also watches our pid (`--parent-pid`), so even a SIGKILL of
the parent leaves no orphan.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from urllib.parse import urlsplit


class SandboxStartError(RuntimeError):
    """The sandbox child did not become ready; the message carries its last stderr lines."""


@dataclass(frozen=True)
class SandboxInfo:
    """What the ready line announces."""

    base_url: str
    api_key: str
    admin_api_key: str
    other_api_key: str
    endpoints: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, line: str) -> SandboxInfo:
        data: dict[str, Any] = json.loads(line)
        return cls(
            base_url=data["base_url"],
            api_key=data["api_key"],
            admin_api_key=data["admin_api_key"],
            other_api_key=data["other_api_key"],
            endpoints=dict(data.get("endpoints", {})),
        )

    @property
    def root_url(self) -> str:
        """`http://127.0.0.1:PORT` — where `/_sandbox/...` control routes live."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def project(self) -> str:
        return urlsplit(self.base_url).path.strip("/").split("/")[0]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: ask the kernel to SIGTERM the child when the parent dies."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


class SandboxProcess:
    """A sandbox child process; use as a context manager or call start()/stop()."""

    def __init__(
        self,
        db: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        reset: bool = False,
        extra_args: Sequence[str] = (),
        log_file: Path | None = None,
        ready_timeout: float = 60.0,
    ) -> None:
        self.db = db
        self.host = host
        self.port = port
        self.reset = reset
        self.extra_args = list(extra_args)
        self.log_file = log_file or db.with_suffix(".log")
        self.ready_timeout = ready_timeout
        self.info: SandboxInfo | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "xerotui", "sandbox", "--host", self.host]
        cmd += ["--port", str(self.port), "--db", str(self.db), "--ready-json"]
        cmd += ["--parent-pid", str(os.getpid())]
        if self.reset:
            cmd.append("--reset")
        return cmd + self.extra_args

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def start(self) -> SandboxInfo:
        """Launch and wait until it accepts connections."""
        self.launch()
        return self.wait_ready()

    def launch(self) -> None:
        """Start the child without waiting (the caller can do other work meanwhile)."""
        self.db.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_file.open("ab")
        self._proc = subprocess.Popen(
            self.command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._log,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )

    def wait_ready(self) -> SandboxInfo:
        """Read the ready line; SandboxStartError (and the child stopped) if none comes."""
        try:
            self.info = SandboxInfo.from_json(self._read_ready_line())
        except BaseException:
            self.stop()
            raise
        return self.info

    def _read_ready_line(self) -> str:
        assert self._proc is not None
        assert self._proc.stdout is not None
        stdout = self._proc.stdout
        deadline = time.monotonic() + self.ready_timeout
        buffer = b""
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SandboxStartError(self._failure("did not become ready in time"))
            readable, _, _ = select.select([stdout], [], [], min(remaining, 0.5))
            if readable:
                chunk = os.read(stdout.fileno(), 4096)
                if not chunk:
                    raise SandboxStartError(self._failure("exited before it was ready"))
                buffer += chunk
            elif self._proc.poll() is not None:
                raise SandboxStartError(self._failure("exited before it was ready"))
        line = buffer.split(b"\n", 1)[0].decode()
        try:
            json.loads(line)
        except ValueError as exc:
            raise SandboxStartError(self._failure(f"printed no ready line: {line!r}")) from exc
        return line

    def _failure(self, what: str) -> str:
        tail = ""
        with contextlib.suppress(OSError):
            lines = self.log_file.read_text(errors="replace").strip().splitlines()
            tail = "\n".join(lines[-12:])
        message = f"The sandbox {what} (log: {self.log_file})."
        return f"{message}\n{tail}" if tail else message

    def stop(self, timeout: float = 5.0) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)
        if proc is not None and proc.stdout is not None:
            proc.stdout.close()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> SandboxInfo:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
