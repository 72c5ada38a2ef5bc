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
    mode: str = "normal"
    """The client's mode: "normal", "dry-run" or "read-only" (the header shows the last two)."""
    busy: bool = False
    """A load or refresh of the model list is under way (a slow server shows it)."""
