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
    api_key: str = field(repr=False)
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


@dataclass(frozen=True)
class SessionOpener:
    """Opens every session of a run the same way: into the app's request log, in the
    client mode the command line chose (`--dry-run`, `--read-only`), which a profile switch
    keeps. The client enforces the mode; screens never check it."""

    log: RequestLog = field(default_factory=RequestLog)
    dry_run: bool = False
    read_only: bool = False

    def open(
        self,
        base_url: str,
        api_key: str,
        *,
        profile: str,
        origin: str,
        prefetch: Prefetch | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> Session:
        client = XeroClient(
            base_url,
            api_key,
            log=self.log,
            prefetch=prefetch,
            transport=transport,
            dry_run=self.dry_run,
            read_only=self.read_only,
        )
        return Session(client=client, api_key=api_key, profile=profile, origin=origin)

    def demo(self, info: SandboxInfo) -> Session:
        """The local sandbox's session (admin key, so every action can be tried)."""
        return self.open(info.base_url, info.admin_api_key, profile="demo", origin="local sandbox")
