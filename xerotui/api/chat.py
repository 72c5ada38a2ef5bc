"""ChatSession: one conversation with one endpoint — the store the chat pane displays.

It holds the endpoint and options, the history (the system message kept apart so /clear
keeps it), the usage added up over the session and the last response id, and it survives
any UI: a pane that closes and reopens just draws it again.

:meth:`ChatSession.send` streams an answer through :meth:`XeroClient.stream_chat` (or asks
once with :meth:`XeroClient.chat_completion` when streaming is off) and yields
:mod:`~xerotui.api.chat_events`; :class:`~xerotui.api.chat_turn.ChatTurn` reads the network
in a task of its own, so a slow consumer never slows the stream and text that arrived
together comes as one event.
:meth:`ChatSession.stop` (Esc), cancelling the consumer or closing the event generator all
end the turn the same way: the partial answer is kept, marked stopped. A cut stream or an
in-band error keeps the partial text marked incomplete, and :meth:`ChatSession.retry`
asks again. Every change is saved as it happens when the session has a
:class:`~xerotui.api.chat_autosave.TranscriptAutosave`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xerotui.api.chat_autosave import Journal, TranscriptAutosave, encode
from xerotui.api.chat_events import ChatEvent
from xerotui.api.chat_options import ChatOptions
from xerotui.api.chat_transcript import ChatEntry, Transcript, UsageTotals
from xerotui.api.chat_turn import ChatTurn
from xerotui.api.client import XeroClient
from xerotui.api.outgoing import chat_path
from xerotui.api.schema import ChatMessage, StreamOptions
from xerotui.config.paths import write_private

__all__ = ["ChatSession", "ChatSessionError", "DryRun"]


class ChatSessionError(RuntimeError):
    """An action that does not fit the session's state (busy, nothing to retry, ...)."""


@dataclass(frozen=True)
class DryRun:
    """The request ``--dry-run`` shows instead of sending it (the key masked in ``curl``)."""

    url: str
    body: dict[str, Any]
    curl: str


class ChatSession:
    """History, options, usage and the streaming of answers for one endpoint."""

    def __init__(
        self,
        client: XeroClient,
        options: ChatOptions,
        *,
        autosave: TranscriptAutosave | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.client = client
        self._options = options
        self.system: str | None = options.system_prompt()
        self.entries: list[ChatEntry] = []
        self.usage = UsageTotals()
        self.last_response_id: str | None = None
        self.restore_problem: str | None = None  # the autosave could not be read
        self.save_problem: str | None = None  # the last autosave write failed
        self._autosave = autosave
        self._clock = clock
        self._turn: ChatTurn | None = None

    @classmethod
    def open(
        cls, client: XeroClient, options: ChatOptions, *, profile: str, **kw: Any
    ) -> ChatSession:
        """The session of ``profile`` with ``options.endpoint``, restored from its autosave."""
        autosave = TranscriptAutosave.for_endpoint(profile, options.endpoint, **kw)
        session = cls(client, options, autosave=autosave)
        session.restore()
        return session

    # ------------------------------------------------------------------ state

    @property
    def endpoint(self) -> str:
        return self._options.endpoint

    @property
    def options(self) -> ChatOptions:
        return self._options

    @property
    def busy(self) -> bool:
        return self._turn is not None

    @property
    def live_text(self) -> str:
        """The text of the answer arriving now ("" when idle)."""
        return self._turn.text if self._turn else ""

    @property
    def message_count(self) -> int:
        return sum(1 for e in self.entries if e.content or e.status == "streaming")

    @property
    def can_retry(self) -> bool:
        """The last question has no complete answer (failed, stopped, or none yet)."""
        if self.busy or not self.entries:
            return False
        last = self.entries[-1]
        return last.role == "user" or (last.role == "assistant" and last.status != "complete")

    def status_bar(self) -> str:
        """``endpoint: S | model: M | tokens: P/C | msgs: N`` (prompt/completion totals)."""
        parts = [f"endpoint: {self.endpoint}"]
        if self._options.model:
            parts.append(f"model: {self._options.model}")
        parts.append(f"tokens: {self.usage.prompt_tokens}/{self.usage.completion_tokens}")
        parts.append(f"msgs: {self.message_count}")
        return " | ".join(parts)

    def messages(self, upto: int | None = None) -> list[ChatMessage]:
        """The history as sent: the system message, then every message with text (of the
        entries before ``upto``, all by default)."""
        sent = [ChatMessage(role="system", content=self.system)] if self.system else []
        sent += [
            ChatMessage(role=e.role, content=e.content)
            for e in self.entries[:upto]
            if e.content or e.role != "assistant"
        ]
        return sent

    def apply_options(self, options: ChatOptions) -> None:
        """New options for the next turn. A changed system prompt (text or file) replaces the
        session's; the endpoint is fixed (another endpoint is another session)."""
        if options.endpoint != self.endpoint:
            raise ChatSessionError("A session keeps its endpoint: open another one")
        old = self._options
        if (options.system, options.system_file) != (old.system, old.system_file):
            self.system = options.system_prompt()
        self._options = options
        self._save()

    # ------------------------------------------------------------------ turns

    async def send(self, text: str) -> AsyncGenerator[ChatEvent, None]:
        """Ask ``text`` and stream the answer as events (the last one a TurnEnd)."""
        self._check_idle()
        if not text.strip():
            raise ChatSessionError("Nothing to send")
        self.entries.append(ChatEntry(role="user", content=text))
        async with contextlib.aclosing(self._run()) as events:
            async for event in events:
                yield event

    async def regenerate(self) -> AsyncGenerator[ChatEvent, None]:
        """Drop the last answer (whatever its state) and answer the last question again."""
        self._check_idle()
        del self.entries[self._question_end() :]
        async with contextlib.aclosing(self._run()) as events:
            async for event in events:
                yield event

    def retry(self) -> AsyncGenerator[ChatEvent, None]:
        """Ask again after a failed or stopped answer (a 429: once its wait has passed)."""
        return self.regenerate()

    def stop(self) -> bool:
        """Stop the answer arriving now (Esc); it is kept, marked stopped."""
        return self._turn.stop() if self._turn is not None else False

    def _question_end(self) -> int:
        """Where the history ends when the last question is asked again: after it, the
        answer to it (whatever its state) dropped."""
        keep = len(self.entries)
        if keep and self.entries[-1].role == "assistant":
            keep -= 1  # the answer to replace
        if keep == 0 or self.entries[keep - 1].role != "user":
            raise ChatSessionError("There is no question to answer again")
        return keep

    def dry_run(self, text: str | None = None) -> DryRun:
        """The request that sending ``text`` would make (None: asking the last question
        again, as :meth:`regenerate` would), without sending it."""
        if text is None:
            messages = self.messages(upto=self._question_end())
        else:
            messages = [*self.messages(), ChatMessage(role="user", content=text)]
        request = self._options.request(messages)
        if self._options.stream:
            update = {"stream": True, "stream_options": StreamOptions(include_usage=True)}
            request = request.model_copy(update=update)
        body = request.wire()
        path = chat_path(self.endpoint)
        return DryRun(
            self.client.chat_url(self.endpoint), body, self.client.curl("POST", path, body)
        )

    async def _run(self) -> AsyncGenerator[ChatEvent, None]:
        request = self._options.request(self.messages())
        entry = ChatEntry(role="assistant", status="streaming")
        self.entries.append(entry)
        self._save()
        turn = ChatTurn(
            self.client,
            self.endpoint,
            request,
            stream=self._options.stream,
            entry=entry,
            journal=self._open_journal(entry.id),
            clock=self._clock,
            on_finish=self._finished,
        )
        self._turn = turn
        turn.start()
        async with contextlib.aclosing(turn.events()) as events:
            async for event in events:
                yield event

    def _finished(self, turn: ChatTurn) -> None:
        """The answer is final: count its usage, save, drop its journal."""
        if turn.usage is not None:
            self.usage.add(turn.usage)
        if turn.response_id:
            self.last_response_id = turn.response_id
        self._turn = None
        saved = self._save()
        if turn.journal is not None:
            turn.journal.close(remove=saved)

    # ------------------------------------------------------------------ conversation

    def clear(self) -> None:
        """Forget the history; the system message and the usage totals stay."""
        self._check_idle()
        self.entries = []
        self._save()

    def set_system(self, text: str | None) -> None:
        self.system = text.strip() if text and text.strip() else None
        self._save()

    def transcript(self) -> Transcript:
        """The conversation as data (an answer arriving now with its text so far)."""
        entries = [e.model_copy() for e in self.entries]
        if self._turn is not None and entries and entries[-1].id == self._turn.entry.id:
            entries[-1] = entries[-1].model_copy(update={"content": self.live_text})
        options = self._options.model_dump(mode="json", exclude={"endpoint"}, exclude_none=True)
        return Transcript(
            endpoint=self.endpoint,
            model=self._options.model,
            system=self.system,
            entries=entries,
            options=options,
            usage=self.usage.model_copy(),
            last_response_id=self.last_response_id,
        )

    def save(self, path: Path) -> int:
        """``/save``: write the conversation as JSON (atomically); returns the message count."""
        write_private(path, encode(self.transcript()), make_dirs=False)
        return self.message_count

    def load(self, transcript: Transcript) -> None:
        """``/load``: the history (and system message, when it has one) of a saved chat."""
        self._check_idle()
        self.entries = [e for e in transcript.entries if e.status != "streaming" or e.content]
        for entry in self.entries:
            if entry.status == "streaming":
                entry.status = "incomplete"
        if transcript.system is not None:
            self.system = transcript.system
        self._save()

    def to_markdown(self) -> str:
        return self.transcript().to_markdown()

    def export_markdown(self, path: Path) -> None:
        """Write the conversation as Markdown (atomically; the directory must exist)."""
        write_private(path, self.to_markdown().encode("utf-8"), make_dirs=False)

    def restore(self) -> None:
        """Take back the autosaved conversation (options given to the session win)."""
        if self._autosave is None:
            return
        transcript, self.restore_problem = self._autosave.load()
        if transcript is None:
            return
        self.entries = transcript.entries
        if self._options.system is None and self._options.system_file is None:
            self.system = transcript.system
        self.usage = transcript.usage or UsageTotals()
        self.last_response_id = transcript.last_response_id

    def _check_idle(self) -> None:
        if self._turn is not None:
            raise ChatSessionError("An answer is still arriving: wait for it or stop it (Esc)")

    def _open_journal(self, entry_id: str) -> Journal | None:
        if self._autosave is None:
            return None
        try:
            return self._autosave.journal(entry_id)
        except OSError as exc:
            self.save_problem = f"Cannot keep the answer on disk as it arrives: {exc}"
            return None

    def _save(self) -> bool:
        if self._autosave is None:
            return False
        try:
            self._autosave.save(self.transcript())
        except OSError as exc:
            self.save_problem = f"Cannot save the chat to {self._autosave.path}: {exc}"
            return False
        self.save_problem = None
        return True
