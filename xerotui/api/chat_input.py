"""InputHistory: what was typed at the chat prompt, recalled with Up/Down, kept per profile.

Like a shell's history: Up walks back from the newest entry (the line being typed is kept
as a draft and comes back after the newest entry on Down), sending adds the line unless it
repeats the previous one. Stored as JSON lines in ``chats/<profile>/input-history.jsonl``
(one append per line sent; trimmed to ``limit`` lines when it grows past twice that).
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from xerotui.api.chat_autosave import profile_dir
from xerotui.config import paths

__all__ = ["InputHistory"]

HISTORY_FILE = "input-history.jsonl"


class InputHistory:
    """The lines sent at one profile's chat prompt, oldest first."""

    def __init__(self, path: Path | None = None, *, limit: int = 500) -> None:
        self.path = path
        self.limit = limit
        self.entries: list[str] = []
        self._cursor: int | None = None  # index into entries while walking; None: at draft
        self._draft = ""
        self._lines_on_disk = 0
        self._load()

    @classmethod
    def for_profile(cls, profile: str, **kw: int) -> InputHistory:
        return cls(profile_dir(profile) / HISTORY_FILE, **kw)

    def add(self, text: str) -> None:
        """Remember a line that was sent (not blank lines, not a repeat of the last one)."""
        self.reset()
        if not text.strip() or (self.entries and self.entries[-1] == text):
            return
        self.entries.append(text)
        del self.entries[: -self.limit]
        self._append(text)

    def previous(self, current: str) -> str | None:
        """Up: the entry before the one shown (None at the oldest). ``current`` is the line
        being edited; the first Up keeps it as the draft."""
        if not self.entries:
            return None
        if self._cursor is None:
            self._draft = current
            self._cursor = len(self.entries)
        if self._cursor == 0:
            return None
        self._cursor -= 1
        return self.entries[self._cursor]

    def next(self) -> str | None:
        """Down: the entry after the one shown, then the draft; None when not walking."""
        if self._cursor is None:
            return None
        self._cursor += 1
        if self._cursor >= len(self.entries):
            self._cursor = None
            return self._draft
        return self.entries[self._cursor]

    def reset(self) -> None:
        """Stop walking (the line was edited or sent)."""
        self._cursor = None
        self._draft = ""

    def _load(self) -> None:
        if self.path is None:
            return
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
        for line in lines:
            with contextlib.suppress(ValueError):
                text = json.loads(line)
                if isinstance(text, str) and text.strip():
                    self.entries.append(text)
        self._lines_on_disk = len(lines)
        del self.entries[: -self.limit]

    def _append(self, text: str) -> None:
        if self.path is None:
            return
        try:
            if self._lines_on_disk >= 2 * self.limit:
                body = "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in self.entries)
                paths.write_private(self.path, body.encode("utf-8"))
                self._lines_on_disk = len(self.entries)
                return
            paths.ensure_private_dir(self.path.parent)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with open(fd, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(text, ensure_ascii=False) + "\n")
            self._lines_on_disk += 1
        except OSError:
            pass  # history is a convenience: never fail a send because of it
