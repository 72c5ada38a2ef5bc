"""ChatStatusLine: xeroctl's status bar above the chat prompt; ChatState: what it shows and
the badge the pane's title line shows beside it.

``endpoint: S | model: M | tokens: P/C | msgs: N`` (cumulative prompt/completion tokens),
wrapped when the pane is narrow. The badge says what the chat is doing: waiting for the
first token, streaming, a rate-limit countdown before the question
is asked again, or dry run.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import one_line


@dataclass(frozen=True)
class ChatState:
    """What the status line and the badge show; equal states draw nothing new."""

    bar: str
    phase: str = "idle"
    retry_in: int | None = None
    dry_run: bool = False

    def badge(self) -> Text:
        if self.retry_in is not None:
            return Text(f"rate limited: asking again in {self.retry_in} s (esc cancels)", "bold")
        if self.phase == "waiting":
            return Text("● waiting", "bold yellow")
        if self.phase == "streaming":
            return Text("● streaming", "bold green")
        if self.dry_run:
            return Text("dry run: nothing is sent", "bold yellow")
        return Text("")


class ChatStatusLine(SafeDispatch, Static):
    DEFAULT_CSS = """
    ChatStatusLine {
        height: auto;
        max-height: 3;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bar: str | None = None

    def show(self, state: ChatState) -> None:
        if state.bar != self.bar:
            self.bar = state.bar
            self.update(Text(one_line(state.bar, limit=200)))
