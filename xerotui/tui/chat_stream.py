"""ChatStream: the one worker that receives the chat's answers, merged to frame rate.

:meth:`ChatStream.run` consumes ``ChatSession.send()`` / ``regenerate()`` / ``retry()`` in
ONE exclusive named worker of the app (group ``chat``): a new answer cancels nothing it
should not (the session refuses a second turn), and cancelling the worker — a profile
switch, the app ending — stops the answer cleanly (kept, marked stopped).

Answer text is gathered, not forwarded: it is published (``progress``) at most once per
FRAME, so 2,000 tokens a second cost the screen ~60 updates, not 2,000. A 429 answer is
asked again once its ``retry_after`` has passed (:attr:`retry_at` drives the countdown
the pane shows); Esc cancels that wait too.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, Callable
from typing import TYPE_CHECKING, Any, Literal

from xerotui.api.chat import ChatSession, ChatSessionError
from xerotui.api.chat_events import ChatEvent, FirstToken, TextDelta, TurnEnd, TurnFailed
from xerotui.api.chat_transcript import ChatEntry
from xerotui.tui import heap

if TYPE_CHECKING:
    from textual.app import App

GROUP = "chat"
WORKER = "chat-stream"
FRAME = 1 / 60
"""Answer text is published at most this often (the screen cannot show it faster)."""
SETTLE_EVERY = 0.5
"""Seconds between two freezes of what an answer drew so far (tui/heap.py): a fast answer
makes tens of thousands of objects a second, and a full collection walking them stalled
frames and keys for 20-40 ms several times per answer."""

Phase = Literal["idle", "waiting", "streaming"]
Turn = Callable[[ChatSession], AsyncGenerator[ChatEvent, None]]


class ChatStream:
    """The answer arriving now: its phase, its text so far, and the retry countdown.

    ``publish(kind)`` tells the store's listeners: ``conversation`` when an answer begins
    or ends, ``progress`` when text arrived or the phase or countdown changed.
    ``current()`` is the session the pane shows (an answer of another one is not drawn).
    """

    def __init__(
        self,
        app: App[Any],
        publish: Callable[[str], None],
        current: Callable[[], ChatSession | None],
        *,
        frame: float = FRAME,
    ) -> None:
        self.app = app
        self._publish = publish
        self._current = current
        self.frame = frame
        self.phase: Phase = "idle"
        self.live_id: str | None = None
        self.live_text = ""
        """The answer arriving now, as far as it was published."""
        self.first_token: float | None = None
        self.retry_at: float | None = None
        """time.monotonic() when the rate-limited question is sent again."""
        self.ended: Callable[[TurnEnd], None] | None = None
        """Called after each answer ends (the store checks the autosave)."""
        self._pending: list[str] = []
        self._last_flush = 0.0
        self._last_settle = 0.0
        self._flush_handle: asyncio.TimerHandle | None = None
        self._retry_handle: asyncio.TimerHandle | None = None

    def content_of(self, entry: ChatEntry) -> str:
        """The text to show for ``entry`` (the answer arriving now: what was published)."""
        return self.live_text if entry.id == self.live_id else entry.content

    # ------------------------------------------------------------------ control

    def run(self, session: ChatSession, turn: Turn, doing: str) -> bool:
        """Start an answer in the stream worker; False (and a toast) while one arrives."""
        if session.busy:
            self.app.notify("An answer is still arriving: wait for it or stop it (esc).")
            return False
        self.cancel_retry()
        self.app.run_worker(
            self._consume(session, turn(session)),
            name=WORKER,
            group=GROUP,
            exclusive=True,
            exit_on_error=False,
            description=doing,
        )
        return True

    def stop(self, session: ChatSession | None) -> bool:
        """Esc: stop the answer arriving now (kept, marked stopped) and any pending retry."""
        waiting = self.cancel_retry()
        stopped = session.stop() if session is not None else False
        if waiting and not stopped:
            self._publish("progress")
        return stopped or waiting

    def cancel(self) -> None:
        """A profile switch: end the worker (the answer is kept, stopped) and any retry."""
        self.app.workers.cancel_group(self.app, GROUP)
        self.cancel_retry()
        self._end_live()

    # ------------------------------------------------------------------ the worker

    async def _consume(self, session: ChatSession, events: AsyncGenerator[ChatEvent, None]) -> None:
        began = False

        def begin() -> None:  # the question and the empty answer are in the history now
            nonlocal began
            if not began and session.busy and session is self._current():
                began = True
                self.phase, self.live_id = "waiting", session.entries[-1].id
                self.live_text, self.first_token = "", None
                self._publish("conversation")

        # send() appends the question and starts the turn before it first waits: run
        # begin() as soon as it does, so the spinner shows before any answer arrives.
        asyncio.get_running_loop().call_soon(begin)
        try:
            async with contextlib.aclosing(events) as stream:
                async for event in stream:
                    begin()
                    if session is not self._current():
                        continue  # a profile switch left this answer behind
                    if isinstance(event, TextDelta):
                        self._pending.append(event.text)
                        self._schedule_flush()
                    elif isinstance(event, FirstToken):
                        self.phase, self.first_token = "streaming", event.seconds
                        self._flush()
                    elif isinstance(event, TurnEnd):
                        self._turn_ended(session, event)
        except ChatSessionError as exc:
            self.app.notify(str(exc), severity="warning")
        finally:
            if began and self.live_id is not None and session is self._current():
                self._end_live()
                self._publish("conversation")

    def _turn_ended(self, session: ChatSession, event: TurnEnd) -> None:
        self._flush()
        self._end_live()
        if isinstance(event, TurnFailed) and event.retry_after is not None:
            self._schedule_retry(session, event.retry_after)
        if self.ended is not None:
            self.ended(event)
        self._publish("conversation")

    def _end_live(self) -> None:
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        self._pending.clear()
        self.phase, self.live_id, self.live_text, self.first_token = "idle", None, "", None

    # ------------------------------------------------------------------ merging

    def _schedule_flush(self) -> None:
        """Publish now if the last publication is a frame old, else once a frame has passed."""
        wait = self._last_flush + self.frame - time.monotonic()
        if wait <= 0:
            self._flush()
        elif self._flush_handle is None:
            self._flush_handle = asyncio.get_running_loop().call_later(wait, self._flush)

    def _flush(self) -> None:
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        if self._pending:
            self.live_text += "".join(self._pending)
            self._pending.clear()
        self._last_flush = time.monotonic()
        self._publish("progress")
        if self._last_flush - self._last_settle >= SETTLE_EVERY:
            self._last_settle = self._last_flush
            heap.settle()

    # ------------------------------------------------------------------ retry after a 429

    def _schedule_retry(self, session: ChatSession, seconds: float) -> None:
        self.cancel_retry()
        self.retry_at = time.monotonic() + seconds
        loop = asyncio.get_running_loop()
        self._retry_handle = loop.call_later(seconds, self._retry_now, session)

    def _retry_now(self, session: ChatSession) -> None:
        self._retry_handle, self.retry_at = None, None
        if session is self._current() and session.can_retry:
            self.run(session, lambda s: s.retry(), "Retrying after the rate limit")
        else:
            self._publish("progress")

    def cancel_retry(self) -> bool:
        handle, self._retry_handle, self.retry_at = self._retry_handle, None, None
        if handle is not None:
            handle.cancel()
        return handle is not None
