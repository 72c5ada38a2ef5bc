"""ChatStore: the app's one owner of the chat — the sessions, the stream, the pane's layout.

The conversation lives in :class:`~xerotui.api.chat.ChatSession` (one per profile and
endpoint, kept for the run; reopening one restores its autosave); the store holds the
current one and consumes its answers in ONE exclusive named worker (group ``chat``), so
the stream survives the pane closing, a screen change or a theme change. Cancelling that
worker stops the answer cleanly; Esc calls :meth:`stop`.

Everything the pane draws is published on ONE signal, :attr:`changed`, as a
:class:`ChatUpdate`. Fast updates are merged: answer text is gathered and published at
most once a frame (``progress``), and the pane turns each into a message that can replace
its predecessor — never one callback per token. The pane (``widgets/chat_dock.py``) is a
dock that every :class:`~xerotui.tui.screens.base.XeroScreen` can show: the store mounts it
on the screen on top (:meth:`place`), and a screen that comes back redraws it from here.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from textual.screen import Screen
from textual.signal import Signal

from xerotui.config.chat_prefs import ChatPrefs
from xerotui.tui import heap
from xerotui.tui.host import host

if TYPE_CHECKING:
    from textual.app import App

    from xerotui.api.chat import ChatSession, DryRun
    from xerotui.api.chat_events import TurnEnd
    from xerotui.api.chat_input import InputHistory
    from xerotui.api.chat_options import ChatOptions
    from xerotui.api.chat_transcript import ChatEntry
    from xerotui.tui.chat_stream import ChatStream, Turn
    from xerotui.tui.widgets.chat_dock import ChatDock

# The conversation's modules (xerotui.api.chat and the stream: ~15 ms to import) are
# imported when a chat first opens, not at start-up: most runs never chat.

WIDTH_STEP = 5
"""Percent of the screen per width key press."""
MAX_NOTES = 60

Kind = Literal["layout", "session", "conversation", "progress"]
NoteLevel = Literal["info", "error", "dry-run"]
_note_ids = itertools.count(1)


@dataclass(frozen=True)
class ChatUpdate:
    """What changed: ``layout`` (open, width, full screen), ``session`` (another endpoint
    or profile), ``conversation`` (messages or notes came or went, an answer ended),
    ``progress`` (answer text arrived, the phase or the retry countdown changed)."""

    kind: Kind
    focus: bool = False
    """With ``layout``: move the focus into the pane."""


@dataclass(frozen=True)
class ChatNote:
    """A line the pane shows between messages (command output, a dry run); not saved."""

    text: str
    after: str | None
    """Id of the entry it follows (None: before every entry)."""
    level: NoteLevel = "info"
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", f"note-{next(_note_ids)}")


class ChatStore:
    """Sessions, the stream and the pane layout; :attr:`changed` says what changed."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.changed: Signal[ChatUpdate] = Signal(app, "chat-changed")
        self.prefs, self.prefs_problem = ChatPrefs.load()
        self.is_open = False
        self.session: ChatSession | None = None
        self._stream: ChatStream | None = None
        self.history: InputHistory | None = None
        self.notes: list[ChatNote] = []
        self.announced: list[str] = []
        """Endpoints the server announced (the demo sandbox's), offered for completion."""
        self.preset: dict[str, Any] = {}
        """Options from the command line (`--max-tokens` ...): they win over saved ones."""
        self._sessions: dict[tuple[str, str], ChatSession] = {}
        self._shown_problems: set[str] = set()
        self._start_endpoint: str | None = None

    # ------------------------------------------------------------------ state

    @property
    def dry_run(self) -> bool:
        """`--dry-run` (the client's mode): each chat request is shown instead of sent."""
        session = host(self.app).session
        return session is not None and session.client.mode == "dry-run"

    @property
    def profile(self) -> str:
        session = host(self.app).session
        return session.profile if session is not None else "default"

    @property
    def stream(self) -> ChatStream:
        """The answer arriving now (made on first use)."""
        if self._stream is None:
            from xerotui.tui.chat_stream import ChatStream

            self._stream = ChatStream(self.app, self._publish, lambda: self.session)
            self._stream.ended = self._ended
        return self._stream

    @property
    def busy(self) -> bool:
        return self.session is not None and self.session.busy

    @property
    def full(self) -> bool:
        return self.prefs.full

    @property
    def width(self) -> int:
        return self.prefs.width

    def content_of(self, entry: ChatEntry) -> str:
        """The text to show for ``entry`` (the answer arriving now: what was published)."""
        return self.stream.content_of(entry)

    def items(self) -> list[ChatEntry | ChatNote]:
        """The messages and notes in the order the pane shows them."""
        entries = self.session.entries if self.session is not None else []
        anchors = {entry.id for entry in entries}
        placed: dict[str | None, list[ChatNote]] = {}
        for note in self.notes:
            if note.after is None or note.after in anchors:
                placed.setdefault(note.after, []).append(note)
        result: list[ChatEntry | ChatNote] = [*placed.get(None, [])]
        for entry in entries:
            result.append(entry)
            result += placed.get(entry.id, [])
        return result

    def endpoints(self) -> list[str]:
        """Slugs to offer: the ones this profile chatted with, then the announced ones."""
        from xerotui.api.chat_autosave import TranscriptAutosave

        used = TranscriptAutosave.used_endpoints(self.profile)
        return list(dict.fromkeys([*used, *self.announced]))

    def options_for(self, endpoint: str) -> ChatOptions:
        """The profile's saved options with the command line's on top, for ``endpoint``.
        A saved value this version refuses falls back to its default."""
        from xerotui.api.chat_options import ChatOptions, ChatOptionsError

        saved = dict(self.prefs.profile(self.profile).options)
        values = {**saved, **self.preset, "endpoint": endpoint}
        try:
            return ChatOptions.parse(values)
        except ChatOptionsError as exc:
            kept = {k: v for k, v in values.items() if k not in exc.problems}
            return ChatOptions.parse(kept)

    # ------------------------------------------------------------------ layout

    def host_screen(self) -> Screen[Any] | None:
        """The screen the pane belongs on: the top XeroScreen of the current stack."""
        from xerotui.tui.screens.base import XeroScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, XeroScreen):
                return screen
        return None

    def place(self, screen: Screen[Any], *, focus: bool = False) -> None:
        """Mount, update or remove the pane on ``screen`` to match the store."""
        if not self.is_open:
            # By name: the pane's module (Markdown and all, ~40 ms) is imported only once
            # the pane opens, not on every screen's first show at start-up.
            for node in screen.query_children("ChatDock"):
                cast("ChatDock", node).close()
            return
        from xerotui.tui.widgets.chat_dock import ChatDock

        docks = list(screen.query_children(ChatDock))
        if docks:
            docks[0].catch_up(focus=focus)
        else:
            screen.mount(ChatDock(self, focus=focus))

    def _relayout(self, *, focus: bool = False) -> None:
        screen = self.host_screen()
        if screen is not None:
            self.place(screen, focus=focus)
        self._publish("layout", focus=focus)

    def show(self, endpoint: str | None = None, *, focus: bool = True) -> None:
        """Open the pane (on ``endpoint``, else on the session or the last one used)."""
        if not self.is_open:
            # Once the pane is up: its modules (Markdown, Pygments) join what the cyclic
            # GC no longer walks, or a full collection stalls the stream (tui/heap.py).
            self.app.call_after_refresh(heap.settle)
            if self.prefs_problem:  # a broken chat settings file: said once, defaults used
                self._problem(self.prefs_problem)
        self.is_open = True
        if endpoint is not None:
            self.open_endpoint(endpoint)
        elif self.session is None:
            last = self.prefs.profile(self.profile).endpoint
            if last:
                self.open_endpoint(last)
        self._relayout(focus=focus)

    def hide(self) -> None:
        if self.is_open:
            self.is_open = False
            self._relayout()

    def set_full(self, full: bool) -> None:
        self._save_prefs(self.prefs.with_layout(full=full))
        self._relayout(focus=full)

    def resize(self, step: int) -> None:
        """Wider (step > 0) or narrower, in steps of WIDTH_STEP percent; remembered."""
        self._save_prefs(self.prefs.with_layout(width=self.prefs.width + step * WIDTH_STEP))
        self._publish("layout")

    def switch_focus(self, screen: Screen[Any]) -> None:
        """ctrl+o: into the pane (opening it), or back to where the focus was before."""
        from xerotui.tui.widgets.chat_dock import ChatDock

        dock = next(iter(screen.query_children(ChatDock)), None)
        if dock is None or not self.is_open:
            self.show()
        elif dock.has_focus_within:
            if self.full:
                self.set_full(False)
            dock.leave()
        else:
            dock.enter()

    # ------------------------------------------------------------------ sessions

    def open_endpoint(self, endpoint: str) -> ChatSession | None:
        """Make ``endpoint`` the current conversation (restored from its autosave)."""
        from xerotui.api.chat import ChatSession
        from xerotui.api.chat_input import InputHistory
        from xerotui.api.chat_options import ChatOptionsError

        app_session = host(self.app).session
        if app_session is None:
            return None
        if self.session is not None and self.session.endpoint == endpoint:
            return self.session
        self.stop()
        key = (app_session.profile, endpoint)
        session = self._sessions.get(key)
        if session is None:
            options = self.options_for(endpoint)
            try:
                options.system_prompt()
            except ChatOptionsError as exc:
                self._problem(f"{exc} — the system prompt file is not used")
                options = options.replace(system_file=None)
            session = ChatSession.open(app_session.client, options, profile=app_session.profile)
            self._sessions[key] = session
            if session.restore_problem:
                self._problem(session.restore_problem)
        self.session = session
        self.history = self.history or InputHistory.for_profile(app_session.profile)
        self.notes = []
        self._remember(endpoint=endpoint)
        self._publish("session")
        return session

    def reset(self) -> None:
        """A profile switch: stop the answer, forget the old client's sessions, and reopen
        the same endpoint on the new profile if the pane shows one."""
        endpoint = self.session.endpoint if self.session is not None else None
        if self._stream is not None:
            self._stream.cancel()
        self._sessions.clear()
        self.session = None
        self.history = None
        self.notes = []
        if endpoint is not None and self.is_open:
            self.open_endpoint(endpoint)
        self._publish("session")

    def apply_options(self, options: ChatOptions) -> None:
        """The options panel was saved: the session uses them and the profile keeps them."""
        if self.session is None:
            return
        self.session.apply_options(options)
        saved = options.model_dump(mode="json", exclude={"endpoint"}, exclude_none=True)
        self.preset = {}  # the panel now holds what the command line had preset
        self._remember(options=saved)
        self._check_saved()
        self._publish("conversation")

    # ------------------------------------------------------------------ turns

    def send(self, text: str) -> bool:
        return self._run(lambda s: s.send(text), "Sending the question")

    def regenerate(self) -> bool:
        session = self.session
        if self.dry_run and session is not None:  # the answer stays: nothing would be sent
            from xerotui.api.chat import ChatSessionError  # loaded with the session

            try:
                self.show_dry_run(session.dry_run())
            except ChatSessionError as error:
                self.app.notify(str(error), severity="warning")
            return True
        return self._run(lambda s: s.regenerate(), "Asking again")

    def show_dry_run(self, dry: DryRun) -> None:
        body = json.dumps(dry.body, indent=2, ensure_ascii=False)
        self.note(f"Dry run — not sent:\nPOST {dry.url}\n{body}\n\n{dry.curl}", "dry-run")

    def stop(self) -> bool:
        """Esc: stop the answer arriving now (kept, marked stopped) and any pending retry."""
        return self.stream.stop(self.session)

    def _run(self, turn: Turn, doing: str) -> bool:
        return self.session is not None and self.stream.run(self.session, turn, doing)

    def note(self, text: str, level: NoteLevel = "info") -> None:
        """Show a line between the messages (command output, a dry run)."""
        entries = self.session.entries if self.session is not None else []
        self.notes.append(ChatNote(text, entries[-1].id if entries else None, level))
        del self.notes[:-MAX_NOTES]
        self._publish("conversation")

    # ------------------------------------------------------------------ plumbing

    def _publish(self, kind: str, *, focus: bool = False) -> None:
        self.changed.publish(ChatUpdate(cast("Kind", kind), focus))

    def _remember(self, **changes: Any) -> None:
        self._save_prefs(self.prefs.with_profile(self.profile, **changes))

    def _save_prefs(self, prefs: ChatPrefs) -> None:
        self.prefs = prefs
        try:
            prefs.save()
        except OSError as exc:
            self._problem(f"Cannot save the chat preferences: {exc.strerror or exc}")

    def _ended(self, _: TurnEnd) -> None:
        self._check_saved()
        # What the answer brought (its segments, a code block's lexer) stays: out of the
        # cyclic GC's walks too, once it is drawn (tui/heap.py).
        self.app.call_after_refresh(heap.settle)

    def _check_saved(self) -> None:
        if self.session is not None and self.session.save_problem:
            self._problem(self.session.save_problem)

    def _problem(self, message: str) -> None:
        """A toast for a problem, once per distinct message."""
        if message not in self._shown_problems:
            self._shown_problems.add(message)
            self.app.notify(message, title="Chat", severity="warning", timeout=8, markup=False)

    def announce(self, endpoints: Iterable[str]) -> None:
        self.announced = list(endpoints)

    def start_with(self, options: ChatOptions) -> None:
        """`xerotui --chat SLUG --max-tokens ...`: preset the options and open the pane on
        that endpoint once the app runs (:meth:`start`)."""
        self.preset = options.model_dump(mode="json", exclude={"endpoint"}, exclude_unset=True)
        self._start_endpoint = options.endpoint

    def start(self) -> None:
        """The app is up: open the pane if the command line asked for it."""
        endpoint, self._start_endpoint = self._start_endpoint, None
        if endpoint is not None and host(self.app).session is not None:
            self.show(endpoint)
