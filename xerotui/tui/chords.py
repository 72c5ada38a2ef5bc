"""The g-chord table: press `g`, then one key. Mirrors the Xerotier docs' page shortcuts.

A chord is registered only when the screen it opens exists. The which-key popup, the help
overlay, the command palette and the README key table are all generated from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Chord:
    key: str
    name: str
    action: str
    description: str
    docs: str
    needs_model: bool = False
    tab: str = ""
    """Short label in the header's screen tabs (mode chords only)."""
    verb: str = "Go to"
    """How the command palette words it ("" for a chord that acts rather than goes)."""

    @property
    def binding_id(self) -> str:
        """Keymap id: `chord.<name>` (e.g. `chord.models = "m"` rebinds `g l` to `g m`)."""
        return f"chord.{self.name}"


ACT = ""
"""The `verb` of a chord that acts on models rather than goes to a screen."""

# In the order of the docs' Model Management shortcut table, then xerotui's own.
CHORDS: tuple[Chord, ...] = (
    Chord("o", "overview", "app.goto('overview')", "Overview", "Overview", tab="Overview"),
    Chord(
        "b",
        "connection",
        "app.goto('connection')",
        "Connection & profiles",
        "Base URL",
        tab="Connection",
    ),
    Chord("l", "models", "app.goto('models')", "Models", "List Models", tab="Models"),
    Chord("d", "detail", "app.open_detail", "Model detail", "Get Model Details", needs_model=True),
    Chord("u", "edit", "app.act('edit')", "Edit model", "Update Model", True, verb=ACT),
    Chord("x", "delete", "app.act('delete')", "Delete model(s)", "Delete Model", True, verb=ACT),
    Chord(
        "r",
        "revalidate",
        "app.revalidate",
        "Revalidate & watch",
        "Revalidate Model",
        needs_model=True,
        verb=ACT,
    ),
    Chord("s", "share", "app.act('share')", "Share to catalog", "Share Model", True, verb=ACT),
    Chord("n", "unshare", "app.act('unshare')", "Unshare", "Unshare Model", True, verb=ACT),
    Chord("c", "catalog", "app.act('catalog')", "Catalog panel", "Catalog Info", True),
    Chord("v", "versions", "app.open_versions", "Versions timeline", "Model Versions", True),
    Chord("e", "log", "app.goto('log')", "API log", "Error Responses", tab="Log"),
    Chord("t", "scope", "app.goto('scope')", "Scope table", "Scope Table", tab="Scope"),
    Chord("i", "chat", "app.chat", "Chat with an endpoint", "xeroctl chat --interactive"),
    Chord("j", "jobs", "app.goto('jobs')", "Jobs (revalidations)", "revalidate --wait", tab="Jobs"),
    Chord("p", "probe", "app.act('probe')", "Probe capabilities", "xeroctl probe", True, verb=ACT),
    Chord(
        "k",
        "capabilities",
        "app.act('capabilities')",
        "Set capabilities",
        "xeroctl set-capabilities",
        needs_model=True,
    ),
    Chord(
        "w",
        "recommend",
        "app.act('recommendations')",
        "Workspace recommendations",
        "xeroctl recommend",
    ),
    Chord("g", "top", "app.top", "Top of the list", "vim, k9s: G is the bottom", verb=ACT),
)

BY_NAME: dict[str, Chord] = {chord.name: chord for chord in CHORDS}

# Screens reachable by a chord, in the order the header shows them.
MODE_CHORDS: tuple[Chord, ...] = tuple(c for c in CHORDS if c.tab)

# The app's own keys (everywhere): the chord prefix, help and quit.
APP_BINDINGS: list[Binding] = [
    Binding("g", "chord", "Go to…", id="app.chord"),
    Binding("question_mark", "help", "Help", id="app.help"),
    Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False, priority=True),
    Binding("u", "undo", "Undo", id="app.undo"),
]
