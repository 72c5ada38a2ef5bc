"""LinkState: what the header says about the connection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LinkKind = Literal["none", "connecting", "connected", "error"]


@dataclass(frozen=True)
class LinkState:
    kind: LinkKind = "none"
    profile: str = ""
    project: str = ""
    detail: str = ""
