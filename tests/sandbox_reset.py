"""reset_sandbox(): fresh seed data and no faults, between tests (shared by every suite)."""

from __future__ import annotations

import httpx

from xerotui.launcher import SandboxInfo


def reset_sandbox(info: SandboxInfo) -> None:
    """Reseed the data, clear faults and restore the test timings."""
    with httpx.Client(base_url=info.root_url, timeout=30) as http:
        http.post("/_sandbox/reset").raise_for_status()
        http.delete("/_sandbox/faults").raise_for_status()
