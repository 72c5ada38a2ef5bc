"""Hostile text from a server never drives the terminal: the bytes the real program writes to
its pseudo-terminal are checked, not the screen model.

Model fields (name, description, license, architecture) come from the sandbox, stored raw
through its `/_sandbox/models/{id}/raw` knob; error messages and codes come from a small
hostile HTTP server. Escape sequences must show as visible characters (`␛`), never as
escape sequences: no retitled terminal, no clipboard write, no NUL, no C1 CSI, no
hyperlink made from `[link=...]` markup."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from pty_terminal import Terminal, cli_env, wait_for

from xerotui.launcher import SandboxInfo

TITLE = "\x1b]0;PWNED-TITLE\x07"
CLIPBOARD = "\x1b]52;c;SGVsbG8=\x07"
NAME = f"evil{TITLE}-name\x9b31m"
DESCRIPTION = f"A{TITLE}B\x1b[2J[link=http://evil.example]click[/link]\x00 tail " + "x" * 200
HOSTILE_MESSAGE = f"Broken{TITLE} [link=http://evil.example]here[/link]\x00{CLIPBOARD}"


def assert_inert(raw: bytes) -> None:
    """None of the planted sequences reached the terminal as sequences."""
    assert b"\x1b]0;PWNED-TITLE" not in raw  # no retitling (OSC 0)
    assert b"\x1b]52;" not in raw  # no clipboard write (OSC 52)
    assert b"\x00" not in raw
    assert "\x9b".encode() not in raw  # no C1 CSI
    assert b"B\x1b[2J" not in raw  # no clear screen from the description
    assert not re.search(rb"\x1b\]8;[^\x07\x1b]*;http://evil", raw)  # no hyperlink


def send_and_see(terminal: Terminal, keys: bytes, shown: str) -> None:
    """Send `keys`, then wait until `shown` is drawn after them."""
    mark = terminal.mark()
    terminal.send(keys)
    wait_for(lambda: shown in terminal.text_since(mark), 30, repr(shown))


def visible(text: str) -> bool:
    """The title sequence is on screen, made visible."""
    return "␛]0;PWNED-TITLE␇" in text


async def test_model_fields_from_the_server_are_shown_inert(sandbox: SandboxInfo) -> None:
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers) as http:
        first = (await http.get("/models", params={"limit": 1})).json()["data"][0]
        raw = {
            "name": NAME,
            "description": DESCRIPTION,
            "license": CLIPBOARD,
            "architecture": f"Arch{TITLE}",
        }
        answer = await http.post(f"{sandbox.root_url}/_sandbox/models/{first['id']}/raw", json=raw)
        answer.raise_for_status()
    terminal = Terminal("--base-url", sandbox.base_url, "--api-key", sandbox.api_key, env=cli_env())
    try:
        wait_for(lambda: "of 43 · sort" in terminal.text(), 60, "the table")
        wait_for(lambda: visible(terminal.text()), 30, "the hostile name, made visible")
        steps = [  # detail, full description, JSON, back, overview, API log
            (b"\r", "f: all"),
            (b"f", "Description ·"),
            (b"\x1b", "Workload Type"),  # esc alone: esc + j in one read is alt+j
            (b"j", '"owned_by"'),
            (b"\x1b", "Workload Type"),
            (b"\x1b", "of 43 · sort"),
            (b"go", "Models by status"),
            (b"ge", "Error code"),
        ]
        for keys, shown in steps:  # each key only once the previous one was drawn
            send_and_see(terminal, keys, shown)
        wait_for(lambda: "Error code" in terminal.text(), 30, "the API log")
        terminal.send(b"\x11")
        assert terminal.proc.wait(30) == 0
        raw_bytes = terminal.raw()
        assert_inert(raw_bytes)
        assert "A␛]0;PWNED-TITLE␇B␛[2J[link=http://evil.example]click[/link]" in terminal.text()
    finally:
        terminal.close()


class Hostile(BaseHTTPRequestHandler):
    """A server whose errors carry escape sequences: the first model list fails (the
    connection-problem modal), the next one answers, a detail fails (a toast, the API log)."""

    lists = 0

    def log_message(self, *args: Any) -> None:
        pass

    def reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Request-ID", f"req{TITLE}")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        error = {"message": HOSTILE_MESSAGE, "type": "x", "code": f"code{TITLE}"}
        if self.path.startswith("/proj_demo/v1/models?"):
            Hostile.lists += 1
            if Hostile.lists == 1:
                self.reply(500, {"error": error})
                return
            model = {"id": "m1", "object": "model", "created": 1700000000, "owned_by": "x",
                     "name": NAME, "status": "ready"}  # fmt: skip
            self.reply(200, {"object": "list", "data": [model], "has_more": False, "total": 1})
            return
        self.reply(400, {"error": {**error, "param": f"param{CLIPBOARD}"}})


@pytest.fixture
def hostile_server() -> Iterator[str]:
    Hostile.lists = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/proj_demo/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_error_messages_from_the_server_are_shown_inert(hostile_server: str) -> None:
    key = "xero_proj_demo_abcdefghijklmnop"
    terminal = Terminal("--base-url", hostile_server, "--api-key", key, env=cli_env())
    try:
        wait_for(lambda: "Retry" in terminal.text(), 60, "the connection-problem modal")
        wait_for(lambda: visible(terminal.text()), 30, "the hostile message, made visible")
        terminal.send(b"r")  # retry: the list answers now
        wait_for(lambda: "rows 1-1 of 1 · sort" in terminal.text(), 30, "the table")
        terminal.send(b"\r")  # the detail fails: a toast with the message
        wait_for(lambda: "param␛]52" in terminal.text(), 30, "the toast naming the field")
        terminal.send(b"\x1b")
        terminal.send(b"ge")
        wait_for(lambda: "Error code" in terminal.text(), 30, "the API log")
        terminal.send(b"\x11")
        assert terminal.proc.wait(30) == 0
        assert_inert(terminal.raw())
    finally:
        terminal.close()
