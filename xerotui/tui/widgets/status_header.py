"""The top line of every screen: where you are, which profile/project, connection state."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from xerotui.tui.chords import MODE_CHORDS
from xerotui.tui.link import LinkState
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import one_line

COMPACT_BELOW = 100
"""Narrower than this, the header shows only the current tab."""
DOTS = {
    "none": ("○", "dim"),
    "connecting": ("◌", "yellow"),
    "connected": ("●", "green"),
    "error": ("●", "bold red"),
}


MODES = {
    "dry-run": (" DRY RUN ", "bold black on yellow"),
    "read-only": (" READ-ONLY ", "bold white on blue"),
}
"""Client modes the header shows (changes are only shown / refused)."""


class StatusHeader(SafeDispatch, Horizontal):
    """Presentational: shows the mode tabs and a LinkState it is given."""

    DEFAULT_CSS = """
    StatusHeader {
        dock: top;
        height: 1;
        background: $panel;
    }
    StatusHeader #brand {
        width: auto;
        background: $primary;
        color: $text;
    }
    StatusHeader #tabs {
        width: 1fr;
        padding: 0 1;
        color: $text-muted;
    }
    StatusHeader #link {
        width: auto;
        padding: 0 1;
    }
    """

    def __init__(
        self,
        current: str,
        keys: dict[str, str] | None = None,
        *,
        on_first_layout: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(id="status-header")
        self._on_first_layout = on_first_layout
        """Called once, when the header is first given its size (the screen's first layout)."""
        self.current = current
        self.keys = keys or {}
        """Chord name -> key, keymap overrides applied."""
        self.jobs = 0
        """Revalidations under watch (shown while there are any)."""
        self._compact = False
        """Only the current tab is shown (a narrow screen)."""

    def compose(self) -> ComposeResult:
        # The header spans the screen: its width is known before the first frame, so the
        # resize after it changes nothing (no second layout at start-up).
        self._compact = self.app.size.width < COMPACT_BELOW
        yield Static(Text(" xerotui ", style="bold"), id="brand")
        yield Static(self._tabs(), id="tabs")
        yield Static(id="link")

    def on_resize(self) -> None:
        first, self._on_first_layout = self._on_first_layout, None
        if first is not None:
            first()
        compact = self.size.width < COMPACT_BELOW
        if compact != self._compact:
            self._compact = compact
            self.query_one("#tabs", Static).update(self._tabs())

    def _tabs(self) -> Text:
        tabs = Text()
        for chord in MODE_CHORDS:
            if self._compact and chord.name != self.current:
                continue
            style = "bold reverse" if chord.name == self.current else ""
            tabs.append(f" {chord.tab} ", style=style)
            tabs.append(f"g{self.keys.get(chord.name, chord.key)}", style="dim")
            tabs.append(" ")
        if self.jobs:
            tabs.append(f"⟳ {self.jobs} job{'s' if self.jobs != 1 else ''}", style="bold yellow")
        return tabs

    def show_jobs(self, running: int) -> None:
        if running != self.jobs:
            self.jobs = running
            self.query_one("#tabs", Static).update(self._tabs())

    def show_link(self, link: LinkState) -> None:
        dot, style = DOTS[link.kind]
        text = Text()
        if link.mode in MODES:
            label, badge = MODES[link.mode]
            text.append(label, style=badge)
            text.append(" ")
        if link.profile:
            text.append(one_line(link.profile, limit=40), style="bold")
            text.append(" · ", style="dim")
        if link.project:
            text.append(one_line(link.project, limit=40))
            text.append(" · ", style="dim")
        if link.busy:
            text.append("↻ refreshing · ", style="yellow")
        text.append(f"{dot} ", style=style)
        text.append(link.detail or link.kind, style=style if link.kind == "error" else "")
        self.query_one("#link", Static).update(text)
