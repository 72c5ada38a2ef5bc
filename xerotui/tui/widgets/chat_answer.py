"""ChatAnswer: an answer's Markdown, grown in segments, never re-rendered whole.

The answer is cut into segments at places where Markdown can be cut without changing its
meaning (after a blank line, outside fenced code, before a line that starts a new block),
once a segment holds SEGMENT_CHARS characters. A closed segment is rendered once and kept;
only the open one at the end is rendered again as text arrives — at most once a frame, as
the stream store merges its updates. So the cost of a frame is bounded by one segment,
however long the answer grows. The open segment keeps a few blank lines under its text
(SLACK_LINES), so a new line of text repaints the segment's lines without a new layout.

One widget draws every segment (Line API: `render_line(y)` finds the segment and its
line). Segments are plain objects, not widgets: while an answer streams beside the table,
each frame repaints the pane's rows through every widget layered there, and the screen's
layout walks every widget; a widget per segment (and a container around them) was a third
of that work (benchmarks/bench_chat.py).

Why Rich's Markdown renderer rather than Textual's Markdown widget with MarkdownStream:
measured on the 2-core VM, the widget builds one child widget per Markdown block, and a
4,000-token answer at 2,000 tokens/s kept a core busy for 1.6-1.8 s in a bare Textual app
(keypress p95 0.6-0.85 s while it streamed). Rendering a 1,500-character segment with Rich
takes about 10 ms, once; the open segment (up to ~600 characters) about 4 ms per frame.

Links are shown as text and address (no terminal hyperlink: the text of a link from a
server is not to be trusted), and control characters are made visible first
(`sanitize.clean`).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from rich.markdown import Markdown
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean

SEGMENT_CHARS = 600
SLACK_LINES = 6
"""While a segment grows, its height is rounded up to a multiple of this: the screen's
layout (the whole screen, the table beside included) is redone every few lines, not at
every line; the blank lines go when the answer ends."""
_FENCE = re.compile(r"[ ]{0,3}(```|~~~)")
_CONTINUES = re.compile(r"[ \t]|[-*+>|]|\d+[.)]")
"""A line that may belong to the block before the blank line (indented, list, quote, table)."""
_NUMBER = re.compile(r"\d+\Z")
"""A line that has only begun with a number: it may yet be "2. item", a list going on."""


def next_cut(text: str, at_least: int) -> int | None:
    """The first offset >= ``at_least`` where ``text`` can be cut into two Markdown documents
    that render as the one: just after a blank line outside fenced code, where the next line
    has begun and starts a new block. None if there is none yet."""
    offset, in_fence, blank = 0, False, False
    for line in text.splitlines(keepends=True):
        starts_block = line.strip() and not _CONTINUES.match(line) and not _NUMBER.match(line)
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


class AnswerSegment:
    """One segment of an answer: its Markdown source, rendered by Rich into lines kept
    until the source or the width changes."""

    def __init__(self, source: str = "") -> None:
        self.source = ""
        """The Markdown of this segment as it arrived."""
        self.rendered = ""
        """What was given to the renderer: the source with control characters made visible."""
        self._markdown: Markdown | None = None
        self.lines: list[Strip] = []
        self.width = 0
        self.growing = False
        """Text is still arriving: the height keeps SLACK_LINES of room."""
        self.source_changed = False
        if source:
            self.set_source(source)

    @property
    def height(self) -> int:
        """Lines this segment takes: its text, and room to grow while it grows."""
        lines = len(self.lines)
        if not self.growing or not lines:
            return lines
        return -(-lines // SLACK_LINES) * SLACK_LINES

    def set_source(self, source: str, *, growing: bool = False) -> None:
        """The segment's Markdown (drawn at the next :meth:`draw`)."""
        self.growing = growing
        if source != self.source:
            self.source, self.rendered = source, clean(source)
            self._markdown = None
            self.source_changed = True

    def restyle(self) -> None:
        """Render again at the next :meth:`draw` (the theme changed)."""
        self._markdown = None
        self.source_changed = True

    def draw(self, widget: Widget, width: int) -> None:
        """Render the lines for ``width`` if the source or the width changed."""
        if width == self.width and not self.source_changed:
            return
        self.width, self.source_changed = width, False
        if self._markdown is None:
            theme = "ansi_dark" if widget.app.current_theme.dark else "ansi_light"
            self._markdown = Markdown(self.rendered, code_theme=theme, hyperlinks=False)
        if width <= 0:
            self.lines = []
            return
        console = widget.app.console
        options = console.options.update_width(width)
        rendered = console.render_lines(self._markdown, options, style=widget.rich_style, pad=True)
        self.lines = [Strip(line, width) for line in rendered]


class ChatAnswer(SafeDispatch, Widget):
    """Presentational: :meth:`grow` while the answer arrives, :meth:`show` otherwise."""

    DEFAULT_CSS = """
    ChatAnswer {
        height: auto;
        padding: 0 1 0 0;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.shown = ""
        """The text on screen (before cleaning)."""
        self._start = 0
        """Where the open (last) segment begins in :attr:`shown`."""
        self.segments: list[AnswerSegment] = [AnswerSegment()]
        self._width = 0
        self._tops: list[int] = [0]
        """The first line of each segment (as last laid out)."""

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._restyle)

    def _restyle(self, _: object) -> None:
        """Another theme: the lines were drawn in the old one's colours (and code theme)."""
        for segment in self.segments:
            segment.restyle()
        self._width = 0
        self.refresh(layout=True)

    @property
    def settled(self) -> bool:
        """Everything shown has been rendered (rendering here is never deferred)."""
        return True

    @property
    def source(self) -> str:
        """The Markdown shown, every segment together."""
        return "".join(segment.source for segment in self.segments)

    @property
    def height(self) -> int:
        return sum(segment.height for segment in self.segments)

    async def grow(self, content: str) -> None:
        """``content`` is what arrived so far: if it extends :attr:`shown`, close segments
        that are long enough and render the open one again; otherwise show it whole."""
        if not content.startswith(self.shown) or content == self.shown:
            if content != self.shown:
                await self.show(content)
            return
        *closed, tail = segments_of(content[self._start :])
        before = self.height
        if closed:
            self.segments[-1].set_source(closed[0])
            self.segments += [AnswerSegment(part) for part in closed[1:]]
            self.segments.append(AnswerSegment())
            self._start = len(content) - len(tail)
        self.segments[-1].set_source(tail, growing=True)
        self.shown = content
        self._redraw(before, closed=bool(closed))

    def finish(self) -> None:
        """The answer ended: its open segment gives back the room it kept to grow."""
        before = self.height
        segment = self.segments[-1]
        segment.set_source(segment.source)
        self._redraw(before, closed=False)

    async def show(self, content: str) -> None:
        """The whole answer at once (restored, loaded, or final and different)."""
        if content == self.shown:
            return
        parts = segments_of(content)
        before = self.height
        self.segments = [AnswerSegment(part) for part in parts]
        self.shown, self._start = content, len(content) - len(parts[-1])
        self._redraw(before, closed=True)

    def _redraw(self, before: int, *, closed: bool) -> None:
        """Render what changed now (at the width last laid out); repaint only the open
        segment's lines unless the height changed (a new layout) or segments closed."""
        if self._width:
            self._draw(self._width)
        if self.height != before or not self._width:
            self.refresh(layout=True)
        elif closed:
            self.refresh()
        else:
            top = self._tops[-1]
            self.refresh(Region(0, top, self._width, self.segments[-1].height))

    def _draw(self, width: int) -> None:
        self._width = width
        tops, y = [], 0
        for segment in self.segments:
            segment.draw(self, width)
            tops.append(y)
            y += segment.height
        self._tops = tops

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if width != self._width:
            self._draw(width)
        return self.height

    def render_line(self, y: int) -> Strip:
        index = bisect_right(self._tops, y) - 1
        if 0 <= index < len(self.segments):
            lines = self.segments[index].lines
            offset = y - self._tops[index]
            if offset < len(lines):
                return lines[offset]
        return Strip.blank(self._width, self.rich_style)
