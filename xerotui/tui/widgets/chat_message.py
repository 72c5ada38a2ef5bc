"""ChatMessageView: one message of the conversation — who, the text, and what is known of it.

An answer is Markdown (:class:`~xerotui.tui.widgets.chat_answer.ChatAnswer`); while it
arrives it grows segment by segment (closed segments are rendered once; the answer is never
re-rendered whole per token). Below it: a
spinner until the first token, then xeroctl's footer (``-- 312 tokens in 4.2s (74.3
tok/s)``) and the time to the first token; with show usage, the token breakdown and the
response id; a stopped or incomplete answer says so and how to ask again. An answer asked
with streaming off carries its raw JSON (``v`` shows it). Every text is server or file
text: cleaned (``sanitize.clean``) before it is shown, never read as markup.
"""

from __future__ import annotations

import json

from markdown_it import MarkdownIt
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from xerotui.api.chat_transcript import ChatEntry
from xerotui.tui.format import SPINNER
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean
from xerotui.tui.widgets.chat_answer import ChatAnswer

ROLES = {"user": "You", "assistant": "Assistant", "system": "System", "developer": "Developer"}
Signature = tuple[str, int, str | None, int | None, bool, bool]


def code_blocks(text: str) -> list[tuple[str, str]]:
    """The fenced code blocks of a Markdown text: (language, code), in order."""
    tokens = MarkdownIt("gfm-like").parse(text)
    return [(t.info.strip(), t.content) for t in tokens if t.type in ("fence", "code_block")]


class ChatMessageView(SafeDispatch, Vertical):
    """Presentational: shows the entry it is given (:meth:`show`)."""

    DEFAULT_CSS = """
    ChatMessageView {
        height: auto;
        padding: 0 0 1 0;
    }
    ChatMessageView > .chat-role {
        height: 1;
        text-style: bold;
        color: $primary;
    }
    ChatMessageView.-user > .chat-role {
        color: $accent;
    }
    ChatMessageView.-selected {
        background: $boost;
    }
    ChatMessageView.-selected > .chat-role {
        background: $accent 30%;
    }
    ChatMessageView > .chat-text {
        padding: 0 1 0 0;
    }
    ChatMessageView > .chat-meta {
        height: auto;
        color: $text-muted;
    }
    ChatMessageView > .chat-meta.-error {
        color: $text-error;
    }
    ChatMessageView > .chat-meta.-stopped {
        color: $text-warning;
    }
    ChatMessageView > .chat-raw {
        display: none;
        height: auto;
        background: $surface;
        color: $text-muted;
    }
    ChatMessageView.-raw > .chat-raw {
        display: block;
    }
    """

    def __init__(self, entry: ChatEntry) -> None:
        super().__init__(classes=f"-{entry.role}")
        self.key = entry.id
        self.role = entry.role
        self.entry = entry
        self.shown = ""
        """The text on screen (before cleaning)."""
        self.signature: Signature | None = None
        self.code_index = 0
        """Which code block `c` copies next."""
        self._meta: tuple[str, str, bool] | None = None
        self._raw_shown: object = None

    def compose(self) -> ComposeResult:
        yield Static(Text(ROLES.get(self.role, self.role.title())), classes="chat-role")
        if self.role == "assistant":
            yield ChatAnswer()
        else:
            yield Static(classes="chat-text")
        yield Static(classes="chat-meta")
        yield Static(classes="chat-raw")

    @staticmethod
    def signature_of(entry: ChatEntry, content: str, show_usage: bool, live: bool) -> Signature:
        return (entry.status, len(content), entry.error, entry.tokens, show_usage, live)

    @property
    def has_raw(self) -> bool:
        return self.entry.raw is not None

    async def show(
        self,
        entry: ChatEntry,
        content: str,
        *,
        show_usage: bool,
        live: bool = False,
        waiting: bool = False,
    ) -> None:
        """Draw ``entry`` with ``content`` (an answer arriving: ``live``, its text so far)."""
        self.entry = entry
        self.signature = self.signature_of(entry, content, show_usage, live)
        if self.role != "assistant":
            if content != self.shown:
                self.query_one(".chat-text", Static).update(Text(clean(content)))
                self.shown = content
        else:
            answer = self.query_one(ChatAnswer)
            # The answer goes on (or ends with text not yet drawn): only its open segment is
            # drawn again, never the whole answer — that cost ~100 ms at the end of one.
            await answer.grow(content)
            if not live:
                answer.finish()
            self.shown = content
        self._show_meta(entry, show_usage=show_usage, live=live, waiting=waiting)
        if entry.raw is not None and self._raw_shown is not entry.raw:
            self._raw_shown = entry.raw
            raw = json.dumps(entry.raw, indent=2, ensure_ascii=False)
            self.query_one(".chat-raw", Static).update(Text(clean(raw)))

    def tick(self, frame: int) -> None:
        """Move the spinner (only while waiting for the first token)."""
        if self.has_class("-waiting"):
            self._show_meta(self.entry, show_usage=False, live=True, waiting=True, frame=frame)

    def _show_meta(
        self,
        entry: ChatEntry,
        *,
        show_usage: bool,
        live: bool,
        waiting: bool,
        frame: int = 0,
    ) -> None:
        """The lines under the message; redrawn only when they change (an update lays the
        message out again, which must not happen at every token)."""
        lines: list[str] = []
        kind = ""
        if self.role == "assistant" and live and waiting:
            lines.append(f"{SPINNER[frame % len(SPINNER)]} waiting for the first token — esc stops")
        elif self.role == "assistant" and not live:
            if entry.status == "stopped":
                kind = "-stopped"
                lines.append("⏹ Stopped: the answer is partial. ctrl+r asks again.")
            elif entry.status in ("incomplete", "streaming"):
                kind = "-error"
                error = entry.error or "the answer did not finish"
                lines.append(f"⚠ {error.rstrip('.')}. ctrl+r asks again.")
            notes = [line for line in (entry.footer, entry.first_token_line) if line]
            if notes:
                lines.append(" · ".join(notes))
            if show_usage:
                lines += entry.usage_lines
            if entry.raw is not None:
                shown = self.has_class("-raw")
                lines.append(f"raw JSON below — v {'hides' if shown else 'shows'} it")
        text = clean("\n".join(lines))
        look = (text, kind, waiting)
        if look == self._meta:
            return
        self._meta = look
        self.set_class(waiting, "-waiting")
        meta = self.query_one(".chat-meta", Static)
        meta.set_class(kind == "-error", "-error")
        meta.set_class(kind == "-stopped", "-stopped")
        meta.display = bool(lines)
        meta.update(Text(text))

    def toggle_raw(self) -> bool:
        """Show or hide the raw JSON (answers asked with streaming off); False if none."""
        if not self.has_raw:
            return False
        self.toggle_class("-raw")
        show_usage = bool(self.signature and self.signature[4])
        self._show_meta(self.entry, show_usage=show_usage, live=False, waiting=False)
        return True
