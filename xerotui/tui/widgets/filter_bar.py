"""FilterBar: the `/` filter line of a table screen."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Input

from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import one_line


class FilterBar(SafeDispatch, Input):
    """Hidden until opened; stays shown while it holds a filter. The screen reacts to
    Input.Changed (filter as you type) and Input.Submitted (back to the table), and says
    here what is wrong with a filter it cannot read (`show_problem`)."""

    DEFAULT_CSS = """
    FilterBar {
        border: tall $accent;
        height: 3;
        border-subtitle-align: left;
        &.-invalid, &.-invalid:focus {
            border: tall $error;
            border-subtitle-color: $error;
            border-subtitle-style: bold;
        }
    }
    """

    problem: str | None = None
    """What is wrong with the filter as typed (None: it is fine)."""

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

    def show_problem(self, message: str | None) -> None:
        """A message on the bar's lower edge, in the error colour (None: clear it)."""
        if message == self.problem:
            return
        self.problem = message
        if message is None:
            self.remove_class("-invalid")
            self.border_subtitle = None
            return
        self.add_class("-invalid")
        # Content, not a string: the message quotes what was typed, never read as markup.
        self.border_subtitle = Content(f"✗ {one_line(message, limit=300)}")
