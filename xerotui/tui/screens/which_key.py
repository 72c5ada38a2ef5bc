"""The which-key popup: after `g`, lists every key that may follow and what it does."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from xerotui.tui.chords import CHORDS, Chord
from xerotui.tui.host import host
from xerotui.tui.safety import SafeDispatch

NO_MODEL = "highlight a model first (g l)"


class WhichKeyScreen(SafeDispatch, ModalScreen[str | None]):
    """A pending `g` chord. Dismisses with the chord name, or None when cancelled."""

    DEFAULT_CSS = """
    WhichKeyScreen {
        background: transparent;
        align: right bottom;
    }
    WhichKeyScreen #which-key {
        width: 76;
        height: auto;
        margin: 0 2 2 0;
        padding: 0 2;
        background: $surface;
        border: round $accent;
    }
    WhichKeyScreen #which-key-title {
        margin-bottom: 1;
    }
    WhichKeyScreen #which-key-hint {
        margin-top: 1;
    }
    """
    BINDINGS = [
        *(
            Binding(c.key, f"pick('{c.name}')", c.description, id=c.binding_id, show=False)
            for c in CHORDS
        ),
        Binding("escape", "cancel", "Cancel", id="chord.cancel"),
    ]

    def __init__(self, *, has_model: bool) -> None:
        super().__init__()
        self.has_model = has_model

    def compose(self) -> ComposeResult:
        with Vertical(id="which-key"):
            yield Static("[b]g[/b] [dim]→ go to…[/dim]", id="which-key-title")
            yield Static(id="which-key-rows")
            yield Static("[dim]esc cancel · ? help[/dim]", id="which-key-hint")

    def on_mount(self) -> None:
        keys = host(self).chord_keys()
        table = Table.grid(padding=(0, 2))
        table.add_column(width=3, no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        for chord in CHORDS:
            key = self.app.get_key_display(Binding(keys.get(chord.name, chord.key), ""))
            if self.available(chord):
                table.add_row(Text(key, "bold magenta"), chord.description, Text(chord.docs, "dim"))
            else:
                table.add_row(
                    Text(key, "dim"), Text(chord.description, "dim"), Text(NO_MODEL, "dim")
                )
        self.query_one("#which-key-rows", Static).update(table)

    def available(self, chord: Chord) -> bool:
        return self.has_model or not chord.needs_model

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick" and parameters:
            chord = next(c for c in CHORDS if c.name == parameters[0])
            return True if self.available(chord) else None
        return True

    def on_key(self, event: events.Key) -> None:
        active = self.active_bindings.get(event.key)
        if active is not None and active.enabled:
            return  # the binding runs
        event.stop()
        event.prevent_default()
        if active is not None:
            self.notify(f"g {event.key}: {NO_MODEL}", severity="warning", timeout=4)
        elif event.key == "question_mark":
            self.dismiss("help")
            return
        else:
            self.notify(f"g {event.key} is not a chord", severity="warning", timeout=3)
        self.dismiss(None)

    def action_pick(self, name: str) -> None:
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
