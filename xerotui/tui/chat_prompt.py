"""ChatPrompt: what the chat pane's prompt does with a line — send it, run a slash command,
or (``--dry-run``) show the request instead of sending it — and its Tab completion.

The seed's commands (``/help /clear /system /save /load /tokens /quit``) run through
:class:`~xerotui.api.chat_commands.SlashCommands`; the pane adds a few of its own, listed
by ``/help`` after the seed's: ``/endpoint``, ``/options``, ``/export``, ``/stored``.
Output is shown as a note between the messages. What the pane itself must do (open a
panel, end the session) comes back as :attr:`PromptResult.action`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from xerotui.api.chat_commands import COMMANDS, SlashCommand, SlashCommands, complete, parse
from xerotui.api.chat_options import ChatOptions, ChatOptionsError
from xerotui.tui.chat_store import ChatStore

PaneAction = Literal["none", "options", "stored", "end", "endpoint"]

PANE_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("/endpoint", "[slug]", "Chat with another endpoint (no slug: choose one)."),
    ("/options", "", "Open the options panel."),
    ("/export", "[file]", "Export the conversation as Markdown (default: a file here)."),
    ("/stored", "", "List the completions this endpoint stored (option store)."),
)
PANE_NAMES = tuple(name for name, _, _ in PANE_COMMANDS)
PANE_KEYS: tuple[tuple[str, str], ...] = (  # /help's key list, as this pane has the keys
    ("enter / ctrl+j", "Send / insert a newline."),
    ("Up / Down", "Recall previous inputs from history."),
    ("Tab", "Complete slash commands and file paths; else go to the messages."),
    ("Ctrl+A / Ctrl+E", "Jump to start or end of line."),
    ("Ctrl+U / Ctrl+K", "Clear text before or after the cursor."),
    ("Ctrl+W", "Delete the previous word."),
    ("Ctrl+D", "End the session (EOF) on an empty prompt."),
    ("esc / ctrl+r", "Stop the answer / regenerate or retry it."),
    ("ctrl+t / ctrl+f", "Options / full screen and back."),
    ("ctrl+n / ctrl+o", "Another endpoint / back to the screen beside."),
    ("y c v e s", "On the messages: copy, copy code, raw JSON, export, stored."),
    ("< > q", "On the messages: narrower, wider, close the pane."),
)


@dataclass(frozen=True)
class PromptResult:
    """``accepted``: the line was used (the prompt empties); ``action``: what the pane does
    next; ``endpoint``: with ``endpoint``, the slug to open (None: ask for one)."""

    accepted: bool
    action: PaneAction = "none"
    endpoint: str | None = None


class ChatPrompt:
    """Lines typed at the prompt, for the store's current session."""

    def __init__(self, store: ChatStore, *, keys: tuple[tuple[str, str], ...] = ()) -> None:
        self.store = store
        self.keys = keys
        """The pane's keys, for /help."""
        self.cwd: Path | None = None

    def submit(self, text: str) -> PromptResult:
        store = self.store
        line = parse(text)
        if isinstance(line, SlashCommand):
            if store.history is not None:
                store.history.add(text)
            return self._command(line)
        if not line.strip():
            return PromptResult(False)
        session = store.session
        if session is None:
            store.app.notify("Choose an endpoint first.", severity="warning")
            return PromptResult(False)
        if store.busy:
            store.app.notify("An answer is still arriving: wait for it or stop it (esc).")
            return PromptResult(False)
        if store.history is not None:
            store.history.add(text)
        if store.dry_run:
            store.show_dry_run(session.dry_run(line))
            return PromptResult(True)
        return PromptResult(store.send(line))

    def complete(self, text: str) -> list[str]:
        """Tab candidates (whole lines): commands, file paths, endpoint slugs."""
        if not text.startswith("/") or text.startswith("//"):
            return []
        name, space, arg = text.partition(" ")
        if not space:
            seed = complete(text, self.cwd)
            return sorted({*seed, *(n for n in PANE_NAMES if n.startswith(name.lower()))})
        name = name.lower()
        if name == "/export":
            return [f"{name} {c.partition(' ')[2]}" for c in complete(f"/save {arg}", self.cwd)]
        if name == "/endpoint":
            return [f"{name} {slug}" for slug in self.store.endpoints() if slug.startswith(arg)]
        return complete(text, self.cwd)

    def end(self) -> str:
        """ctrl+d, /quit: stop the answer; the total usage to show."""
        session = self.store.session
        self.store.stop()
        return f"Total usage: {session.usage.line()}" if session is not None else ""

    def export(self, arg: str = "") -> Path | None:
        """Write the conversation as Markdown; a toast says where (or why not)."""
        session, app = self.store.session, self.store.app
        if session is None:
            return None
        if arg:
            path = SlashCommands(session, cwd=self.cwd).path(arg)
        else:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            path = (self.cwd or Path.cwd()) / f"chat-{session.endpoint}-{stamp}.md"
        try:
            session.export_markdown(path)
        except OSError as exc:
            message = f"Cannot export to {path}: {exc.strerror or exc}"
            app.notify(message, title="Export", severity="error", markup=False)
            return None
        app.notify(str(path), title="Conversation exported as Markdown", markup=False)
        return path

    # ------------------------------------------------------------------ commands

    def _command(self, command: SlashCommand) -> PromptResult:
        store = self.store
        if command.name == "/endpoint":
            return self._endpoint(command.arg)
        session = store.session
        if session is None:
            store.app.notify("Choose an endpoint first.", severity="warning")
            return PromptResult(False)
        if command.name == "/options":
            return PromptResult(True, "options")
        if command.name == "/stored":
            return PromptResult(True, "stored")
        if command.name == "/export":
            self.export(command.arg)
            return PromptResult(True)
        result = SlashCommands(session, cwd=self.cwd, keys=self.keys).run(command)
        lines = result.lines
        if command.name == "/help":
            width = max(len(f"{n} {a}".strip()) for n, a, _ in (*COMMANDS, *PANE_COMMANDS))
            lines = [*lines[:-1], "Pane commands:"]
            lines += [f"  {f'{n} {a}'.strip():<{width}}  {d}" for n, a, d in PANE_COMMANDS]
            lines.append(result.lines[-1])
        if result.action == "quit":
            return PromptResult(True, "end")
        store.note("\n".join(lines), "info" if result.ok else "error")
        return PromptResult(True)

    def _endpoint(self, arg: str) -> PromptResult:
        if not arg:
            return PromptResult(True, "endpoint")
        try:
            slug = ChatOptions.parse(endpoint=arg).endpoint
        except ChatOptionsError as exc:
            self.store.note(str(exc), "error")
            return PromptResult(True)
        return PromptResult(True, "endpoint", slug)
