"""Session: one live connection — the client, the key, and where they came from."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from xerotui.api.client import XeroClient
from xerotui.api.inventory import ModelInventory
from xerotui.api.prefetch import Prefetch
from xerotui.api.requestlog import RequestLog, RequestRecord
from xerotui.launcher import SandboxInfo


@dataclass
class Session:
    """What the screens work against. Replaced whole when the user switches profile."""

    client: XeroClient
    api_key: str
    profile: str
    origin: str
    inventory: ModelInventory = field(default_factory=ModelInventory)

    @property
    def base_url(self) -> str:
        return self.client.base_url

    @property
    def project(self) -> str:
        return self.client.project

    @property
    def masked_key(self) -> str:
        return self.client.api_key_masked

    def sent(self, record: RequestRecord) -> bool:
        """Whether this session's client made the request (the log is shared by all)."""
        return record.key_masked == self.masked_key and record.url.startswith(
            f"{self.client.root}/"
        )


def open_session(
    base_url: str,
    api_key: str,
    *,
    profile: str,
    origin: str,
    log: RequestLog,
    prefetch: Prefetch | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Session:
    """A Session with a new client writing to the app's request log."""
    client = XeroClient(base_url, api_key, log=log, prefetch=prefetch, transport=transport)
    return Session(client=client, api_key=api_key, profile=profile, origin=origin)


def open_demo_session(info: SandboxInfo, log: RequestLog) -> Session:
    """The local sandbox's session (admin key, so every action can be tried)."""
    return open_session(
        info.base_url, info.admin_api_key, profile="demo", origin="local sandbox", log=log
    )
