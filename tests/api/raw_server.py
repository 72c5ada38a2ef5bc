"""RawServer: a tiny real HTTP/1.1 server (asyncio, 127.0.0.1, ephemeral port) whose
connections misbehave on purpose, for what the sandbox cannot do on cue: closing a
keep-alive connection at an exact moment, with or without reading the request.

Each request the server *reads* (head and body) is appended to ``seen`` as
``(method, path)``, so a test knows exactly how many attempts reached the server. What the
server does after reading is decided by ``plan(n)`` for the n-th request read (1-based):

- ``Answer(status)``: a JSON response, keep-alive, no ``Connection: close``;
- ``Answer(status, then="close-on-next")``: answer; when the next request starts arriving,
  close the connection with a reset without handling it, as uvicorn does after a failed
  request (it logs the traceback first, then closes with the next request unread);
- ``Drop("fin")``: close without answering (orderly close, the request was read);
- ``Drop("reset")``: close without answering with a TCP reset (the request was read).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Answer:
    status: int = 200
    then: Literal["keep-alive", "close-on-next"] = "keep-alive"


@dataclass(frozen=True)
class Drop:
    how: Literal["fin", "reset"] = "fin"


Plan = Callable[[int], Answer | Drop]
MODEL = {"id": "m1", "object": "model", "created": 1700000000, "owned_by": "proj_demo"}


def reset_on_close(writer: asyncio.StreamWriter) -> None:
    """Make closing this connection send a TCP reset (SO_LINGER 0)."""
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


class RawServer:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.seen: list[tuple[str, str]] = []
        self.connections = 0
        self._writers: list[asyncio.StreamWriter] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/proj_demo/v1"

    async def reset_idle(self) -> None:
        """Reset every open connection now (as a server whose keep-alive timer fired)."""
        for writer in list(self._writers):
            reset_on_close(writer)
            writer.transport.abort()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.append(writer)
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, path = head.split(b" ")[:2]
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length:
                    await reader.readexactly(length)
                self.seen.append((method.decode(), path.decode()))
                step = self.plan(len(self.seen))
                if isinstance(step, Drop):
                    if step.how == "reset":
                        reset_on_close(writer)
                    writer.transport.abort() if step.how == "reset" else writer.close()
                    return
                body = json.dumps(MODEL).encode()
                writer.write(
                    f"HTTP/1.1 {step.status} X\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
                if step.then == "close-on-next":
                    await self._close_when_data_arrives(reader, writer)
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._writers.remove(writer)
            writer.close()

    @staticmethod
    async def _close_when_data_arrives(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Once the next request starts arriving, close without handling it (a reset)."""
        await asyncio.wait_for(reader.read(1), timeout=30)
        reset_on_close(writer)
        writer.transport.abort()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[RawServer]:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        try:
            yield self
        finally:
            self._server.close()
            for writer in list(self._writers):
                writer.transport.abort()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await self._server.wait_closed()
