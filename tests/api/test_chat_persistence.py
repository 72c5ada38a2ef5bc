"""Nothing lost: the autosaved transcript (restored on reopen, and after the process was
killed mid-stream), /save and /load files, and the Markdown export."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from xerotui.api.chat import ChatSession
from xerotui.api.chat_autosave import KILLED, Journal, TranscriptAutosave
from xerotui.api.chat_events import ChatEvent, TextDelta, TurnDone, TurnStopped
from xerotui.api.chat_options import ChatOptions
from xerotui.api.chat_transcript import Transcript, TranscriptError
from xerotui.api.client import XeroClient
from xerotui.config import paths
from xerotui.launcher import SandboxInfo

PROFILE = "xeroctl:local"  # a name that needs escaping to be a directory


async def drain(events: AsyncIterator[ChatEvent]) -> list[ChatEvent]:
    return [event async for event in events]


async def set_speed(sandbox: SandboxInfo, tokens_per_second: float) -> None:
    async with httpx.AsyncClient(base_url=sandbox.root_url, timeout=10) as http:
        response = await http.post(
            "/_sandbox/settings", json={"tokens_per_second": tokens_per_second}
        )
        response.raise_for_status()


def options(**values: Any) -> ChatOptions:
    values.setdefault("endpoint", "llama-chat")
    values.setdefault("seed", 9)
    return ChatOptions.parse(values)


def summary(session: ChatSession) -> list[tuple[str, str, str, str | None]]:
    return [(e.role, e.content, e.status, e.response_id) for e in session.entries]


async def test_the_conversation_is_restored_when_reopened(
    client: XeroClient, sandbox: SandboxInfo
) -> None:
    session = ChatSession.open(client, options(system="Be brief."), profile=PROFILE)
    assert session.entries == []
    assert isinstance((await drain(session.send("Explain caching")))[-1], TurnDone)
    await set_speed(sandbox, 40)
    async for event in session.send("And eviction?"):
        if isinstance(event, TextDelta):
            session.stop()
    assert session.entries[-1].status == "stopped"

    reopened = ChatSession.open(client, options(), profile=PROFILE)
    assert reopened.restore_problem is None
    assert summary(reopened) == summary(session)
    assert reopened.system == "Be brief."  # the conversation's own system message
    assert reopened.usage == session.usage
    assert reopened.last_response_id == session.last_response_id
    assert reopened.entries[1].footer == session.entries[1].footer
    assert reopened.status_bar() == session.status_bar()

    flagged = ChatSession.open(client, options(system="Be verbose."), profile=PROFILE)
    assert flagged.system == "Be verbose."  # a system prompt given now wins

    saved = TranscriptAutosave.for_endpoint(PROFILE, "llama-chat")
    assert saved.path.parent == paths.chats_dir() / "xeroctl%3Alocal"
    assert stat.S_IMODE(saved.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.path.parent.stat().st_mode) == 0o700
    assert not saved.journal_path.exists()  # dropped once the answer was final

    other = ChatSession.open(client, options(endpoint="qwen-coder"), profile=PROFILE)
    assert other.entries == []  # one transcript per profile and endpoint
    await set_speed(sandbox, 2000)
    await drain(other.send("hi"))
    assert TranscriptAutosave.used_endpoints(PROFILE) == ["qwen-coder", "llama-chat"]
    assert TranscriptAutosave.used_endpoints("another-profile") == []


async def test_a_corrupt_transcript_is_moved_aside(client: XeroClient) -> None:
    saved = TranscriptAutosave.for_endpoint(PROFILE, "llama-chat")
    saved.path.parent.mkdir(parents=True)
    saved.path.write_text("{not json", encoding="utf-8")
    session = ChatSession.open(client, options(), profile=PROFILE)
    assert session.entries == []
    assert session.restore_problem is not None
    assert "could not be read" in session.restore_problem
    aside = [p for p in saved.path.parent.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1
    assert aside[0].read_text(encoding="utf-8") == "{not json"
    assert isinstance((await drain(session.send("hi")))[-1], TurnDone)  # still usable


CHILD = """
import asyncio, json, sys
from xerotui.api.chat import ChatSession
from xerotui.api.chat_events import TextDelta
from xerotui.api.chat_options import ChatOptions
from xerotui.api.client import XeroClient

async def main() -> None:
    async with XeroClient(sys.argv[1], sys.argv[2]) as client:
        options = ChatOptions.parse(endpoint="llama-chat", seed=9)
        session = ChatSession.open(client, options, profile=sys.argv[3])
        async for event in session.send("Write about resilient systems"):
            if isinstance(event, TextDelta):
                print(json.dumps(event.text), flush=True)

asyncio.run(main())
"""


async def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll a condition (generous bound: 30 s)."""
    for _ in range(3000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def journaled_lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


async def test_restore_after_the_process_was_killed_mid_stream(
    client: XeroClient, sandbox: SandboxInfo
) -> None:
    await set_speed(sandbox, 20)  # about ten seconds for the whole answer
    saved = TranscriptAutosave.for_endpoint(PROFILE, "llama-chat")
    child = await asyncio.create_subprocess_exec(
        *[sys.executable, "-c", CHILD, sandbox.base_url, sandbox.api_key, PROFILE],
        stdout=asyncio.subprocess.PIPE,
        env=os.environ.copy(),
    )
    try:
        assert child.stdout is not None
        received = [json.loads(await child.stdout.readline()) for _ in range(5)]
        assert all(received)
        # header + at least two flushes of text
        await wait_for(lambda: journaled_lines(saved.journal_path) >= 3, "the journal")
        on_disk = json.loads(saved.path.read_text(encoding="utf-8"))
        assert on_disk["messages"][-1] == {"role": "assistant", "content": ""}
        assert on_disk["meta"][-1]["status"] == "streaming"
    finally:
        child.kill()
        await child.wait()
    assert child.returncode == -9

    restored = ChatSession.open(client, options(), profile=PROFILE)
    assert [(e.role, e.status) for e in restored.entries] == [
        ("user", "complete"),
        ("assistant", "incomplete"),
    ]
    partial = restored.entries[-1].content
    assert partial
    assert restored.entries[-1].error == KILLED
    assert not saved.journal_path.exists()
    assert restored.can_retry

    await set_speed(sandbox, 2000)
    done = (await drain(restored.retry()))[-1]
    assert isinstance(done, TurnDone)
    assert done.entry.content.startswith(partial)  # the same answer, deterministic by seed
    assert len(done.entry.content) > len(partial)


async def test_save_and_load_round_trip(client: XeroClient, tmp_path: Path) -> None:
    session = ChatSession(client, options(system="Be brief.", model="llama-3", temperature=0.3))
    await drain(session.send("Explain caching"))
    await drain(session.send("Explain eviction"))
    path = tmp_path / "chat.json"
    assert session.save(path) == 4
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [m["role"] for m in data["messages"]] == [
        "system",
        "user",
        "assistant",
        "user",
        "assistant",
    ]
    assert all(set(m) == {"role", "content"} for m in data["messages"])  # plain OpenAI messages
    assert (data["format"], data["endpoint"], data["model"]) == (
        "xerotui-chat/1",
        "llama-chat",
        "llama-3",
    )
    assert data["options"]["temperature"] == 0.3
    assert data["usage"]["completion_tokens"] == session.usage.completion_tokens
    assert data["last_response_id"] == session.last_response_id
    assert [m["index"] for m in data["meta"]] == [2, 4]
    assert data["meta"][0]["response_id"] == session.entries[1].response_id

    other = ChatSession(client, options(endpoint="qwen-coder"))
    other.load(Transcript.read(path))
    assert summary(other) == summary(session)
    assert other.system == "Be brief."
    assert other.entries[1].usage == session.entries[1].usage
    assert isinstance((await drain(other.send("And then?")))[-1], TurnDone)
    assert other.messages()[0].content == "Be brief."
    assert len(other.messages()) == 7  # the loaded history was sent


def test_a_plain_messages_array_loads(tmp_path: Path) -> None:
    messages = [
        {"role": "system", "content": "You are a SQL expert."},
        {"role": "user", "content": "SELECT?"},
        {"role": "assistant", "content": [{"type": "text", "text": "Yes, "}, {"text": "SELECT."}]},
        {"role": "user", "content": None},
    ]
    path = tmp_path / "plain.json"
    path.write_text(json.dumps(messages), encoding="utf-8")
    transcript = Transcript.read(path)
    assert transcript.system == "You are a SQL expert."
    assert [(e.role, e.content, e.status) for e in transcript.entries] == [
        ("user", "SELECT?", "complete"),
        ("assistant", "Yes, SELECT.", "complete"),
        ("user", "", "complete"),
    ]
    path.write_text(json.dumps({"messages": messages[1:2], "extra": 1}), encoding="utf-8")
    assert Transcript.read(path).system is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{oops", "is not valid JSON (Expecting property name enclosed in double quotes at line 1"),
        ('{"messages": 3}', "expected a JSON array of messages or an object with messages"),
        ('"text"', "expected a JSON array of messages or an object with messages"),
        ('[{"role": "bot", "content": "x"}]', "message 1: role must be one of system, user"),
        ('[{"role": "user", "content": 5}]', "message 1: content must be text"),
        ("[1]", "message 1 is not an object with role and content"),
    ],
)
def test_files_that_are_not_conversations(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TranscriptError) as info:
        Transcript.read(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)
    with pytest.raises(TranscriptError, match="cannot read"):
        Transcript.read(tmp_path / "missing.json")


def test_bad_metadata_is_ignored_but_messages_load() -> None:
    data = {
        "messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}],
        "meta": [{"index": 1, "status": "weird"}, {"index": 9}, "junk", {"index": 1, "tokens": 3}],
        "usage": {"prompt_tokens": "many"},
    }
    transcript = Transcript.from_json(data)
    assert [(e.content, e.status, e.tokens) for e in transcript.entries] == [
        ("q", "complete", None),
        ("a", "complete", 3),
    ]
    assert transcript.usage is None


async def test_markdown_export(client: XeroClient, sandbox: SandboxInfo, tmp_path: Path) -> None:
    session = ChatSession(client, options(system="Be brief.", model="llama-3"))
    await drain(session.send("Explain caching"))
    await set_speed(sandbox, 40)
    async for event in session.send("And eviction?"):
        if isinstance(event, TextDelta):
            session.stop()
        last = event
    assert isinstance(last, TurnStopped)
    text = session.to_markdown()
    assert text.startswith("# Chat with `llama-chat`\n\n_Exported ")
    assert "model llama-3 · 4 messages" in text
    for part in ("## System\n\nBe brief.", "## You\n\nExplain caching", "## Assistant\n\n"):
        assert part in text
    assert session.entries[1].content.strip() in text
    assert "```python" in text  # the answer's code block, as Markdown
    assert "> _Stopped: generation was cancelled; the answer is partial._" in text
    footer = session.entries[1].footer
    assert footer is not None
    assert f"`{footer} · first token in" in text
    session.export_markdown(tmp_path / "chat.md")
    exported = (tmp_path / "chat.md").read_text(encoding="utf-8")
    assert exported.split("\n", 3)[3] == text.split("\n", 3)[3]  # all but the date line


async def test_a_failed_autosave_never_stops_the_chat(client: XeroClient) -> None:
    paths.chats_dir().mkdir(parents=True)
    (paths.chats_dir() / "local").write_text("a file where the directory should be")
    session = ChatSession.open(client, options(), profile="local")
    assert session.restore_problem is not None
    assert session.restore_problem.startswith("Cannot read the saved chat")
    end = (await drain(session.send("hello")))[-1]
    assert isinstance(end, TurnDone)
    assert end.entry.content
    assert session.save_problem is not None
    assert session.save_problem.startswith("Cannot save the chat to ")


def test_the_journal_skips_a_line_cut_short(tmp_path: Path) -> None:
    journal = tmp_path / "chat.json.partial"
    journal.write_text('{"entry": "abc"}\n"Hello, "\n"world"\n"and mo', encoding="utf-8")
    assert Journal.read(journal, "abc") == "Hello, world"
    assert Journal.read(journal, "another-answer") is None
    assert Journal.read(tmp_path / "missing", "abc") is None
