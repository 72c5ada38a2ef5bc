"""XeroFooter: the keys that work now, on one line, from the screen's live bindings.

Built on public API only: `Screen.active_bindings` (the keymap applied, `check_action`
deciding what is shown, dimmed or hidden) and `Screen.bindings_updated_signal`. One widget
rendering one line — no child widget per key, nothing recomposed — and it repaints only when
what it shows changed. `g` and `?` come first: on a narrow terminal the end is what is cut.
Clicking a key presses it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget

from xerotui.tui.safety import SafeDispatch

PINNED = ("chord", "help")
Shown = tuple[tuple[str, str, str, bool], ...]
"""(key, shown key, description, enabled) per key."""


class XeroFooter(SafeDispatch, Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"footer--key", "footer--description"}
    DEFAULT_CSS = """
    XeroFooter {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    XeroFooter > .footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    XeroFooter > .footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.shown: Shown = ()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        shown = self.keys_shown()
        if shown != self.shown:
            self.shown = shown
            self.refresh()

    def keys_shown(self) -> Shown:
        """What the footer shows for the screen's bindings right now."""
        pinned: list[tuple[str, str, str, bool]] = []
        rest: list[tuple[str, str, str, bool]] = []
        actions: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or not binding.description or binding.action in actions:
                continue
            actions.add(binding.action)
            entry = (key, self.app.get_key_display(binding), binding.description, active.enabled)
            (pinned if binding.action in PINNED else rest).append(entry)
        return (*pinned, *rest)

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer--key")
        description_style = self.get_component_rich_style("footer--description")
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        for key, display, description, enabled in self.shown:
            click = Style.from_meta({"@click": f"app.simulate_key({key!r})"})
            dim = Style(dim=not enabled)
            line.append(f" {display} ", style=key_style + dim + click)
            line.append(f"{description} ", style=description_style + dim + click)
        return line
