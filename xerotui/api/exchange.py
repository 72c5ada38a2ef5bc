"""Exchange: send one request on the client's connection pool, with the rule for connections
the server closed.

What goes wrong, measured against the sandbox: after an unhandled error uvicorn sends the
500 response (keep-alive, no ``Connection: close``), logs the traceback, and only then closes
the connection. A request sent right after the 500 goes out on that still-open connection,
lies unread in the server's socket and the close turns into a TCP reset: httpx raises
``ReadError`` with no response byte (18 of 20 PATCHes right after a 500; none when the
PATCH waited 50 ms, because httpcore's pool then sees the closed socket readable and opens a
new connection). httpcore's trace events show it: no ``connection.connect_tcp`` (reused
connection), ``http11.send_request_headers/body.complete``, then
``http11.receive_response_headers.failed``.

Rules, from the trace of each attempt (httpcore's ``trace`` request extension):

- **Retire after a 5xx.** A server that answered 5xx may be about to drop the connection, so
  the connection that carried it is closed before the pool can hand it out again (its
  network stream is closed when the response closes, so the pool's readability check
  discards it). The next request, a PATCH right after a 500 included, opens a new one.
- **Dead before sent: resend once.** If writing the request failed on a reused connection
  (its head, or the body that belongs to it) and no response arrived, the server never had
  the whole request: the connection was gone. That request, whatever its method, is sent
  once more; the pool no longer holds the dead connection, so it goes out on a live or a
  new one. (asyncio reports a reset met while writing the head only at the next write, so
  for a request with a body the body write is what fails.)
- **May have reached the server: never resent here.** Once the whole request was handed to
  the socket, a lost connection may have followed the server's work, so only the retry
  policy of idempotent GETs may send it again; the error says so for a mutation. This
  includes a body-less POST or DELETE whose only write met a reset: asyncio keeps that
  error until a next write that never comes, so the client cannot tell.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from xerotui.api.errors import XeroError
from xerotui.api.failures import transport_error

Trace = Callable[[str, dict[str, Any]], Awaitable[None]]
RequestFactory = Callable[[Trace], httpx.Request]


class AttemptTrace:
    """httpcore's trace callback for one attempt: what happened on which connection."""

    def __init__(self, has_body: bool) -> None:
        self.has_body = has_body
        self.new_connection = False
        self.head_written = False  # handed to the socket: it may have arrived
        self.head_failed = False
        self.body_failed = False
        self.response_started = False
        self._retire: Any = None

    async def __call__(self, event: str, info: dict[str, Any]) -> None:
        if event in ("connection.connect_tcp.started", "connection.connect_unix_socket.started"):
            self.new_connection = True
        elif event == "http11.send_request_headers.complete":
            self.head_written = True
        elif event == "http11.send_request_headers.failed":
            self.head_failed = True
        elif event == "http11.send_request_body.failed":
            self.body_failed = True
        elif event == "http11.receive_response_headers.complete":
            self.response_started = True
        elif event == "http11.response_closed.started" and self._retire is not None:
            stream, self._retire = self._retire, None
            with contextlib.suppress(Exception):  # closing a socket that may be gone already
                await stream.aclose()  # before the pool may hand the connection out again

    @property
    def incomplete(self) -> bool:
        """The server cannot have had the whole request: writing its head failed, or writing
        its body did (a head alone is no request when a body belongs to it)."""
        return self.head_failed or (self.has_body and self.body_failed)

    @property
    def dead_before_sent(self) -> bool:
        """A reused connection broke while the request was written, with no answer."""
        return not self.new_connection and self.incomplete and not self.response_started

    @property
    def maybe_delivered(self) -> bool:
        return self.head_written and not self.incomplete

    def retire(self, response: httpx.Response) -> None:
        """Close this response's connection when the response closes (never reuse it)."""
        self._retire = response.extensions.get("network_stream")


class Exchange:
    """Sends requests on one ``httpx.AsyncClient``; failures become XeroErrors."""

    def __init__(self, http: httpx.AsyncClient, host: str) -> None:
        self._http = http
        self._host = host

    async def send(
        self,
        build: RequestFactory,
        method: str,
        path: str,
        *,
        has_body: bool = False,
        stream: bool = False,
    ) -> httpx.Response:
        """The response (its body read unless ``stream``); a transport failure raises the
        XeroError of :func:`~xerotui.api.failures.transport_error`."""
        for chance in (1, 2):
            trace = AttemptTrace(has_body=has_body)
            try:
                response = await self._http.send(build(trace), stream=True)
            except httpx.TransportError as exc:
                if chance == 1 and trace.dead_before_sent and not _timed_out(exc):
                    continue
                raise self._error(exc, method, path, trace) from None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise self._error(exc, method, path, trace) from None
            if response.status_code >= 500:
                trace.retire(response)
            if not stream:
                try:
                    await response.aread()
                except httpx.HTTPError as exc:
                    await response.aclose()
                    raise self._error(exc, method, path, trace) from None
                except BaseException:  # cancelled while reading: the connection goes back
                    await response.aclose()
                    raise
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _error(
        self, exc: httpx.HTTPError | httpx.InvalidURL, method: str, path: str, trace: AttemptTrace
    ) -> XeroError:
        maybe_applied = trace.maybe_delivered and method.upper() != "GET"
        return transport_error(exc, self._host, method, path, None, maybe_applied=maybe_applied)


def _timed_out(exc: httpx.TransportError) -> bool:
    return isinstance(exc, httpx.TimeoutException)
