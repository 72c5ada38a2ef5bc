"""Slash commands as logic: parsing, every command applied to a session on the sandbox,
Tab completion of commands and file paths, and the per-profile input history."""

from __future__ import annotations

import json
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from xerotui.api.chat import ChatSession
from xerotui.api.chat_commands import (
    COMMANDS,
    SlashCommand,
    SlashCommands,
    complete,
    parse,
)
from xerotui.api.chat_events import ChatEvent, TextDelta, TurnDone, TurnStopped
from xerotui.api.chat_input import InputHistory
from xerotui.api.chat_options import ChatOptions
from xerotui.api.client import XeroClient
from xerotui.config import paths
from xerotui.launcher import SandboxInfo


async def drain(events: AsyncIterator[ChatEvent]) -> list[ChatEvent]:
    return [event async for event in events]


@pytest.fixture
def session(client: XeroClient) -> ChatSession:
    return ChatSession(client, ChatOptions(endpoint="llama-chat", seed=4, system="Be brief."))


@pytest.fixture
def commands(session: ChatSession, tmp_path: Path) -> SlashCommands:
    return SlashCommands(session, cwd=tmp_path)


def run(commands: SlashCommands, line: str) -> tuple[bool, str, str]:
    parsed = parse(line)
    assert isinstance(parsed, SlashCommand)
    result = commands.run(parsed)
    return result.ok, result.text, result.action


def test_parse_tells_commands_from_messages() -> None:
    assert parse("hello") == "hello"
    assert parse("/save  my chat.json ") == SlashCommand("/save", "my chat.json")
    assert parse("/TOKENS") == SlashCommand("/tokens")
    assert parse("//etc/hosts is a file") == "/etc/hosts is a file"
    assert parse(" /help") == " /help"  # only a leading slash makes a command


def test_help_lists_every_command_and_key(commands: SlashCommands) -> None:
    ok, text, action = run(commands, "/help")
    assert (ok, action) == (True, "none")
    for name, arg, description in COMMANDS:
        assert f"{name} {arg}".strip() in text
        assert description in text
    for key in ("Up / Down", "Tab", "Ctrl+A / Ctrl+E", "Ctrl+U / Ctrl+K", "Ctrl+W", "Ctrl+D"):
        assert key in text
    assert "//" in text
    custom = SlashCommands(commands.session, keys=(("ctrl+j", "New line."),))
    assert "ctrl+j  New line." in custom.run(SlashCommand("/help")).text


async def test_clear_keeps_the_system_message(
    commands: SlashCommands, session: ChatSession
) -> None:
    await drain(session.send("Explain caching"))
    usage = session.usage.model_copy()
    ok, text, action = run(commands, "/clear")
    assert (ok, action) == (True, "redraw")
    assert text == "Conversation cleared; the system message is kept."
    assert session.entries == []
    assert session.system == "Be brief."
    assert session.usage == usage  # the session's totals are not the history
    assert [m.role for m in session.messages()] == ["system"]


async def test_system_sets_and_shows_the_system_message(
    commands: SlashCommands, session: ChatSession
) -> None:
    assert run(commands, "/system") == (True, "System message: Be brief.", "none")
    ok, text, _ = run(commands, "/system You are a SQL expert. Keep answers concise.")
    assert ok
    assert "applies from the next question" in text
    assert session.system == "You are a SQL expert. Keep answers concise."
    await drain(session.send("SELECT 1?"))
    assert session.messages()[0].content == "You are a SQL expert. Keep answers concise."
    session.set_system(None)
    assert run(commands, "/system")[1] == "No system message. Set one with /system <msg>."


async def test_save_and_load(commands: SlashCommands, session: ChatSession, tmp_path: Path) -> None:
    await drain(session.send("Explain caching"))
    ok, text, _ = run(commands, "/save chats/first.json")
    assert not ok
    assert text.startswith(f"Cannot save to {tmp_path / 'chats/first.json'}: ")
    ok, text, _ = run(commands, '/save "my chat.json"')
    assert (ok, text) == (True, f"Saved 2 messages to {tmp_path / 'my chat.json'}.")
    assert stat.S_IMODE((tmp_path / "my chat.json").stat().st_mode) == 0o600

    other = ChatSession(session.client, ChatOptions(endpoint="qwen-coder"))
    loader = SlashCommands(other, cwd=tmp_path)
    ok, text, action = run(loader, "/load my chat.json")
    assert (ok, action) == (True, "redraw")
    assert text == (
        f"Loaded 2 messages from {tmp_path / 'my chat.json'} (saved from endpoint llama-chat)."
    )
    assert [e.content for e in other.entries] == [e.content for e in session.entries]
    assert other.system == "Be brief."

    (tmp_path / "broken.json").write_text("[{", encoding="utf-8")
    ok, text, action = run(loader, "/load broken.json")
    assert (ok, action) == (False, "none")
    assert text.startswith("Cannot load: ")
    assert "is not valid JSON" in text
    assert [e.content for e in other.entries] == [e.content for e in session.entries]
    assert run(loader, "/load") == (False, "Usage: /load <file>", "none")
    assert run(loader, "/save") == (False, "Usage: /save <file>", "none")


async def test_save_accepts_home_relative_paths(commands: SlashCommands) -> None:
    assert run(commands, "/save ~/saved.json")[0]
    assert (Path.home() / "saved.json").exists()
    assert json.loads((Path.home() / "saved.json").read_text(encoding="utf-8"))["messages"] == [
        {"role": "system", "content": "Be brief."}
    ]


async def test_tokens_and_quit_report_the_usage(
    commands: SlashCommands, session: ChatSession
) -> None:
    ok, text, _ = run(commands, "/tokens")
    assert ok
    assert text == (
        "Session usage: prompt 0 · completion 0 · total 0 · cached 0 · reasoning 0\n"
        "0 messages · 0 answers"
    )
    end = (await drain(session.send("Explain caching")))[-1]
    assert isinstance(end, TurnDone)
    assert end.entry.usage is not None
    u = end.entry.usage
    line = (
        f"prompt {u.prompt_tokens} · completion {u.completion_tokens} · total {u.total_tokens}"
        " · cached 0 · reasoning 0"
    )
    assert run(commands, "/tokens") == (
        True,
        f"Session usage: {line}\n2 messages · 1 answers",
        "none",
    )
    assert run(commands, "/quit") == (True, f"Total usage: {line}", "quit")


async def test_quit_stops_an_answer_in_progress(
    commands: SlashCommands, session: ChatSession, sandbox: SandboxInfo
) -> None:
    async with httpx.AsyncClient(base_url=sandbox.root_url, timeout=10) as http:
        response = await http.post("/_sandbox/settings", json={"tokens_per_second": 40})
        response.raise_for_status()
    events = session.send("Tell me a long story")
    while not isinstance(await anext(events), TextDelta):
        pass
    assert run(commands, "/quit")[2] == "quit"
    assert isinstance((await drain(events))[-1], TurnStopped)
    assert not session.busy
    assert session.entries[-1].status == "stopped"


async def test_busy_and_unknown_commands_are_errors(
    commands: SlashCommands, session: ChatSession
) -> None:
    assert run(commands, "/frobnicate") == (
        False,
        "Unknown command /frobnicate. /help lists the commands.",
        "none",
    )
    events = session.send("Tell me a long story")
    await anext(events)
    ok, text, _ = run(commands, "/clear")
    assert (ok, text) == (False, "An answer is still arriving: wait for it or stop it (Esc)")
    session.stop()
    await drain(events)


def test_completion_of_commands() -> None:
    assert complete("/") == [name for name, _, _ in COMMANDS]
    assert complete("/s") == ["/system", "/save"]
    assert complete("/Q") == ["/quit"]
    assert complete("/x") == []
    assert complete("hello") == []
    assert complete("//x") == []
    assert complete("/tokens x") == []


def test_completion_of_file_paths(tmp_path: Path) -> None:
    tmp_path = tmp_path / "work"
    tmp_path.mkdir()
    (tmp_path / "chats").mkdir()
    (tmp_path / "chats" / "one.json").write_text("[]", encoding="utf-8")
    (tmp_path / "chats" / "two.json").write_text("[]", encoding="utf-8")
    (tmp_path / "chat-notes.md").write_text("", encoding="utf-8")
    (tmp_path / ".hidden.json").write_text("[]", encoding="utf-8")
    assert complete("/load ", tmp_path) == ["/load chat-notes.md", "/load chats/"]
    assert complete("/load ch", tmp_path) == ["/load chat-notes.md", "/load chats/"]
    assert complete("/save chats/", tmp_path) == ["/save chats/one.json", "/save chats/two.json"]
    assert complete("/load chats/t", tmp_path) == ["/load chats/two.json"]
    assert complete("/load .h", tmp_path) == ["/load .hidden.json"]
    assert complete("/load nowhere/x", tmp_path) == []
    absolute = complete(f"/load {tmp_path}/chats/o", Path("/"))
    assert absolute == [f"/load {tmp_path}/chats/one.json"]
    (Path.home() / "mine.json").write_text("[]", encoding="utf-8")
    assert complete("/load ~/mi", tmp_path) == ["/load ~/mine.json"]


def test_input_history_walks_like_a_shell() -> None:
    history = InputHistory.for_profile("local")
    assert history.previous("draft") is None
    for line in ("first", "second", "second", "  ", "third"):
        history.add(line)
    assert history.entries == ["first", "second", "third"]
    assert history.previous("typing...") == "third"
    assert history.previous("third") == "second"
    assert history.previous("second") == "first"
    assert history.previous("first") is None  # the oldest
    assert history.next() == "second"
    assert history.next() == "third"
    assert history.next() == "typing..."  # back to the draft
    assert history.next() is None


def test_input_history_is_kept_per_profile() -> None:
    local = InputHistory.for_profile("local", limit=3)
    for n in range(8):
        local.add(f"line {n}\nwith a newline")
    assert local.entries == [f"line {n}\nwith a newline" for n in (5, 6, 7)]
    again = InputHistory.for_profile("local", limit=3)
    assert again.entries == local.entries
    path = paths.chats_dir() / "local" / "input-history.jsonl"
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 6  # trimmed as it grows
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert InputHistory.for_profile("prod").entries == []
