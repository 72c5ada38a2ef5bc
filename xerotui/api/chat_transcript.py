"""Transcript: one conversation as data, its JSON file format (``/save``, ``/load``, the
autosave) and its Markdown export.

The file is an object whose core is the OpenAI ``messages`` array (the system message first),
so it reads like a chat-completions request body; what xerotui adds sits beside it::

    {"format": "xerotui-chat/1", "endpoint": "my-endpoint", "model": "llama-3",
     "saved_at": "2025-01-02T03:04:05Z",
     "messages": [{"role": "system", "content": "..."}, {"role": "user", "content": "..."},
                  {"role": "assistant", "content": "..."}],
     "meta": [{"index": 2, "status": "stopped", "response_id": "chatcmpl-...", ...}],
     "options": {...}, "usage": {...}, "last_response_id": "chatcmpl-..."}

``meta`` holds per-message details (status, response id, usage, timings) by index into
``messages``; the messages themselves stay plain so any OpenAI tool can send them. Loading
accepts that object, any object with a ``messages`` array, or a bare array of messages.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from xerotui.api.schema import ChatMessage, ChatRole, Usage

__all__ = ["ChatEntry", "Transcript", "TranscriptError", "UsageTotals", "footer_line"]

FORMAT = "xerotui-chat/1"
ROLES: tuple[str, ...] = get_args(ChatRole)
EntryStatus = Literal["complete", "streaming", "stopped", "incomplete"]
META_FIELDS = (
    "status",
    "response_id",
    "finish_reason",
    "usage",
    "tokens",
    "elapsed",
    "first_token",
    "error",
    "raw",
    "created",
    "id",
)


class TranscriptError(ValueError):
    """A file that is not a conversation; the message says where and why."""


def footer_line(tokens: int, elapsed: float) -> str:
    """xeroctl's throughput footer: ``-- 312 tokens in 4.2s (74.3 tok/s)``."""
    rate = tokens / elapsed if elapsed > 0 else 0.0
    return f"-- {tokens} tokens in {elapsed:.1f}s ({rate:.1f} tok/s)"


class UsageTotals(BaseModel):
    """Token usage added up over a session (survives /clear; shown by /tokens and /quit)."""

    model_config = ConfigDict(extra="ignore")

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    answers: int = 0

    def add(self, usage: Usage) -> None:
        self.prompt_tokens += usage.prompt_tokens
        self.completion_tokens += usage.completion_tokens
        self.total_tokens += usage.total_tokens
        self.cached_tokens += usage.cached_tokens
        self.reasoning_tokens += usage.reasoning_tokens
        self.answers += 1

    def line(self) -> str:
        return (
            f"prompt {self.prompt_tokens} · completion {self.completion_tokens} · "
            f"total {self.total_tokens} · cached {self.cached_tokens} · "
            f"reasoning {self.reasoning_tokens}"
        )


class ChatEntry(BaseModel):
    """One message of the conversation, with what xerotui knows about an answer."""

    model_config = ConfigDict(extra="ignore")

    role: ChatRole
    content: str = ""
    status: EntryStatus = "complete"
    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:16])
    created: float = Field(default_factory=time.time)
    response_id: str | None = None
    finish_reason: str | None = None
    usage: Usage | None = None
    tokens: int | None = None  # completion tokens (from usage, else counted chunks)
    elapsed: float | None = None  # seconds from sending to the end of the answer
    first_token: float | None = None  # seconds from sending to the first text
    error: str | None = None
    raw: dict[str, Any] | None = None  # the whole response when streaming was off

    @property
    def footer(self) -> str | None:
        if self.tokens is None or self.elapsed is None:
            return None
        return footer_line(self.tokens, self.elapsed)

    @property
    def first_token_line(self) -> str | None:
        return None if self.first_token is None else f"first token in {self.first_token:.2f}s"

    @property
    def usage_lines(self) -> list[str]:
        """What ``--show-usage`` prints after an answer: the token breakdown and response id."""
        lines = []
        if self.usage is not None:
            u = self.usage
            lines.append(
                f"prompt {u.prompt_tokens} · completion {u.completion_tokens} · "
                f"total {u.total_tokens} · cached {u.cached_tokens} · "
                f"reasoning {u.reasoning_tokens}"
            )
        if self.response_id:
            lines.append(f"response id {self.response_id}")
        return lines

    def meta(self) -> dict[str, Any]:
        """The details that do not fit an OpenAI message (empty for a plain message)."""
        data = self.model_dump(mode="json", include=set(META_FIELDS), exclude_none=True)
        if self.status == "complete":
            del data["status"]
        if self.status != "streaming":
            del data["id"]  # only an answer in progress is looked up (in the journal)
        if self.role != "assistant":
            del data["created"]
        return data if set(data) - {"created"} else {}


class Transcript(BaseModel):
    """A conversation: system message, entries, and where it came from."""

    endpoint: str | None = None
    model: str | None = None
    system: str | None = None
    entries: list[ChatEntry] = Field(default_factory=list)
    options: dict[str, Any] | None = None
    usage: UsageTotals | None = None
    last_response_id: str | None = None

    # ------------------------------------------------------------------ file format

    def to_json(self) -> dict[str, Any]:
        messages: list[dict[str, Any]] = []
        meta: list[dict[str, Any]] = []
        if self.system is not None:
            messages.append({"role": "system", "content": self.system})
        for entry in self.entries:
            if not entry.content and entry.status in ("stopped", "incomplete"):
                continue  # an answer that never began: nothing to keep
            details = entry.meta()
            if details:
                meta.append({"index": len(messages), **details})
            messages.append({"role": entry.role, "content": entry.content})
        saved = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        document: dict[str, Any] = {"format": FORMAT}
        document |= {"endpoint": self.endpoint, "model": self.model, "saved_at": saved}
        document |= {"messages": messages, "meta": meta, "options": self.options}
        if self.usage is not None:
            document["usage"] = self.usage.model_dump(mode="json")
        document["last_response_id"] = self.last_response_id
        return {key: value for key, value in document.items() if value is not None}

    @classmethod
    def from_json(cls, data: Any) -> Transcript:
        """A conversation from the JSON of a file; TranscriptError says what is wrong."""
        if isinstance(data, list):
            data = {"messages": data}
        if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
            raise TranscriptError("expected a JSON array of messages or an object with messages")
        entries = [_entry(index, item) for index, item in enumerate(data["messages"])]
        for item in data.get("meta") or []:
            _apply_meta(entries, item)
        system = None
        if entries and entries[0].role in ("system", "developer"):
            system = entries.pop(0).content
        return cls(
            endpoint=_text_or_none(data.get("endpoint")),
            model=_text_or_none(data.get("model")),
            system=system,
            entries=entries,
            options=data["options"] if isinstance(data.get("options"), dict) else None,
            usage=_usage(data.get("usage")),
            last_response_id=_text_or_none(data.get("last_response_id")),
        )

    @classmethod
    def read(cls, path: Path) -> Transcript:
        """``/load``: the conversation in a JSON file; TranscriptError names the problem."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise TranscriptError(f"cannot read {path}: {exc.strerror or exc}") from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise TranscriptError(f"{path} is not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}"
            raise TranscriptError(f"{path} is not valid JSON ({exc.msg} at {where})") from None
        try:
            return cls.from_json(data)
        except TranscriptError as exc:
            raise TranscriptError(f"{path}: {exc}") from None

    # ------------------------------------------------------------------ markdown

    def to_markdown(self) -> str:
        """The conversation as a Markdown document (export)."""
        title = f"# Chat with `{self.endpoint}`" if self.endpoint else "# Chat"
        facts = []
        if self.model:
            facts.append(f"model {self.model}")
        facts.append(f"{sum(1 for e in self.entries if e.content)} messages")
        if self.usage is not None:
            facts.append(f"tokens {self.usage.prompt_tokens}/{self.usage.completion_tokens}")
        exported = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        parts = [title, f"_Exported {exported} · {' · '.join(facts)}_"]
        if self.system:
            parts += ["## System", self.system]
        for entry in self.entries:
            if not entry.content and entry.status != "complete":
                continue
            heading = {"user": "You", "assistant": "Assistant"}.get(entry.role, entry.role.title())
            parts += [f"## {heading}", entry.content.rstrip() or "_(empty)_"]
            if entry.status == "stopped":
                parts.append("> _Stopped: generation was cancelled; the answer is partial._")
            elif entry.status in ("incomplete", "streaming"):
                parts.append(f"> _Incomplete: {entry.error or 'the answer did not finish'}._")
            notes = [line for line in (entry.footer, entry.first_token_line) if line]
            notes += entry.usage_lines
            if notes:
                parts.append("`" + " · ".join(notes) + "`")
        return "\n\n".join(parts) + "\n"


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _content(index: int, value: Any) -> str:
    """Message content: a string, null, or OpenAI content parts (their text joined)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        texts = [p.get("text") for p in value if isinstance(p, dict)]
        if all(isinstance(t, str) for t in texts) and len(texts) == len(value):
            return "".join(t for t in texts if isinstance(t, str))
    raise TranscriptError(f"message {index + 1}: content must be text")


def _entry(index: int, item: Any) -> ChatEntry:
    if not isinstance(item, dict):
        raise TranscriptError(f"message {index + 1} is not an object with role and content")
    role = item.get("role")
    if role not in ROLES:
        expected = ", ".join(ROLES)
        raise TranscriptError(f"message {index + 1}: role must be one of {expected} (got {role!r})")
    message = ChatMessage(role=role, content=_content(index, item.get("content")))
    return ChatEntry(role=message.role, content=message.content or "")


def _apply_meta(entries: list[ChatEntry], item: Any) -> None:
    """Per-message details; anything malformed is ignored (the messages are what matter)."""
    if not isinstance(item, dict):
        return
    index = item.get("index")
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(entries):
        return
    entry = entries[index]
    fields = {k: v for k, v in item.items() if k in META_FIELDS}
    try:
        updated = ChatEntry.model_validate({**entry.model_dump(), **fields})
    except ValidationError:
        return
    entries[index] = updated


def _usage(value: Any) -> UsageTotals | None:
    if not isinstance(value, dict):
        return None
    try:
        return UsageTotals.model_validate(value)
    except ValidationError:
        return None
