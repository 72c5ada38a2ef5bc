"""TranscriptAutosave: the conversation kept on disk as it happens, so nothing is lost.

One transcript per profile and endpoint: ``chats/<profile>/<slug>.json`` under the data dir
(``xerotui.config.paths.chats_dir``; ``XEROTUI_HOME`` moves it in tests). Reopening the pane
on that endpoint restores it; the slugs with a transcript are the endpoints the profile used.

Two writes keep it safe against a crash or a kill at any moment:

- the transcript is rewritten atomically (temporary file, then ``os.replace``) whenever the
  conversation changes: a turn begins (the question and an empty ``streaming`` answer), a
  turn ends, /clear, /system, /load;
- while an answer streams, its text is appended to a journal (``<slug>.json.partial``: a
  header line naming the answer, then one JSON string per write), flushed at most every
  ``flush_interval`` seconds and never later than that after text arrived. Appends cost
  what arrived, not the whole conversation.

Reading a transcript whose last answer is still ``streaming`` means the process died
mid-answer: the journal's text becomes that answer, marked incomplete. The files are
private (0600 in a 0700 directory). Writes are not fsync'd: they survive the process, not
a power cut. A file that cannot be read is moved aside (``.corrupt-<time>``), not lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, unquote

from xerotui.api.chat_transcript import Transcript, TranscriptError
from xerotui.config import paths

__all__ = ["Journal", "TranscriptAutosave"]

JOURNAL_SUFFIX = ".partial"
KILLED = "xerotui stopped during this answer; the text that had arrived is kept"


def profile_dir(profile: str) -> Path:
    """The directory of one profile's chats (the name escaped into one safe segment)."""
    return paths.chats_dir() / quote(profile or "default", safe="")


def encode(transcript: Transcript) -> bytes:
    return json.dumps(transcript.to_json(), ensure_ascii=False, indent=1).encode("utf-8")


class Journal:
    """Appends the text of one streaming answer; flushed by time, from the event loop."""

    def __init__(self, path: Path, entry_id: str, flush_interval: float) -> None:
        self.path = path
        self.entry_id = entry_id
        self.flush_interval = flush_interval
        self._pending: list[str] = []
        self._last_flush = time.monotonic()
        self._timer: asyncio.TimerHandle | None = None
        paths.ensure_private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._handle: IO[str] | None = os.fdopen(fd, "w", encoding="utf-8")
        self._write(json.dumps({"entry": entry_id}) + "\n")

    def add(self, text: str) -> None:
        """Queue text; it is written now if the last write is old enough, else by a timer."""
        if not text or self._handle is None:
            return
        self._pending.append(text)
        wait = self._last_flush + self.flush_interval - time.monotonic()
        if wait <= 0:
            self.flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(wait, self.flush)

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._pending and self._handle is not None:
            self._write(json.dumps("".join(self._pending), ensure_ascii=False) + "\n")
            self._pending.clear()
        self._last_flush = time.monotonic()

    def close(self, *, remove: bool) -> None:
        """The answer is final: write what is pending, close, and remove the journal when
        the transcript holds the answer now (``remove``)."""
        self.flush()
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
            self._handle = None
        if remove:
            with contextlib.suppress(OSError):
                self.path.unlink()

    def _write(self, line: str) -> None:
        assert self._handle is not None
        try:
            self._handle.write(line)
            self._handle.flush()
        except OSError:  # a full disk must not stop the answer; the transcript save reports it
            self._pending.clear()

    @staticmethod
    def read(path: Path, entry_id: str) -> str | None:
        """The text journaled for ``entry_id``; None when the journal is for something else.
        A line cut short by a kill is skipped."""
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None
        if not lines:
            return None
        try:
            header = json.loads(lines[0])
        except ValueError:
            return None
        if not isinstance(header, dict) or header.get("entry") != entry_id:
            return None
        parts = []
        for line in lines[1:]:
            try:
                text = json.loads(line)
            except ValueError:
                continue
            if isinstance(text, str):
                parts.append(text)
        return "".join(parts)


class TranscriptAutosave:
    """The transcript file of one profile and endpoint, and its journal."""

    def __init__(self, path: Path, *, flush_interval: float = 0.1) -> None:
        self.path = path
        self.journal_path = path.with_name(path.name + JOURNAL_SUFFIX)
        self.flush_interval = flush_interval

    @classmethod
    def for_endpoint(cls, profile: str, endpoint: str, **kw: Any) -> TranscriptAutosave:
        return cls(profile_dir(profile) / f"{endpoint}.json", **kw)

    @staticmethod
    def used_endpoints(profile: str) -> list[str]:
        """Slugs this profile has chatted with, most recent first."""
        try:
            files = [p for p in profile_dir(profile).glob("*.json") if p.is_file()]
        except OSError:
            return []
        files.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        return [unquote(p.name[: -len(".json")]) for p in files]

    def save(self, transcript: Transcript) -> None:
        """Rewrite the transcript atomically (raises OSError)."""
        paths.write_private(self.path, encode(transcript))

    def journal(self, entry_id: str) -> Journal:
        return Journal(self.journal_path, entry_id, self.flush_interval)

    def load(self) -> tuple[Transcript | None, str | None]:
        """The saved transcript (an answer cut by a crash recovered from the journal), and a
        problem to show when the file could not be used (it is then moved aside)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None, None
        except OSError as exc:
            return None, f"Cannot read the saved chat {self.path}: {exc.strerror or exc}"
        try:
            transcript = Transcript.from_json(json.loads(raw.decode("utf-8")))
        except (ValueError, TranscriptError) as exc:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            with contextlib.suppress(OSError):
                os.replace(self.path, aside)
            return None, f"The saved chat could not be read ({exc}); it was moved to {aside}"
        recovered = self._recover(transcript)
        with contextlib.suppress(OSError):
            if recovered:
                self.save(transcript)
            self.journal_path.unlink(missing_ok=True)
        return transcript, None

    def _recover(self, transcript: Transcript) -> bool:
        """Turn answers left ``streaming`` by a dead process into incomplete ones."""
        changed = False
        for index, entry in enumerate(transcript.entries):
            if entry.status != "streaming":
                continue
            text = Journal.read(self.journal_path, entry.id)
            content = entry.content + (text or "")
            update = {"content": content, "status": "incomplete", "error": KILLED}
            transcript.entries[index] = entry.model_copy(update=update)
            changed = True
        return changed
