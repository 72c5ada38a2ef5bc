"""ChatTurn: one answer being received — the pump that reads it, the events that report it.

The pump is a task of its own that reads :meth:`XeroClient.stream_chat` (or one
:meth:`XeroClient.chat_completion`) into the turn and a queue; :meth:`ChatTurn.events`
drains the queue, merging what arrived together into one :class:`TextDelta`, so a slow
consumer never slows the stream. However the turn ends — done, :meth:`ChatTurn.stop`, a
cancelled or closed consumer, a cut stream, an error — the pump finalises the answer entry
(text so far, status, timings, usage) and calls ``on_finish`` exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Callable, Iterator
from typing import Any

from xerotui.api.chat_autosave import Journal
from xerotui.api.chat_events import (
    ChatEvent,
    FinishReason,
    FirstToken,
    TextDelta,
    TurnDone,
    TurnFailed,
    TurnStopped,
    UsageReport,
    failure_message,
    is_retryable,
)
from xerotui.api.chat_transcript import ChatEntry, EntryStatus
from xerotui.api.client import XeroClient
from xerotui.api.errors import RateLimitedError, XeroError
from xerotui.api.schema import ChatChunk, ChatCompletion, ChatRequest, Usage

__all__ = ["ChatTurn"]

_END = object()  # the pump is done: its outcome is on the turn
TurnEnded = TurnDone | TurnStopped | TurnFailed


class ChatTurn:
    """Receives the answer ``entry`` to ``request``; start it, then iterate :meth:`events`."""

    def __init__(
        self,
        client: XeroClient,
        endpoint: str,
        request: ChatRequest,
        *,
        stream: bool,
        entry: ChatEntry,
        journal: Journal | None,
        clock: Callable[[], float],
        on_finish: Callable[[ChatTurn], None],
    ) -> None:
        self.client = client
        self.endpoint = endpoint
        self.request = request
        self.stream = stream
        self.entry = entry
        self.journal = journal
        self._clock = clock
        self._on_finish = on_finish
        self.started = clock()
        self.parts: list[str] = []
        self.chunks = 0
        self.first_token_at: float | None = None
        self.response_id: str | None = None
        self.finish_reason: str | None = None
        self.usage: Usage | None = None
        self.raw: dict[str, Any] | None = None
        self.error: Exception | None = None
        self.finished = False
        self._first_reported = False
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def start(self) -> None:
        self._task = asyncio.create_task(self._pump(), name=f"chat-{self.endpoint}")
        self._task.add_done_callback(self._pumped)

    def stop(self) -> bool:
        if self._task is None or self._task.done():
            return False
        self._task.cancel()
        return True

    async def events(self) -> AsyncGenerator[ChatEvent, None]:
        """What arrived, merged; the last event is the ending. Cancelling or closing this
        generator stops the turn (the answer is kept, marked stopped)."""
        task = self._task
        assert task is not None, "start() the turn first"
        try:
            ended = False
            while not ended:
                batch = [await self._queue.get()]
                while not self._queue.empty():
                    batch.append(self._queue.get_nowait())
                ended = batch[-1] is _END
                for event in self._merged(batch):
                    yield event
        except BaseException:  # the consumer was cancelled or closed us
            if not task.done():
                task.cancel()
                await asyncio.wait({task})
            raise
        yield self._ending()

    # ------------------------------------------------------------------ the pump

    async def _pump(self) -> None:
        try:
            if self.stream:
                chunks = self.client.stream_chat(self.endpoint, self.request)
                async with contextlib.aclosing(chunks) as stream:
                    async for chunk in stream:
                        self.response_id = self.response_id or chunk.id
                        self.finish_reason = chunk.finish_reason or self.finish_reason
                        self.usage = chunk.usage or self.usage
                        self._take(chunk.text)
                        self._queue.put_nowait(chunk)
            else:
                completion = await self.client.chat_completion(self.endpoint, self.request)
                self.response_id = completion.id
                self.finish_reason = _finish_of(completion)
                self.usage = completion.usage
                self.raw = completion.wire()
                self._take(completion.text)
                self._queue.put_nowait(completion)
        except asyncio.CancelledError:
            self._finish("stopped")
            raise
        except Exception as exc:  # a XeroError; anything else is a bug events() re-raises
            self.error = exc
            self._finish("incomplete")
        else:
            self._finish("complete")

    def _pumped(self, _: asyncio.Task[None]) -> None:
        self._finish("stopped")  # no-op unless cancelled before the pump ever ran
        self._queue.put_nowait(_END)

    def _take(self, text: str) -> None:
        if not text:
            return
        if self.first_token_at is None:
            self.first_token_at = self._clock()
        self.parts.append(text)
        self.chunks += 1
        if self.journal is not None:
            self.journal.add(text)

    def _finish(self, status: EntryStatus) -> None:
        """Make the answer entry final and hand the turn to ``on_finish`` (once)."""
        if self.finished:
            return
        self.finished = True
        entry = self.entry
        entry.content = self.text
        entry.status = status
        entry.elapsed = self._clock() - self.started
        if self.first_token_at is not None:
            entry.first_token = self.first_token_at - self.started
        entry.response_id = self.response_id
        entry.finish_reason = self.finish_reason
        entry.usage = self.usage
        entry.tokens = self.usage.completion_tokens if self.usage else self.chunks
        entry.raw = self.raw
        if isinstance(self.error, XeroError):
            project = self.client.project
            entry.error = failure_message(self.error, self.endpoint, project, bool(entry.content))
        elif self.error is not None:
            entry.error = f"Unexpected error: {self.error!r}"
        self._on_finish(self)

    # ------------------------------------------------------------------ events

    def _merged(self, batch: list[object]) -> Iterator[ChatEvent]:
        """Events for what the pump queued, consecutive text merged into one delta."""
        text: list[str] = []
        for item in batch:
            if isinstance(item, ChatChunk):
                chunk_text, finish, usage = item.text, item.finish_reason, item.usage
            elif isinstance(item, ChatCompletion):
                chunk_text, finish, usage = item.text, _finish_of(item), item.usage
            else:
                continue
            if chunk_text:
                if not self._first_reported and self.first_token_at is not None:
                    self._first_reported = True
                    yield FirstToken(self.first_token_at - self.started)
                text.append(chunk_text)
            if finish or usage:
                if text:
                    yield TextDelta("".join(text))
                    text = []
                if finish:
                    yield FinishReason(finish)
                if usage:
                    yield UsageReport(usage, item.id)
        if text:
            yield TextDelta("".join(text))

    def _ending(self) -> TurnEnded:
        entry, error = self.entry, self.error
        if entry.status == "complete":
            return TurnDone(entry)
        if entry.status == "stopped" or error is None:
            return TurnStopped(entry)
        if not isinstance(error, XeroError):
            raise error
        retry_after = error.retry_after if isinstance(error, RateLimitedError) else None
        message = entry.error or error.message
        return TurnFailed(entry, error, message, is_retryable(error), retry_after)


def _finish_of(completion: ChatCompletion) -> str | None:
    return completion.choices[0].finish_reason if completion.choices else None
