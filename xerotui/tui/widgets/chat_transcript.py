"""ChatTranscript: the scrolling conversation of the chat pane, drawn from the chat store.

:meth:`sync` makes the widgets match the store's items (messages and notes) by key: the
views both share are kept, only what changed is redrawn, what is new is mounted — so a
screen that comes back, a finished answer or a regenerated one costs what changed, not the
whole conversation. :meth:`grow` is the fast path while an answer streams: only its view.
The view stays pinned to the bottom while the user is there (Textual's anchor: scrolling
up releases it, reaching the bottom again restores it). Focused, Up/Down select a message:
``y`` copies it, ``c`` copies its code blocks one after the other (OSC 52, with a toast
saying what), ``v`` shows the raw JSON of an answer asked with streaming off.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from xerotui.api.chat_transcript import ChatEntry
from xerotui.tui.chat_store import ChatNote, ChatStore
from xerotui.tui.host import host
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean, one_line
from xerotui.tui.widgets.chat_message import ChatMessageView, code_blocks
from xerotui.tui.widgets.chat_note import ChatNoteView

ItemView = ChatMessageView | ChatNoteView
EMPTY = "No messages yet. Type a question and press enter; /help lists the commands and keys."


class ChatTranscript(SafeDispatch, VerticalScroll, can_focus=True):
    """The messages; focus it (tab from the prompt) to select one."""

    DEFAULT_CSS = """
    ChatTranscript {
        height: 1fr;
        padding: 0 0 0 1;
        scrollbar-size-vertical: 1;
    }
    ChatTranscript:focus {
        background-tint: $foreground 3%;
    }
    ChatTranscript > .chat-empty {
        color: $text-muted;
        height: auto;
    }
    """

    BINDINGS = [
        Binding("up,k", "select(-1)", "Previous message", id="chat.previous", show=False),
        Binding("down,j", "select(1)", "Next message", id="chat.next", show=False),
        Binding("home", "select_edge(0)", "First message", id="chat.first", show=False),
        Binding("end", "select_edge(-1)", "Last message", id="chat.last", show=False),
        Binding("y", "copy", "Copy message", id="chat.copy"),
        Binding("c", "copy_code", "Copy code", id="chat.copy_code"),
        Binding("v", "raw", "Raw JSON", id="chat.raw"),
    ]

    def __init__(self, store: ChatStore, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.selected: int | None = None
        """Index into :meth:`messages` of the selected message (None: none)."""
        self._views: dict[str, ItemView] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text(EMPTY), classes="chat-empty")

    def on_mount(self) -> None:
        self.anchor()

    # ------------------------------------------------------------------ drawing

    def item_views(self) -> list[ItemView]:
        return [w for w in self.children if isinstance(w, ChatMessageView | ChatNoteView)]

    def messages(self) -> list[ChatMessageView]:
        return [w for w in self.children if isinstance(w, ChatMessageView)]

    async def sync(self) -> None:
        """Match the store: keep the views both share, drop and mount the rest, redraw
        what changed."""
        store = self.store
        items = store.items()
        views = self.item_views()
        keys = [item.id for item in items]
        common = 0
        while common < min(len(views), len(keys)) and views[common].key == keys[common]:
            common += 1
        if common < len(views):
            for gone in views[common:]:
                self._views.pop(gone.key, None)
            await self.remove_children(views[common:])
        added: list[Widget] = []
        for item in items[common:]:
            view: ItemView
            if isinstance(item, ChatNote):
                view = ChatNoteView(item.id, item.text, item.level)
            else:
                view = ChatMessageView(item)
            self._views[item.id] = view
            added.append(view)
        if added:
            await self.mount_all(added)
        for item in items:
            if isinstance(item, ChatEntry):
                await self._show(item)
        self.query_one(".chat-empty").display = not items
        self._clamp_selection()

    async def grow(self) -> None:
        """Text arrived for the answer arriving now: redraw that answer only."""
        live = self.store.stream.live_id
        session = self.store.session
        if live is None or session is None or not session.entries:
            return
        entry = session.entries[-1]
        if entry.id == live and isinstance(self._views.get(live), ChatMessageView):
            await self._show(entry)

    async def _show(self, entry: ChatEntry) -> None:
        view = self._views.get(entry.id)
        if not isinstance(view, ChatMessageView) or not view.is_attached:
            return  # not mounted: the pane is being taken down
        store = self.store
        live = entry.id == store.stream.live_id
        content = store.content_of(entry)
        show_usage = store.session.options.show_usage if store.session is not None else False
        signature = ChatMessageView.signature_of(entry, content, show_usage, live)
        waiting = live and store.stream.phase == "waiting"
        if view.signature != signature or waiting:
            await view.show(entry, content, show_usage=show_usage, live=live, waiting=waiting)

    def tick(self, frame: int) -> None:
        """Animate the spinner of the answer waiting for its first token."""
        live = self.store.stream.live_id
        view = self._views.get(live) if live is not None else None
        if isinstance(view, ChatMessageView):
            view.tick(frame)

    # ------------------------------------------------------------------ selection

    @property
    def selected_view(self) -> ChatMessageView | None:
        messages = self.messages()
        if self.selected is None or not 0 <= self.selected < len(messages):
            return None
        return messages[self.selected]

    def _clamp_selection(self) -> None:
        count = len(self.messages())
        if self.selected is not None and self.selected >= count:
            self.selected = count - 1 if count else None
        self._mark_selection()

    def _mark_selection(self) -> None:
        chosen = self.selected_view if self.has_focus else None
        for view in self.messages():
            view.set_class(view is chosen, "-selected")

    def on_focus(self) -> None:
        if self.selected is None and self.messages():
            self.selected = len(self.messages()) - 1
        self._mark_selection()

    def on_blur(self) -> None:
        self._mark_selection()

    def action_select(self, step: int) -> None:
        messages = self.messages()
        if not messages:
            return
        current = self.selected if self.selected is not None else len(messages)
        self.selected = max(0, min(len(messages) - 1, current + step))
        self._mark_selection()
        view = self.selected_view
        if view is not None:
            self.scroll_to_widget(view, animate=False, top=view.size.height > self.size.height)

    def action_select_edge(self, edge: int) -> None:
        messages = self.messages()
        if not messages:
            return
        self.selected = 0 if edge == 0 else len(messages) - 1
        self._mark_selection()
        if edge == 0:
            self.scroll_home(animate=False)
        else:
            self.scroll_end(animate=False)

    # ------------------------------------------------------------------ copy, raw JSON

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("copy", "copy_code"):
            return self.selected_view is not None
        if action == "raw":
            view = self.selected_view
            return view is not None and view.has_raw
        return True

    def action_copy(self) -> None:
        view = self.selected_view
        if view is not None:
            what = "answer" if view.role == "assistant" else "message"
            host(self).copy(clean(view.shown), what=what)

    def action_copy_code(self) -> None:
        """The selected message's code blocks in turn (OSC 52; a toast says which)."""
        view = self.selected_view
        if view is None:
            return
        blocks = code_blocks(view.shown)
        if not blocks:
            self.notify("This message has no code block.", severity="warning", timeout=3)
            return
        index = view.code_index % len(blocks)
        view.code_index = index + 1
        language, code = blocks[index]
        what = f"code block {index + 1} of {len(blocks)}"
        if language:
            what += f" ({one_line(language, limit=20)})"
        host(self).copy(clean(code), what=what)

    def action_raw(self) -> None:
        view = self.selected_view
        if view is not None:
            view.toggle_raw()
