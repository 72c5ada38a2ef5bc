"""Nothing lost, and the command line: the conversation is back after closing the pane, after
restarting xerotui and after xerotui was killed mid-stream; /save and /load round-trip;
`xerotui --chat SLUG` with xeroctl chat's flags opens the pane preset, checked as the pane
checks them."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from chat_probe import (
    ask,
    last_view,
    meta_text,
    mounted_dock,
    open_chat,
    slow_tokens,
    status_text,
    type_line,
)
from pty_terminal import Terminal, cli_env, wait_for
from tui_helpers import MakeApp, settle, wait_until
from tui_probe import SIZE

from xerotui.__main__ import main, parser
from xerotui.api import chat_options
from xerotui.api.chat_autosave import KILLED, TranscriptAutosave
from xerotui.api.requestlog import RequestLog
from xerotui.chat_flags import FLAGS
from xerotui.chat_flags import chat_options as options_from
from xerotui.config.settings import Settings
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.chat_options import ChatOptionsScreen
from xerotui.tui.session import SessionOpener
from xerotui.tui.widgets.chat_dock import ChatDock


async def reopen(pilot: Any) -> ChatDock:
    """g i on an app whose profile chatted before: the pane opens on that endpoint."""
    await pilot.press("g", "i")
    dock = await mounted_dock(pilot)
    await wait_until(pilot, lambda: dock.input.has_focus, what="the prompt")
    await wait_until(pilot, lambda: len(dock.transcript.messages()) > 0, what="the messages")
    return dock


async def test_the_conversation_is_back_after_closing_the_pane_and_restarting(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        first = await ask(pilot, dock, "First question")
        second = await ask(pilot, dock, "Second question")
        bar = status_text(dock).split("  ")[0]
        await pilot.press("tab", "q")  # close the pane
        await wait_until(pilot, lambda: not app.screen.query(ChatDock), what="closed")
        dock = await reopen(pilot)
        shown = [v.shown for v in dock.transcript.messages()]
        assert shown == ["First question", first.content, "Second question", second.content]
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await reopen(pilot)
        assert [v.shown for v in dock.transcript.messages()] == shown
        assert status_text(dock).startswith(bar)  # usage totals restored too


def _partial_text(info_dir: Path) -> str:
    """The answer text in the journal (complete lines only)."""
    journal = info_dir / "llama-chat.json.partial"
    try:
        lines = journal.read_text().splitlines()
    except OSError:
        return ""
    parts = []
    for line in lines[1:]:
        try:
            parts.append(json.loads(line))
        except ValueError:
            break
    return "".join(parts)


async def test_the_answer_survives_a_kill_mid_stream(sandbox: SandboxInfo) -> None:
    await slow_tokens(sandbox, 40)
    chats = TranscriptAutosave.for_endpoint("custom", "llama-chat").path.parent
    args = ["--base-url", sandbox.base_url, "--api-key", sandbox.api_key]
    terminal = Terminal(*args, "--chat", "llama-chat", "--show-usage", env=cli_env())
    try:
        await asyncio.to_thread(
            wait_for, lambda: "Chat · llama-chat" in terminal.text(), 60, "the chat pane"
        )
        terminal.send(b"Tell me a long story about caches\r")
        await asyncio.to_thread(
            wait_for, lambda: len(_partial_text(chats)) > 40, 60, "text on disk while streaming"
        )
        terminal.proc.kill()  # SIGKILL: no chance to save anything more
        terminal.proc.wait(10)
    finally:
        terminal.close()
    on_disk = _partial_text(chats)
    opener = SessionOpener(RequestLog())
    session = opener.open(sandbox.base_url, sandbox.api_key, profile="custom", origin="test")
    app = XeroApp(session, Settings(refresh_interval=0), opener=opener)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await reopen(pilot)
        entries = app.chat.session.entries  # type: ignore[union-attr]
        assert [(e.role, e.status) for e in entries] == [
            ("user", "complete"),
            ("assistant", "incomplete"),
        ]
        assert entries[0].content == "Tell me a long story about caches"
        assert entries[1].content == on_disk
        assert entries[1].error == KILLED
        text = " ".join(meta_text(last_view(dock)).split())
        assert "xerotui stopped during this answer" in text
        assert "ctrl+r asks again" in text
        chat = app.chat.session
        assert chat is not None
        assert chat.options.show_usage is False  # flags are for their run only
    assert not app.unexpected_errors


async def test_save_and_load_round_trip_into_another_run(make_app: MakeApp, tmp_path: Path) -> None:
    target = tmp_path / "saved.json"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        entry = await ask(pilot, dock, "Round trip")
        await type_line(pilot, dock, f"/save {target}")
        await wait_until(pilot, target.exists, what="the saved file")
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot, "qwen-coder")
        await type_line(pilot, dock, f"/load {target}")
        await wait_until(pilot, lambda: len(dock.transcript.messages()) == 2, what="loaded")
        assert [v.shown for v in dock.transcript.messages()] == ["Round trip", entry.content]
        # The loaded history is sent with the next question.
        follow = await ask(pilot, dock, "And now?")
        assert follow.status == "complete"
        assert again.chat.session.message_count == 4  # type: ignore[union-attr]


def test_the_chat_flags_are_xeroctl_chats() -> None:
    assert {k: v for k, v in chat_options.FLAGS.items() if k not in ("endpoint", "stream")} == {
        k: v for k, v in FLAGS.items() if k != "endpoint"
    }


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--temperature", "3"], "argument --temperature: temperature must be between 0.0 and 2.0"),
        (["--top-p", "x"], "argument --top-p: top-p must be a number (got 'x')"),
        (["--max-tokens", "0"], "argument --max-tokens: max tokens must be at least 1 (got 0)"),
        (["--from-file", "/nope/x"], "argument --from-file: cannot read the system prompt file"),
    ],
)
def test_bad_chat_flags_end_the_command_line_naming_the_flag(
    capsys: pytest.CaptureFixture[str], flags: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--chat", "llama-chat", *flags])
    assert ended.value.code == 2
    assert message in capsys.readouterr().err


def test_a_chat_flag_needs_the_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--seed", "4"])
    assert "argument --seed: needs --chat SLUG" in capsys.readouterr().err


async def test_chat_slug_opens_the_pane_with_the_flags_preset(make_app: MakeApp) -> None:
    cli = parser()
    args: argparse.Namespace = cli.parse_args(
        ["--chat", "llama-chat", "--model", "llama-3", "--max-tokens", "9", "--seed", "7",
         "--temperature", "0.5", "--system", "Be brief.", "--show-usage"]
    )  # fmt: skip
    options = options_from(args, cli)
    assert options is not None
    app = make_app()
    app.chat.start_with(options)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await mounted_dock(pilot)
        await wait_until(pilot, lambda: dock.input.has_focus, what="the prompt")
        assert "endpoint: llama-chat | model: llama-3" in status_text(dock)
        entry = await ask(pilot, dock, "Go")
        assert (entry.finish_reason, entry.tokens) == ("length", 9)
        assert f"response id {entry.response_id}" in meta_text(last_view(dock))
        assert app.chat.session.system == "Be brief."  # type: ignore[union-attr]
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, ChatOptionsScreen), what="panel")
        values = app.screen.values()  # type: ignore[attr-defined]
        assert (values["seed"], values["temperature"], values["show_usage"]) == (7, 0.5, True)
