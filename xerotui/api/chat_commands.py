"""SlashCommands: the interactive commands of `xeroctl chat`, as logic without a screen.

:func:`parse` tells a command from a message (a line starting with ``//`` sends the rest as
text that begins with ``/``); :meth:`SlashCommands.run` applies a command to a
:class:`~xerotui.api.chat.ChatSession` and returns what to show and what the UI should do
(redraw the conversation, or end the session); :func:`complete` gives Tab candidates:
command names, then file paths after ``/save`` and ``/load``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from xerotui.api.chat import ChatSession, ChatSessionError
from xerotui.api.chat_transcript import Transcript, TranscriptError

__all__ = ["COMMANDS", "CommandResult", "SlashCommand", "SlashCommands", "complete", "parse"]

# Name, argument, description: as the seed's table of interactive commands.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("/help", "", "Show available commands and keyboard shortcuts."),
    ("/clear", "", "Clear conversation history while keeping the system message."),
    ("/system", "<msg>", "Set or replace the system message mid-session."),
    ("/save", "<file>", "Save the current conversation history to a JSON file."),
    ("/load", "<file>", "Load a previously saved conversation from a JSON file."),
    ("/tokens", "", "Show cumulative token usage and message count for the session."),
    ("/quit", "", "End the session and print total token usage. Also triggered by Ctrl+D."),
)
NAMES = tuple(name for name, _, _ in COMMANDS)
# The seed's line-editor keys; a UI passes its own list when its keys differ.
DEFAULT_KEYS: tuple[tuple[str, str], ...] = (
    ("Up / Down", "Recall previous inputs from history."),
    ("Tab", "Auto-complete slash commands."),
    ("Ctrl+A / Ctrl+E", "Jump to start or end of line."),
    ("Ctrl+U / Ctrl+K", "Clear text before or after the cursor."),
    ("Ctrl+W", "Delete the previous word."),
    ("Ctrl+D", "End the session (EOF)."),
)
MAX_CANDIDATES = 200

Action = Literal["none", "redraw", "quit"]


@dataclass(frozen=True)
class SlashCommand:
    name: str  # "/save"; unknown names are kept so run() can say so
    arg: str = ""


@dataclass(frozen=True)
class CommandResult:
    """Lines to show; ``ok`` False for an error; ``action`` for the UI: ``redraw`` the
    conversation (it changed), or ``quit`` (end the session)."""

    lines: list[str] = field(default_factory=list)
    ok: bool = True
    action: Action = "none"

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def parse(text: str) -> SlashCommand | str:
    """The command typed, or the message to send."""
    if text.startswith("//"):
        return text[1:]
    if not text.startswith("/"):
        return text
    name, _, arg = text.strip().partition(" ")
    return SlashCommand(name.lower(), arg.strip())


def _unquote(arg: str) -> str:
    if len(arg) >= 2 and arg[0] == arg[-1] and arg[0] in "\"'":
        return arg[1:-1]
    return arg


class SlashCommands:
    """Runs commands on one session. ``cwd`` resolves relative file names."""

    def __init__(
        self,
        session: ChatSession,
        *,
        cwd: Path | None = None,
        keys: tuple[tuple[str, str], ...] = DEFAULT_KEYS,
    ) -> None:
        self.session = session
        self.cwd = cwd
        self.keys = keys

    def run(self, command: SlashCommand) -> CommandResult:
        handlers = {
            "/help": self._help,
            "/clear": self._clear,
            "/system": self._system,
            "/save": self._save,
            "/load": self._load,
            "/tokens": self._tokens,
            "/quit": self._quit,
        }
        handler = handlers.get(command.name)
        if handler is None:
            return _error(f"Unknown command {command.name}. /help lists the commands.")
        try:
            return handler(command.arg)
        except ChatSessionError as exc:
            return _error(str(exc))

    def path(self, arg: str) -> Path:
        path = Path(_unquote(arg)).expanduser()
        return path if path.is_absolute() else (self.cwd or Path.cwd()) / path

    # ------------------------------------------------------------------ commands

    def _help(self, _: str) -> CommandResult:
        width = max(len(f"{n} {a}".strip()) for n, a, _ in COMMANDS)
        lines = ["Commands:"]
        lines += [f"  {f'{n} {a}'.strip():<{width}}  {d}" for n, a, d in COMMANDS]
        key_width = max(len(k) for k, _ in self.keys)
        lines += ["Keys:"] + [f"  {k:<{key_width}}  {d}" for k, d in self.keys]
        lines.append("Start a message with // to send text that begins with /.")
        return CommandResult(lines)

    def _clear(self, _: str) -> CommandResult:
        self.session.clear()
        kept = "; the system message is kept" if self.session.system else ""
        return CommandResult([f"Conversation cleared{kept}."], action="redraw")

    def _system(self, arg: str) -> CommandResult:
        if not arg:
            current = self.session.system
            if current is None:
                return CommandResult(["No system message. Set one with /system <msg>."])
            return CommandResult([f"System message: {current}"])
        self.session.set_system(arg)
        return CommandResult(["System message set; it applies from the next question."])

    def _save(self, arg: str) -> CommandResult:
        if not arg:
            return _error("Usage: /save <file>")
        path = self.path(arg)
        try:
            count = self.session.save(path)
        except OSError as exc:
            return _error(f"Cannot save to {path}: {exc.strerror or exc}")
        return CommandResult([f"Saved {count} messages to {path}."])

    def _load(self, arg: str) -> CommandResult:
        if not arg:
            return _error("Usage: /load <file>")
        path = self.path(arg)
        try:
            transcript = Transcript.read(path)
        except TranscriptError as exc:
            return _error(f"Cannot load: {exc}")
        self.session.load(transcript)
        line = f"Loaded {self.session.message_count} messages from {path}"
        if transcript.endpoint and transcript.endpoint != self.session.endpoint:
            line += f" (saved from endpoint {transcript.endpoint})"
        return CommandResult([line + "."], action="redraw")

    def _tokens(self, _: str) -> CommandResult:
        usage = self.session.usage
        return CommandResult(
            [
                f"Session usage: {usage.line()}",
                f"{self.session.message_count} messages · {usage.answers} answers",
            ]
        )

    def _quit(self, _: str) -> CommandResult:
        self.session.stop()
        return CommandResult([f"Total usage: {self.session.usage.line()}"], action="quit")


def _error(message: str) -> CommandResult:
    return CommandResult([message], ok=False)


def complete(text: str, cwd: Path | None = None) -> list[str]:
    """Tab candidates as whole input lines: command names for ``/`` prefixes, file and
    directory names (directories end in ``/``) after ``/save`` and ``/load``."""
    if not text.startswith("/") or text.startswith("//"):
        return []
    name, space, arg = text.partition(" ")
    if not space:
        return [n for n in NAMES if n.startswith(name.lower())]
    if name.lower() not in ("/save", "/load"):
        return []
    return [f"{name} {path}" for path in _paths(arg.lstrip(), cwd or Path.cwd())]


def _paths(typed: str, cwd: Path) -> list[str]:
    """Names in the directory ``typed`` points into that start with its last part."""
    cut = typed.rfind("/") + 1
    head, base = typed[:cut], typed[cut:]
    directory = Path(head or ".").expanduser()
    if not directory.is_absolute():
        directory = cwd / directory
    try:
        with os.scandir(directory) as listing:
            found = []
            for item in listing:
                if not item.name.startswith(base):
                    continue
                if item.name.startswith(".") and not base.startswith("."):
                    continue
                found.append(head + item.name + ("/" if item.is_dir() else ""))
    except OSError:
        return []
    return sorted(found)[:MAX_CANDIDATES]
