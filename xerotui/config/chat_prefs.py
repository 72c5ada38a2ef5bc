"""ChatPrefs: what the chat pane remembers between runs — its width, whether it was full
screen, and per profile the endpoint last used and the options chosen in the options panel.

Kept as JSON in the data dir (``chat-prefs.json``), not in ``config.toml``: these values
change as the pane is used (a key press widens it), and ``config.toml`` is the user's file,
rewritten whole on each change. Written atomically, mode 0600. A missing or unreadable file
gives the defaults (a broken one is reported once and then overwritten by the next save).

Options are stored as the plain values of ``ChatOptions`` fields (no ``endpoint``): the chat
store validates them with ``ChatOptions.parse`` when it uses them, so an option this version
no longer accepts falls back to its default instead of failing the pane.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from xerotui.config import paths

__all__ = ["DEFAULT_WIDTH", "MAX_WIDTH", "MIN_WIDTH", "ChatPrefs", "ProfileChat"]

FILE_NAME = "chat-prefs.json"
MIN_WIDTH, DEFAULT_WIDTH, MAX_WIDTH = 25, 45, 80
"""The pane's width in percent of the screen."""


class ProfileChat(BaseModel):
    """One profile's chat choices."""

    model_config = ConfigDict(extra="ignore")

    endpoint: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)


class ChatPrefs(BaseModel):
    """The pane's layout and each profile's last endpoint and options."""

    model_config = ConfigDict(extra="ignore")

    width: int = Field(default=DEFAULT_WIDTH, ge=MIN_WIDTH, le=MAX_WIDTH)
    full: bool = False
    profiles: dict[str, ProfileChat] = Field(default_factory=dict)

    @staticmethod
    def path() -> Path:
        return paths.data_dir() / FILE_NAME

    @classmethod
    def load(cls) -> tuple[ChatPrefs, str | None]:
        """The saved preferences (defaults when there are none) and a problem to show when
        the file exists but cannot be used."""
        path = cls.path()
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls(), None
        except OSError as exc:
            return cls(), f"Cannot read {path}: {exc.strerror or exc}; chat defaults are used"
        try:
            return cls.model_validate(json.loads(raw.decode("utf-8"))), None
        except (ValueError, ValidationError) as exc:
            first = str(exc).splitlines()[0]
            return cls(), f"{path} is not valid ({first}); chat defaults are used"

    def save(self) -> None:
        """Write atomically (raises OSError)."""
        data = json.dumps(self.model_dump(mode="json"), indent=1, ensure_ascii=False)
        paths.write_private(self.path(), data.encode("utf-8"))

    def profile(self, name: str) -> ProfileChat:
        """The choices of profile ``name`` (empty ones when it has none yet)."""
        return self.profiles.get(name) or ProfileChat()

    def with_profile(self, name: str, **changes: Any) -> ChatPrefs:
        """A copy where profile ``name`` has ``changes`` applied."""
        current = self.profile(name)
        profiles = {**self.profiles, name: current.model_copy(update=changes)}
        return self.model_copy(update={"profiles": profiles})

    def with_layout(self, *, width: int | None = None, full: bool | None = None) -> ChatPrefs:
        changes: dict[str, Any] = {}
        if width is not None:
            changes["width"] = max(MIN_WIDTH, min(MAX_WIDTH, width))
        if full is not None:
            changes["full"] = full
        return self.model_copy(update=changes)
