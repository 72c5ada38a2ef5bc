"""ChatDock: the chat pane, docked at the right of whatever screen is up (or full screen).

It draws the chat store and sends it what the user does; it owns no conversation (the
store does), so closing it, changing screens or themes loses nothing: a dock that comes
back redraws from the store (:meth:`catch_up`). The store's updates arrive through one
signal: answer progress becomes a :class:`Progress` message that replaces the one before
it when the pane is behind, so a fast stream costs at most one redraw per frame.

Keys: enter sends, ctrl+j newline, esc stops, ctrl+r regenerates (or retries), ctrl+t
options, ctrl+f full screen, ctrl+n another endpoint, ctrl+o back to the screen beside.
With the messages focused (tab): y copies the message, c a code block (again: the next),
v the raw JSON of an answer asked without streaming, e exports Markdown, s lists stored
completions, < > change the width (remembered), q closes the pane.
"""

from __future__ import annotations

import math
import time
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from xerotui.tui.chat_prompt import PANE_KEYS, ChatPrompt
from xerotui.tui.chat_store import ChatStore, ChatUpdate
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean, one_line
from xerotui.tui.widgets.chat_endpoint_picker import ChatEndpointPicker
from xerotui.tui.widgets.chat_input import ChatInput
from xerotui.tui.widgets.chat_status import ChatState, ChatStatusLine
from xerotui.tui.widgets.chat_transcript import ChatTranscript

TICK = 0.1
"""Spinner and countdown step (the timer runs only while one is shown)."""


class ChatDock(SafeDispatch, Vertical):
    DEFAULT_CSS = """
    ChatDock {
        dock: right;
        height: 100%;
        margin: 1 0 1 0;
        border-left: outer $accent 60%;
        background: $surface;
    }
    ChatDock:focus-within {
        border-left: outer $accent;
    }
    ChatDock.-full {
        border-left: none;
    }
    ChatDock > #chat-head {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    ChatDock #chat-title {
        width: 1fr;
    }
    ChatDock #chat-state {
        width: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "chat_focus", "Leave chat", id="chat.leave"),
        Binding("escape", "stop", "Stop / leave", id="chat.stop"),
        Binding("ctrl+r", "regenerate", "Regenerate", id="chat.regenerate"),
        Binding("ctrl+t", "options", "Options", id="chat.options"),
        Binding("ctrl+f", "full", "Full screen", id="chat.full"),
        Binding("ctrl+n", "endpoint", "Endpoint…", id="chat.endpoint"),
        # With the messages focused (the prompt keeps printable keys for itself):
        Binding("e", "export", "Export", id="chat.export"),
        Binding("s", "stored", "Stored completions", id="chat.stored"),
        Binding("less_than_sign", "resize(-1)", "Narrower", id="chat.narrower"),
        Binding("greater_than_sign", "resize(1)", "Wider", id="chat.wider"),
        Binding("i,enter", "write", "To the prompt", id="chat.write", show=False),
        Binding("q", "close", "Close chat", id="chat.close"),
    ]
    PROMPT_KEYS = ("export", "stored", "resize", "write", "close")
    """Actions of keys that only work with the messages focused."""

    class Progress(Message):
        """Answer text arrived; a newer one replaces it (the text is read from the store)."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ChatDock.Progress)

    class Changed(Message):
        def __init__(self, kind: str) -> None:
            super().__init__()
            self.kind = kind

    def __init__(self, store: ChatStore, *, focus: bool = False) -> None:
        super().__init__(id="chat-dock")
        self.store = store
        self.prompt = ChatPrompt(store, keys=PANE_KEYS)
        self.return_focus: object | None = None
        self.picking = False
        self.stale = False
        self.closing = False
        """Being removed: queued updates are dropped (its widgets are going away)."""
        self._focus_on_mount = focus
        self._frame = 0
        self._timer: Timer | None = None
        self._state: ChatState | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="chat-head"):
            yield Static(id="chat-title")
            yield Static(id="chat-state")
        yield ChatEndpointPicker(id="chat-picker")
        yield ChatTranscript(self.store, id="chat-transcript")
        yield ChatStatusLine(id="chat-status")
        yield ChatInput(
            history=lambda: self.store.history, completer=self.prompt.complete, id="chat-input"
        )

    @property
    def transcript(self) -> ChatTranscript:
        return self.query_one(ChatTranscript)

    @property
    def input(self) -> ChatInput:
        return self.query_one(ChatInput)

    @property
    def picker(self) -> ChatEndpointPicker:
        return self.query_one(ChatEndpointPicker)

    @property
    def live(self) -> bool:
        """Whether this dock is the one on screen (others redraw when they come back)."""
        return self.screen is self.store.host_screen()

    def on_mount(self) -> None:
        self.return_focus = self.screen.focused
        self.store.changed.subscribe(self, self._store_changed, immediate=True)
        self._timer = self.set_interval(TICK, self._tick, pause=True, name="chat-tick")
        self._apply_layout()
        self.catch_up(focus=self._focus_on_mount)

    def close(self) -> None:
        """Remove the pane (the store closed it); updates still queued are dropped."""
        self.closing = True
        self.store.changed.unsubscribe(self)
        self.remove()

    def on_unmount(self) -> None:
        self.closing = True
        self.store.changed.unsubscribe(self)

    def _store_changed(self, update: ChatUpdate) -> None:
        """Runs inside the store's publish: only queue a message."""
        if update.kind == "progress":
            self.post_message(self.Progress())
        else:
            self.post_message(self.Changed(update.kind))

    def catch_up(self, *, focus: bool = False) -> None:
        """Redraw from the store (the dock was mounted, or its screen came back)."""
        self.post_message(self.Changed("session"))
        if focus:
            self.call_after_refresh(self.enter)

    # ------------------------------------------------------------------ drawing

    @property
    def gone(self) -> bool:
        """Closed, or its widgets are being taken down (the app is ending)."""
        return self.closing or not self.query_children(ChatTranscript)

    async def on_chat_dock_progress(self, _: Progress) -> None:
        if self.gone:
            return
        if not self.live:
            self.stale = True
            return
        await self.transcript.grow()
        self._show_state()

    async def on_chat_dock_changed(self, message: Changed) -> None:
        if self.gone:
            return
        if message.kind == "layout":
            self._apply_layout()
            return
        if not self.live and message.kind != "session":
            self.stale = True
            return
        self.stale = False
        if message.kind == "session":
            self._show_session()
        await self.transcript.sync()
        self._show_state()
        self.refresh_bindings()

    def _apply_layout(self) -> None:
        store = self.store
        self.set_class(store.full, "-full")
        self.styles.width = "100%" if store.full else f"{store.width}%"

    def _show_session(self) -> None:
        session = self.store.session
        picking = session is None or self.picking
        self.picker.display = picking
        for widget in (self.transcript, self.query_one(ChatStatusLine), self.input):
            widget.display = not picking
        title = Text("Chat", style="bold", no_wrap=True, overflow="ellipsis", end="")
        if session is not None:
            title.append(f" · {one_line(session.endpoint, limit=60)}")
            if session.options.model:
                title.append(f" · {one_line(session.options.model, limit=40)}", style="dim")
        self.query_one("#chat-title", Static).update(title)
        if picking:
            self.picker.show_candidates(self.store.endpoints())

    def _show_state(self) -> None:
        store, session = self.store, self.store.session
        if session is None:
            return
        stream = store.stream
        retry_in = None
        if stream.retry_at is not None:
            retry_in = max(0, math.ceil(stream.retry_at - time.monotonic()))
        state = ChatState(session.status_bar(), stream.phase, retry_in, store.dry_run)
        self.query_one(ChatStatusLine).show(state)
        if state != self._state:
            self._state = state
            self.query_one("#chat-state", Static).update(state.badge())
        animating = stream.phase == "waiting" or retry_in is not None
        if self._timer is not None:
            (self._timer.resume if animating else self._timer.pause)()

    def _tick(self) -> None:
        if self.gone:
            return
        self._frame += 1
        self.transcript.tick(self._frame)
        self._show_state()

    # ------------------------------------------------------------------ focus

    def focus_input(self) -> None:
        if self.store.session is None or self.picking:
            self.picker.focus_input()
        else:
            self.input.focus()

    def enter(self) -> None:
        """Focus the prompt, remembering where the focus was (ctrl+o goes back there)."""
        focused = self.screen.focused
        if focused is not None and self not in focused.ancestors_with_self:
            self.return_focus = focused
        self.focus_input()

    def leave(self) -> None:
        """Back to the focus before the pane, else to the first widget beside it."""
        back = self.return_focus
        from textual.widget import Widget

        if isinstance(back, Widget) and back.is_attached and self not in back.ancestors_with_self:
            back.focus()
            return
        for widget in self.screen.focus_chain:
            if self not in widget.ancestors_with_self:
                widget.focus()
                return
        self.screen.set_focus(None)

    # ------------------------------------------------------------------ messages

    @on(ChatInput.Submitted)
    def _submitted(self, message: ChatInput.Submitted) -> None:
        result = self.prompt.submit(message.text)
        if not result.accepted and not self.input.text:
            self.input.set_text(message.text)  # not used: back in the prompt
        if result.action == "options":
            self.action_options()
        elif result.action == "stored":
            self.action_stored()
        elif result.action == "end":
            self._end()
        elif result.action == "endpoint":
            if result.endpoint is not None:
                self._open(result.endpoint)
            else:
                self.action_endpoint()

    @on(ChatInput.Candidates)
    def _candidates(self, message: ChatInput.Candidates) -> None:
        shown = message.candidates[:24]
        more = len(message.candidates) - len(shown)
        text = "  ".join(shown) + (f"  … {more} more" if more > 0 else "")
        self.notify(clean(text), title="Tab again for the next", timeout=4, markup=False)

    @on(ChatInput.Leave)
    def _to_messages(self) -> None:
        self.transcript.focus()

    @on(ChatInput.End)
    def _eof(self) -> None:
        self._end()

    @on(ChatEndpointPicker.Chosen)
    def _chosen(self, message: ChatEndpointPicker.Chosen) -> None:
        self._open(message.endpoint)

    def _open(self, endpoint: str) -> None:
        self.picking = False
        self.store.open_endpoint(endpoint)
        self._show_session()
        self.call_after_refresh(self.focus_input)

    def _end(self) -> None:
        usage = self.prompt.end()
        if usage:
            self.notify(usage, title="Chat ended", timeout=8, markup=False)
        self.store.hide()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        store, session = self.store, self.store.session
        if action in self.PROMPT_KEYS and not self.transcript.has_focus:
            return False
        if action == "stop":  # always esc's in the pane: it never falls through to the screen
            return True
        if action == "regenerate":
            return session is not None and not store.busy and bool(session.entries)
        if action in ("export", "stored", "options"):
            return session is not None
        return True

    def action_chat_focus(self) -> None:
        self.store.switch_focus(self.screen)

    def action_stop(self) -> None:
        """esc: stop the answer (or the wait for a retry); with nothing to stop, leave the
        endpoint choice, else go back to the screen beside (what was typed stays)."""
        store = self.store
        if not (store.busy or store.stream.retry_at is not None or self.picking):
            self.action_chat_focus()
            return
        if self.picking and self.store.session is not None and not self.store.busy:
            self.picking = False  # esc leaves the endpoint choice
            self._show_session()
            self.focus_input()
            return
        self.store.stop()

    def action_regenerate(self) -> None:
        self.store.regenerate()

    def action_options(self) -> None:
        session = self.store.session
        if session is None:
            return
        from xerotui.tui.screens.chat_options import ChatOptionsScreen

        def saved(options: object) -> None:
            from xerotui.api.chat_options import ChatOptions

            if isinstance(options, ChatOptions):
                self.store.apply_options(options)
                self._show_session()

        self.app.push_screen(ChatOptionsScreen(session.options), saved)

    def action_full(self) -> None:
        self.store.set_full(not self.store.full)

    def action_endpoint(self) -> None:
        self.picking = True
        self._show_session()
        self.picker.focus_input()

    def action_export(self) -> None:
        self.prompt.export()

    def action_stored(self) -> None:
        session = self.store.session
        if session is not None:
            from xerotui.tui.screens.chat_stored import ChatStoredScreen

            self.app.push_screen(ChatStoredScreen(session.endpoint))

    def action_resize(self, step: int) -> None:
        self.store.resize(int(step))

    def action_write(self) -> None:
        self.focus_input()

    def action_close(self) -> None:
        self.store.hide()
