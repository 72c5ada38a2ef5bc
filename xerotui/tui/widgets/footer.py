"""XeroFooter: Textual's Footer, rebuilt only when what it shows has changed.

Textual's Footer recomposes (10-15 ms, and every recompose holds back repaints) for every
bindings signal: start-up alone sends about eight (screen stack, focus, our availability
changes), and most change nothing it displays. This one compares what it would show with
what it shows, and a burst of signals shares one rebuild. It also puts `g` and `?` first.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[tuple[str, str, str, bool], ...]
PINNED = ("chord", "help")


class XeroFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._rebuild_pending = False
        self._shown: Shown | None = None

    def _visible(self) -> Shown:
        return tuple(
            (key, active.binding.action, active.binding.description, active.enabled)
            for key, active in self.screen.active_bindings.items()
            if active.binding.show
        )

    def compose(self) -> ComposeResult:
        # Footer composes nothing until the bindings are ready; only then is it showing them.
        self._shown = self._visible() if self._bindings_ready else None
        keys = list(super().compose())
        # `g` and `?` first: on a narrow terminal the end of the footer is what gets cut.
        pinned = [key for key in keys if getattr(key, "action", None) in PINNED]
        yield from pinned + [key for key in keys if key not in pinned]

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True  # as Footer.bindings_changed (Textual is pinned)
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached:  # its screen was closed while the rebuild waited
            return
        if self._visible() != self._shown:
            await self.recompose()
