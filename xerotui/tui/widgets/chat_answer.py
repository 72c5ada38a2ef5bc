"""ChatAnswer: an answer's Markdown, grown through Textual's MarkdownStream, in segments.

What arrives is appended to the Markdown stream of the last segment — the answer is never
re-rendered whole. Once a segment holds SEGMENT_CHARS characters it is closed at the next
place where Markdown can be cut without changing its meaning (after a blank line, outside
fenced code, before a line that is neither indented nor a list item) and a new segment
takes the rest. Why: every append mounts blocks and makes Textual lay out the Markdown
widget again; a widget of ~20 blocks costs that, one of a whole long answer (hundreds of
blocks) costs it for every block at every frame. Closed segments keep their cached layout.

No positional selector (``:last-child``...) may style the blocks: Textual restyles every
sibling of a node mounted among nodes that have one, which at each append is all of them.

Text given here is cleaned first (``sanitize.clean``: control characters made visible).
"""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownStream

from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean

SEGMENT_CHARS = 1500
_FENCE = re.compile(r"[ ]{0,3}(```|~~~)")
_CONTINUES = re.compile(r"[ \t]|[-*+>|]|\d+[.)]")
"""A line that may belong to the block before the blank line (indented, list, quote, table)."""


def next_cut(text: str, at_least: int) -> int | None:
    """The first offset >= ``at_least`` where ``text`` can be cut into two Markdown documents
    that render as the one: just after a blank line outside fenced code, where the next line
    has begun and starts a new block. None if there is none yet."""
    offset, in_fence, blank = 0, False, False
    for line in text.splitlines(keepends=True):
        starts_block = line.strip() and not _CONTINUES.match(line)
        if blank and starts_block and not in_fence and offset >= at_least:
            return offset
        if _FENCE.match(line):
            in_fence = not in_fence
        blank = not line.strip() and line.endswith("\n")
        offset += len(line)
    return None


def segments_of(text: str) -> list[str]:
    """``text`` cut the way streaming it would have cut it."""
    parts: list[str] = []
    while (cut := next_cut(text, SEGMENT_CHARS)) is not None:
        parts.append(text[:cut])
        text = text[cut:]
    return [*parts, text]


class ChatAnswer(SafeDispatch, Vertical):
    """Presentational: :meth:`grow` while the answer arrives, :meth:`show` otherwise."""

    DEFAULT_CSS = """
    ChatAnswer {
        height: auto;
    }
    ChatAnswer > Markdown {
        padding: 0 1 0 0;
        margin: 0;
    }
    ChatAnswer MarkdownFence {
        margin: 1 0;
    }
    ChatAnswer MarkdownFence > Label {
        padding: 0 1;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.shown = ""
        """The text on screen (before cleaning)."""
        self._start = 0
        """Where the last segment begins in :attr:`shown`."""
        self._streams: dict[Markdown, MarkdownStream] = {}
        """One per segment of the answer arriving; a closed segment's stream goes on
        draining what it was given (never waited for mid-answer), all end in :meth:`stop`."""

    def compose(self) -> ComposeResult:
        yield Markdown()

    @property
    def segments(self) -> list[Markdown]:
        return list(self.query_children(Markdown))

    @property
    def settled(self) -> bool:
        """Everything shown has been rendered (no append pending or running)."""
        pending = any(stream._pending for stream in self._streams.values())
        return not pending and not any(md.lock.is_locked for md in self.segments)

    async def grow(self, content: str) -> None:
        """``content`` is what arrived so far (it extends :attr:`shown`): append the rest."""
        while len(content) > len(self.shown):
            segment = content[self._start :]
            written = len(self.shown) - self._start
            cut = next_cut(segment, max(SEGMENT_CHARS, written))
            end = len(content) if cut is None else self._start + cut
            await self._write(content[len(self.shown) : end])
            self.shown = content[:end]
            if cut is not None:  # continue in a new segment; this one drains on its own
                await self.mount(Markdown())
                self._start = end

    async def _write(self, text: str) -> None:
        if not text:
            return
        segment = self.segments[-1]
        stream = self._streams.get(segment)
        if stream is None:
            stream = self._streams[segment] = Markdown.get_stream(segment)
        await stream.write(clean(text))

    async def show(self, content: str) -> None:
        """The whole answer at once (restored, loaded, or final and different)."""
        await self.stop()
        if content == self.shown:
            return
        parts = segments_of(content)
        segments = self.segments
        if len(segments) > 1:
            await self.remove_children(segments[1:])
        await segments[0].update(clean(parts[0]))
        if len(parts) > 1:
            await self.mount_all([Markdown(clean(part)) for part in parts[1:]])
        self.shown, self._start = content, len(content) - len(parts[-1])

    async def stop(self) -> None:
        """End the streams: what they were given is appended."""
        streams, self._streams = self._streams, {}
        for stream in streams.values():
            await stream.stop()

    async def on_unmount(self) -> None:
        await self.stop()
