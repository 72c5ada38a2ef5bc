"""SandboxServer: binds the socket, runs uvicorn on it, announces readiness, shuts down.

We bind the listening socket ourselves (so `--port 0` knows its real port and "address in
use" is reported before anything else happens) and pass it to `uvicorn.Server.serve`.
With ``ready_json`` exactly one JSON line goes to stdout once connections are accepted, and
``sys.stdout`` is pointed at stderr so nothing else can ever reach the parent's pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO

import uvicorn

from xerotui.sandbox.app import create_app
from xerotui.sandbox.faults import FaultConfig
from xerotui.sandbox.middleware import QuietDropFilter
from xerotui.sandbox.state import SandboxState
from xerotui.sandbox.timings import Timings

log = logging.getLogger("xerotui.sandbox")

PARENT_CHECK_SECONDS = 0.5


@dataclass
class ServerOptions:
    db: Path
    host: str = "127.0.0.1"
    port: int = 8000
    reset: bool = False
    seed_models: int = 0
    timings: Timings = field(default_factory=Timings)
    faults: FaultConfig = field(default_factory=FaultConfig)
    ready_json: bool = False
    parent_pid: int | None = None
    verbose: bool = False


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket; raises OSError (e.g. address in use)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose
    # proto says TCP; without it keep-alive requests wait ~40 ms on Nagle + delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(256)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def display_host(host: str) -> str:
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


class SandboxServer:
    def __init__(self, options: ServerOptions, stdout: IO[str] | None = None) -> None:
        self.options = options
        self.stdout = stdout or sys.stdout
        self.server: uvicorn.Server | None = None
        self.root_url = ""
        self._direct_parent = options.parent_pid is not None and os.getppid() == options.parent_pid

    def run(self) -> int:
        opts = self.options
        if opts.ready_json:
            sys.stdout = sys.stderr  # the ready line is the only thing the parent reads
        sock = bind_socket(opts.host, opts.port)
        try:
            state = SandboxState(
                opts.db,
                reset=opts.reset,
                seed_models=opts.seed_models,
                timings=opts.timings,
                faults=opts.faults,
            )
        except BaseException:
            sock.close()
            raise
        port = sock.getsockname()[1]
        self.root_url = f"http://{display_host(opts.host)}:{port}"
        config = uvicorn.Config(
            create_app(state),
            http="h11",
            ws="none",
            loop="asyncio",
            lifespan="on",
            log_config=None,
            access_log=opts.verbose,
            timeout_graceful_shutdown=3,
            server_header=False,
        )
        self.server = uvicorn.Server(config)
        logging.getLogger("uvicorn.error").addFilter(QuietDropFilter())
        self._install_signal_handlers()
        try:
            asyncio.run(self._serve(sock, state))
        finally:
            state.close()
            sock.close()
        return 0

    def _install_signal_handlers(self) -> None:
        def stop(signum: int, frame: FrameType | None) -> None:
            if self.server is not None:
                self.server.should_exit = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    async def _serve(self, sock: socket.socket, state: SandboxState) -> None:
        server = self.server
        assert server is not None
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            if serving.done():
                await serving  # startup failed: re-raise
                return
            await asyncio.sleep(0.005)
        self._announce(state)
        watcher = None
        if self.options.parent_pid is not None:
            watcher = asyncio.create_task(self._watch_parent(self.options.parent_pid))
        try:
            await serving
        finally:
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher

    def _announce(self, state: SandboxState) -> None:
        info = state.announce(self.root_url)
        if self.options.ready_json:
            self.stdout.write(json.dumps(info) + "\n")
            self.stdout.flush()
        else:
            self.stdout.write(banner(info, self.root_url, self.options.db))
            self.stdout.flush()
        log.info("sandbox ready on %s (database %s)", self.root_url, self.options.db)

    def _parent_alive(self, pid: int) -> bool:
        if self._direct_parent and os.getppid() != pid:
            return False  # re-parented: our parent is gone
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    async def _watch_parent(self, pid: int) -> None:
        while True:
            await asyncio.sleep(PARENT_CHECK_SECONDS)
            if not self._parent_alive(pid):
                log.info("parent process %d is gone; shutting down", pid)
                if self.server is not None:
                    self.server.should_exit = True
                return


def banner(info: dict[str, object], root: str, db: Path) -> str:
    key = info["api_key"]
    endpoints = info["endpoints"]
    slugs = ", ".join(endpoints) if isinstance(endpoints, dict) else ""
    chat_url = f"{root}/proj_demo/llama-chat/v1/chat/completions"
    body = '{"model": "llama-3.1-8b-instruct", "messages": [{"role": "user", "content": "Hello"}]}'
    stream_body = body[:-1] + ', "stream": true}'
    return f"""Xerotier sandbox running on {root}

  base URL       {info["base_url"]}
  API key        {key}
  admin key      {info["admin_api_key"]}
  other project  {info["other_api_key"]}  (proj_other, for 403s)
  endpoints      {slugs}
  database       {db}
  OpenAPI        {root}/openapi.json

Try:
  curl -s '{info["base_url"]}/models?extended=true&limit=5' \\
    -H 'Authorization: Bearer {key}'

  curl -s '{chat_url}' \\
    -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\
    -d '{body}'

  curl -sN '{chat_url}' \\
    -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\
    -d '{stream_body}'

Press Ctrl+C to stop.
"""
