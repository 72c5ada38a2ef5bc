"""Constants and helpers shared by the sandbox tests (fixtures live in conftest.py)."""

from __future__ import annotations

import time
from typing import Any

import httpx

from xerotui.api.schema import TERMINAL_STATUSES
from xerotui.sandbox.seed import model_id


def demo_id(name: str) -> str:
    """The fixed id of a seeded proj_demo model."""
    return model_id("proj_demo", name)


def other_id(name: str) -> str:
    return model_id("proj_other", name)


LLAMA = demo_id("llama-3.1-8b-instruct")
CODER = demo_id("qwen2.5-coder-7b-instruct")
DEEPSEEK = demo_id("deepseek-r1-distill-qwen-7b")
MIXTRAL = demo_id("mixtral-8x7b-instruct-v0.1")
VALIDATING = demo_id("qwen3-30b-a3b")
FAILED_BROKEN = demo_id("mixtral-8x22b-instruct-awq")
INVALID_BROKEN = demo_id("gemma-2-27b-it")
READY_BROKEN = demo_id("smollm2-1.7b-instruct")
ERROR_MODEL = demo_id("codellama-13b-instruct")
ACME = demo_id("acme-support-llama-3.1-8b")
UNSHARED_READY = demo_id("qwen2.5-7b-instruct")
OTHER_MODEL = other_id("orbit-llama-3.1-8b-instruct")
WORKSPACE = "ws_0123456789abcdef"


def client(base_url: str, key: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.Client(base_url=base_url, headers=headers, timeout=15)


def wait_terminal(api: httpx.Client, mid: str, timeout: float = 60.0) -> str:
    """Poll a model until its status is terminal; returns the status."""
    deadline = time.monotonic() + timeout
    while True:
        status = str(api.get(f"/models/{mid}", params={"extended": "true"}).json()["status"])
        if status in TERMINAL_STATUSES or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


def fresh_rate_window(needed: float = 15.0) -> int:
    """Wait, if need be, until the sandbox's one-minute rate window (wall clock, shared with
    this machine) has ``needed`` seconds left; returns the window, for checking it held."""
    left = 60.0 - time.time() % 60.0
    if left < needed:
        time.sleep(left + 0.05)  # a clock condition, not a wait on the server
    return int(time.time() // 60)


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The `error` object of an envelope, checked for shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert error["type"]
    assert isinstance(error["message"], str)
    assert error["message"]
    return error
