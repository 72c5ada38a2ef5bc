"""The `?` overlay: the keys that work right now, from the live bindings and the chord table."""

from __future__ import annotations

from dataclasses import replace

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from xerotui.tui.chords import CHORDS
from xerotui.tui.keytable import KeyRow
from xerotui.tui.safety import SafeDispatch

WIDE_ENOUGH_FOR_IDS = 140
"""Below this many columns the binding ids are left out (the actions need the room)."""


class HelpScreen(SafeDispatch, ModalScreen[None]):
    """Help for the screen beneath: its keys, the global keys, and the g-chords."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen #help-panel {
        width: 90%;
        max-width: 110;
        height: 90%;
        background: $surface;
        border: round $primary;
        padding: 0 2;
    }
    HelpScreen #help-columns {
        height: auto;
    }
    HelpScreen .help-column {
        width: 1fr;
        height: auto;
        padding: 0 1;
    }
    HelpScreen .help-group, HelpScreen #help-notes {
        margin-bottom: 1;
    }
    """
    BINDINGS = [
        Binding("question_mark", "dismiss", "Close help", id="help.close"),
        Binding("escape", "dismiss", "Close help", show=False, id="help.escape"),
        Binding("q", "dismiss", "Close help", show=False, id="help.q"),
    ]

    def __init__(self, beneath: Screen[object], chord_keys: dict[str, str]) -> None:
        super().__init__()
        self.beneath_title = getattr(beneath, "TITLE", None) or type(beneath).__name__
        self.groups = self._groups(beneath)
        self.chord_keys = chord_keys
        self.notes = str(getattr(beneath, "HELP_TEXT", ""))
        """More about the screen beneath than its keys say (the models filter's syntax)."""

    def _groups(self, beneath: Screen[object]) -> list[tuple[str, list[KeyRow]]]:
        """Live bindings (keymap applied) of the screen beneath, grouped by where they live."""
        screen_rows: list[KeyRow] = []
        widget_rows: list[KeyRow] = []
        app_rows: list[KeyRow] = []
        first: dict[str, ActiveBinding] = {}
        keys: dict[str, list[str]] = {}  # every key of a binding: "↓ j", "end G"
        for key, active in beneath.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.system:
                continue
            ident = binding.id or binding.action
            first.setdefault(ident, active)
            keys.setdefault(ident, []).append(key)
        for ident, active in first.items():
            binding = active.binding
            shown = " ".join(
                self.app.get_key_display(replace(binding, key=key)) for key in keys[ident]
            )
            described = binding.description[:1].upper() + binding.description[1:]  # "palette"
            row = KeyRow(shown, described, binding.id or "")
            if active.node is self.app:
                app_rows.append(row)
            elif active.node is beneath:
                if binding.id:  # the screen's own keys, not Textual's focus keys
                    screen_rows.append(row)
            else:
                widget_rows.append(row)
        return [
            (f"This screen — {self.beneath_title}", screen_rows),
            ("Focused widget", widget_rows),
            ("Everywhere", app_rows),
        ]

    def compose(self) -> ComposeResult:
        here, widget, everywhere = self.groups
        with VerticalScroll(id="help-panel"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            with Horizontal(id="help-columns"):
                with Vertical(classes="help-column"):
                    yield Static(self._table(*here), classes="help-group")
                with Vertical(classes="help-column"):
                    for group in (everywhere, widget):
                        if group[1]:
                            yield Static(self._table(*group), classes="help-group")
            if self.notes:
                yield Static(Text(self.notes), id="help-notes")
            yield Static(self._chords(), classes="help-group")
            yield Static(
                "[dim]ctrl+p: every action by name · keys can be changed in config.toml "
                "[settings.keymap] by binding id · ? or esc closes[/dim]",
                id="help-footer",
            )

    def _chords(self) -> Table:
        table = self._table("g-chords: press g, then the key (a popup lists them)", [])
        for chord in CHORDS:
            key = self.app.get_key_display(Binding(self.chord_keys.get(chord.name, chord.key), ""))
            ident = [chord.binding_id] if len(table.columns) == 4 else []
            table.add_row(f"g {key}", chord.description, f"docs: {chord.docs}", *ident)
        return table

    def _table(self, title: str, rows: list[KeyRow]) -> Table:
        """key, action (and docs for chords), and the binding id when there is room."""
        with_ids = self.app.size.width >= WIDE_ENOUGH_FOR_IDS
        table = Table(title=title, title_justify="left", title_style="bold", box=None, expand=True)
        table.add_column("key", style="bold magenta", width=9, no_wrap=True)
        table.add_column("action", ratio=1, no_wrap=True, overflow="ellipsis")
        if not rows:  # the chord table has a docs column
            table.add_column("docs", style="dim", ratio=1, no_wrap=True, overflow="ellipsis")
        if with_ids:
            table.add_column("id", style="dim", no_wrap=True)
        table.show_header = False
        for row in rows:
            table.add_row(row.keys, row.description, *([row.binding_id] if with_ids else []))
        return table
