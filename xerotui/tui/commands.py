"""Command palette (ctrl+p): every action by name — the same actions the keys run.

Entries are generated from the chord table and from the live bindings of the screen the
palette was opened on, so nothing is implemented twice and nothing drifts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from xerotui.tui.chords import CHORDS
from xerotui.tui.host import host
from xerotui.tui.screens.models import ModelsScreen

Entry = tuple[str, str, Callable[[], Any]]


class XeroCommands(Provider):
    """Go-to chords, the current screen's keys, and sort-by-column for the model table."""

    def entries(self) -> Iterator[Entry]:
        app = self.app
        keys = host(self.screen).chord_keys()
        for chord in CHORDS:
            yield (
                f"{chord.verb} {chord.description}".strip(),
                f"g {keys.get(chord.name, chord.key)} · docs: {chord.docs}",
                partial(app.run_action, chord.action),
            )
        screen = self.screen
        title = getattr(screen, "TITLE", "") or "Screen"
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.id or binding.system or not active.enabled:
                continue  # our actions all carry an id; Textual's focus/copy keys do not
            if active.node is app or binding.action in seen:
                continue
            seen.add(binding.action)
            yield (
                f"{title}: {binding.description}",
                f"key {app.get_key_display(binding)}",
                partial(app.run_action, binding.action, active.node),
            )
        if isinstance(screen, ModelsScreen):
            for column in screen.sort_columns():
                yield (
                    f"Models: sort by {column}",
                    "or click the column header",
                    partial(screen.sort_by, column),
                )

    async def discover(self) -> Hits:
        for title, help_text, callback in self.entries():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self.entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
