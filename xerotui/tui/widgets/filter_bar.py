"""FilterBar: the `/` filter line of a table screen."""

from __future__ import annotations

from textual.widgets import Input

from xerotui.tui.safety import SafeDispatch


class FilterBar(SafeDispatch, Input):
    """Hidden until opened; stays shown while it holds a filter. The screen reacts to
    Input.Changed (filter as you type) and Input.Submitted (back to the table)."""

    DEFAULT_CSS = """
    FilterBar {
        border: tall $accent;
        height: 3;
    }
    """

    def on_mount(self) -> None:
        self.display = False

    @property
    def active(self) -> bool:
        """Whether Esc should clear it: it holds a filter or is being typed in."""
        return bool(self.value) or self.has_focus

    def open(self) -> None:
        self.display = True
        # Focus now, not later: keys typed right after `/` must land here.
        self.screen.set_focus(self)

    def set_text(self, text: str) -> None:
        self.value = text
        self.display = bool(text)

    def done(self) -> None:
        """Typing is over: keep the line only if it holds a filter."""
        self.display = bool(self.value)
