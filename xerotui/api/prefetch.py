"""Prefetch: start the first request on a thread before the heavy imports (stdlib only).

At start-up Python spends ~0.3 s importing Textual, httpx and pydantic while the network sits
idle. `Prefetch` sends the first page request on a thread right after the command line is
parsed; `PrefetchTransport` (api/prefetch_transport.py) later answers the client's identical
request with that response, so the client handles it exactly like any other (error mapping,
request log, validation). Any failure here just means the client sends the request itself.
"""

from __future__ import annotations

import http.client
import threading
import urllib.request
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

from xerotui import __version__

Raw = tuple[int, list[tuple[str, str]], bytes]
USER_AGENT = f"xerotui/{__version__}"
"""What every request of xerotui says it is (the client's default too)."""


class Prefetch:
    """One GET on a background thread; `result()` waits for it (None if it failed)."""

    def __init__(self, url: str, headers: dict[str, str], *, timeout: float = 30.0) -> None:
        self.url = url
        parts = urlsplit(url)
        self.path = parts.path
        self.params = dict(parse_qsl(parts.query))
        self._headers = headers
        self._timeout = timeout  # the client's read timeout
        self._raw: Raw | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._waiters: list[Callable[[Raw | None], None]] = []
        # A daemon: a server that never answers must not keep a quitting app alive.
        self._thread = threading.Thread(target=self._run, name="xerotui-prefetch", daemon=True)

    @classmethod
    def first_page(
        cls, base_url: str, api_key: str, user_agent: str = USER_AGENT
    ) -> Prefetch | None:
        """Start fetching page one of the model list, unless a proxy is configured."""
        if urllib.request.getproxies():  # httpx would go through the proxy; do not bypass it
            return None
        url = f"{base_url.rstrip('/')}/models?limit=100&offset=0&extended=true"
        headers = {
            "Authorization": f"Bearer {api_key}",
            "Accept": "application/json",
            "User-Agent": user_agent,
        }
        prefetch = cls(url, headers)
        prefetch._thread.start()
        return prefetch

    def _run(self) -> None:
        parts = urlsplit(self.url)
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            import ssl

            import certifi  # the CA bundle httpx verifies with: accept exactly what it would

            context = ssl.create_default_context(cafile=certifi.where())
            connection = http.client.HTTPSConnection(
                parts.netloc, timeout=self._timeout, context=context
            )
        else:
            connection = http.client.HTTPConnection(parts.netloc, timeout=self._timeout)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("GET", target, headers=self._headers)
            response = connection.getresponse()
            self._raw = (response.status, response.getheaders(), response.read())
        except Exception:  # the client will send the request itself and report properly
            self._raw = None
        finally:
            connection.close()
            with self._lock:
                self._done.set()
                waiters, self._waiters = self._waiters, []
            for waiter in waiters:
                waiter(self._raw)

    def matches(self, method: str, path: str, params: dict[str, str]) -> bool:
        return method == "GET" and path == self.path and params == self.params

    def when_done(self, callback: Callable[[Raw | None], None]) -> None:
        """Call `callback(raw)` from the prefetch thread when it is done (now, if it is)."""
        with self._lock:
            if not self._done.is_set():
                self._waiters.append(callback)
                return
        callback(self._raw)

    def result(self) -> Raw | None:
        """Wait (blocking) for the response; None if the prefetch failed."""
        self._done.wait(self._timeout + 1)
        return self._raw
