"""ChatNoteView: a line of the pane between messages — command output, a dry run, an error.

Notes are the pane's own (not part of the conversation, never sent or saved). Their text
may quote a file or the server (a path, a loaded system prompt), so it is cleaned and
never read as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean


class ChatNoteView(SafeDispatch, Static):
    DEFAULT_CSS = """
    ChatNoteView {
        height: auto;
        margin: 0 0 1 0;
        padding: 0 1;
        color: $text-muted;
        border-left: outer $panel-lighten-2;
    }
    ChatNoteView.-error {
        color: $text-error;
        border-left: outer $error;
    }
    ChatNoteView.-dry-run {
        color: $text;
        border-left: outer $warning;
    }
    """

    def __init__(self, key: str, text: str, level: str) -> None:
        super().__init__(Text(clean(text)), classes=f"-{level}")
        self.key = key
        self.text = text
