"""TextViewer: any amount of text, costing only what is on screen (Line API).

A 10 MB model description rendered as one Rich Text froze the app for over a minute. Here
the text is split into its lines once; the wrapped height of each line at the current
width is only arithmetic (`ceil(len / width)`), and `render_line` cuts the one screen line
it is asked for. Wrapping is by characters (a code point per cell, wide characters cropped),
which keeps it linear; a long text stays scrollable and responsive at any size.
The text must already be sanitised (see xerotui.tui.sanitize).
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from xerotui.tui.safety import SafeDispatch


class TextViewer(SafeDispatch, ScrollView, can_focus=True):
    """Read-only, scrollable, wrapped text of any size."""

    DEFAULT_CSS = """
    TextViewer {
        height: 1fr;
        overflow-x: hidden;
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes)
        self._lines: list[str] = []
        self._starts: list[int] = [0]
        """Screen row at which each text line starts (at `_width`), plus the total."""
        self._width = 0
        self.style = Style()
        self.set_text(text)

    @property
    def text(self) -> str:
        return "\n".join(self._lines)

    def set_text(self, text: str, style: Style | None = None) -> None:
        self._lines = text.split("\n")
        self.style = style or Style()
        self._width = 0
        self._layout()
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def _layout(self) -> None:
        width = max(1, self.scrollable_content_region.width or self.size.width or 80)
        if width == self._width:
            return
        self._width = width
        heights = (max(1, -(-len(line) // width)) for line in self._lines)
        self._starts = [0, *accumulate(heights)]
        self.virtual_size = Size(width, self._starts[-1])

    def on_resize(self) -> None:
        self._layout()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        self._layout()
        row = self.scroll_offset.y + y
        width = self._width
        if row >= self._starts[-1]:
            return Strip.blank(self.size.width, self.rich_style)
        index = bisect_right(self._starts, row) - 1
        offset = (row - self._starts[index]) * width
        chunk = self._lines[index][offset : offset + width]
        strip = Strip([Segment(chunk, self.rich_style + self.style)])
        return strip.crop_extend(0, self.size.width, self.rich_style)
