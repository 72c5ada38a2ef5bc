"""Helpers for the connection tests: a dead loopback URL, faults, and reading widget text."""

from __future__ import annotations

import io
import socket
from typing import Any

import httpx
from rich.console import Console
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from xerotui.launcher import SandboxInfo


def dead_base_url(project: str = "proj_demo") -> str:
    """A base URL on a loopback port where nothing listens (bound, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/{project}/v1"


def set_faults(info: SandboxInfo, **settings: Any) -> None:
    with httpx.Client(base_url=info.root_url, timeout=10) as http:
        http.post("/_sandbox/faults", json=settings).raise_for_status()


def clear_faults(info: SandboxInfo) -> None:
    with httpx.Client(base_url=info.root_url, timeout=10) as http:
        http.delete("/_sandbox/faults").raise_for_status()


def text_of(widget: Widget) -> str:
    """What a Static (including a FieldList's rich table) shows, as plain text."""
    assert isinstance(widget, Static), widget
    content = widget.content
    if isinstance(content, Text):
        return content.plain
    if isinstance(content, str):
        return content
    console = Console(file=io.StringIO(), width=200, color_system=None, legacy_windows=False)
    console.print(content)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in output.splitlines())


def fields(widget: Widget) -> dict[str, str]:
    """A FieldList's rows as {label: value} (values are single-line here)."""
    rows: dict[str, str] = {}
    for line in text_of(widget).splitlines():
        label, _, rest = line.partition("  ")
        if label.strip() and rest.strip():
            rows[label.strip()] = rest.strip()
    return rows
