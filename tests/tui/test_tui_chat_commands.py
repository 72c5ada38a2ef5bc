"""The chat prompt in the whole app against the sandbox: every slash command, Tab
completion, history, the readline keys, ctrl+d, the options panel (validated, and the
options read back from a stored completion), stored completions and the Markdown export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chat_probe import ask, mounted_dock, notes, open_chat, status_text, type_line
from textual.widgets import Checkbox, DataTable, Input
from tui_helpers import MakeApp, settle, wait_until
from tui_probe import SIZE, sandbox_http, wait_toast

from xerotui.config.chat_prefs import ChatPrefs
from xerotui.launcher import SandboxInfo
from xerotui.tui.screens.chat_options import ChatOptionsScreen
from xerotui.tui.screens.chat_stored import ChatStoredScreen
from xerotui.tui.widgets.chat_dock import ChatDock
from xerotui.tui.widgets.chat_note import ChatNoteView


def note_views(dock: ChatDock) -> dict[str, str]:
    return {view.key: view.text for view in dock.transcript.query(ChatNoteView)}


async def command(pilot: Any, dock: ChatDock, line: str) -> str:
    """Run a slash command; the note it printed."""
    before = note_views(dock)
    await type_line(pilot, dock, line)
    await wait_until(
        pilot, lambda: bool(set(note_views(dock)) - set(before)), what=f"the output of {line}"
    )
    [new] = [text for key, text in note_views(dock).items() if key not in before]
    return new


async def test_every_slash_command(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        dock.prompt.cwd = tmp_path
        help_text = await command(pilot, dock, "/help")
        for line in ("Commands:", "/system <msg>", "/quit", "Pane commands:", "/export [file]"):
            assert line in help_text
        assert "ctrl+j" in help_text  # the pane's own keys
        assert "Unknown command /nope" in await command(pilot, dock, "/nope")

        entry = await ask(pilot, dock, "What is caching?")
        usage = app.chat.session.usage  # type: ignore[union-attr]
        tokens = await command(pilot, dock, "/tokens")
        assert f"Session usage: prompt {usage.prompt_tokens} · completion " in tokens
        assert "2 messages · 1 answers" in tokens

        assert "System message set" in await command(pilot, dock, "/system You are terse.")
        assert "System message: You are terse." in await command(pilot, dock, "/system")

        saved = await command(pilot, dock, "/save chat.json")
        assert saved == f"Saved 2 messages to {tmp_path / 'chat.json'}."
        document = json.loads((tmp_path / "chat.json").read_text())
        assert document["messages"][0] == {"role": "system", "content": "You are terse."}
        assert document["messages"][2]["content"] == entry.content

        cleared = await command(pilot, dock, "/clear")
        assert cleared == "Conversation cleared; the system message is kept."
        assert dock.transcript.messages() == []
        assert app.chat.session.system == "You are terse."  # type: ignore[union-attr]

        loaded = await command(pilot, dock, "/load chat.json")
        assert loaded.startswith("Loaded 2 messages from ")
        assert [v.shown for v in dock.transcript.messages()] == ["What is caching?", entry.content]

        assert "Exported" not in await command(pilot, dock, "/tokens")
        await type_line(pilot, dock, "/export talk.md")
        await wait_toast(pilot, str(tmp_path / "talk.md"))
        assert (tmp_path / "talk.md").read_text().startswith("# Chat with `llama-chat`")

        await type_line(pilot, dock, "/quit")
        await wait_until(pilot, lambda: not app.screen.query(ChatDock), what="the pane closed")
        await wait_toast(pilot, f"Total usage: prompt {usage.prompt_tokens}")


async def test_tab_completes_commands_and_paths(make_app: MakeApp, tmp_path: Path) -> None:
    (tmp_path / "chat-one.json").write_text("[]")
    (tmp_path / "notes").mkdir()
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        dock.prompt.cwd = tmp_path
        await pilot.press("slash", "s", "a", "tab")
        assert dock.input.text == "/save"
        await pilot.press("space", "c", "tab")
        assert dock.input.text == "/save chat-one.json"
        dock.input.set_text("/load n")
        await pilot.press("tab")
        assert dock.input.text == "/load notes/"
        dock.input.set_text("/s")
        await pilot.press("tab")  # several: the first, and a toast lists them
        assert dock.input.text == "/save"
        await wait_toast(pilot, "/save  /stored  /system")
        await pilot.press("tab")
        assert dock.input.text == "/stored"
        dock.input.set_text("hello")
        await pilot.press("tab")  # nothing to complete: to the messages
        assert dock.transcript.has_focus


async def test_up_and_down_recall_the_history_of_the_profile(make_app: MakeApp) -> None:
    app = make_app(dry_run=True)  # nothing needs to be answered here
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        for line in ("first question", "second question"):
            await type_line(pilot, dock, line)
        await pilot.press(*"draft")
        await pilot.press("up")
        assert dock.input.text == "second question"
        await pilot.press("up", "up")
        assert dock.input.text == "first question"
        await pilot.press("down")
        assert dock.input.text == "second question"
        await pilot.press("down")
        assert dock.input.text == "draft"
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "i")
        dock = await mounted_dock(pilot)
        await wait_until(pilot, lambda: dock.input.has_focus, what="the prompt")
        await pilot.press("up")
        assert dock.input.text == "second question"  # kept for the profile


async def test_readline_keys_and_ctrl_j_for_a_newline(make_app: MakeApp) -> None:
    app = make_app(dry_run=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        typed = dock.input
        await pilot.press(*"hello big world")
        await pilot.press("ctrl+w")
        assert typed.text == "hello big "
        await pilot.press("ctrl+a")
        assert typed.cursor_location == (0, 0)
        await pilot.press("ctrl+k")
        assert typed.text == ""
        await pilot.press(*"abc def", "left", "left", "left", "ctrl+u")
        assert typed.text == "def"
        await pilot.press("ctrl+e", "ctrl+j", *"second line")
        assert typed.text == "def\nsecond line"
        await pilot.press("ctrl+a", "ctrl+d")  # on text, ctrl+d deletes as in readline
        assert typed.text == "def\necond line"
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(notes(dock)), what="the dry run")
        assert '"content": "def\\necond line"' in notes(dock)[-1]


async def test_keys_typed_in_a_burst_keep_their_order(make_app: MakeApp) -> None:
    """Keys that arrive together (a fast typist, tmux send-keys) are handled in order:
    ctrl+j and enter act where they were typed, not after the keys behind them."""
    from textual import events

    app = make_app(dry_run=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        burst = [("a", "a"), ("ctrl+j", "\n"), ("b", "b"), ("enter", "\r"), ("c", "c")]
        for key, character in burst:
            app.post_message(events.Key(key, character))
        await wait_until(pilot, lambda: bool(notes(dock)), what="the dry run")
        await pilot.pause()
        assert '"content": "a\\nb"' in notes(dock)[-1]  # sent: what came before enter
        assert dock.input.text == "c"  # typed after enter: the next question


async def test_ctrl_d_on_an_empty_prompt_ends_the_chat_with_the_total_usage(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        await ask(pilot, dock, "hello")
        usage = app.chat.session.usage  # type: ignore[union-attr]
        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: not app.screen.query(ChatDock), what="the pane closed")
        _, text = await wait_toast(pilot, "Total usage")
        assert f"prompt {usage.prompt_tokens} · completion {usage.completion_tokens}" in text


async def fill(screen: ChatOptionsScreen, **values: str | bool) -> None:
    for name, value in values.items():
        if isinstance(value, bool):
            screen.query_one(f"#opt-{name}", Checkbox).value = value
        else:
            screen.query_one(f"#opt-{name}", Input).value = value


async def test_the_options_panel_checks_values_and_they_reach_the_request(
    make_app: MakeApp, sandbox: SandboxInfo, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, ChatOptionsScreen), what="panel")
        panel = app.screen
        assert isinstance(panel, ChatOptionsScreen)
        await fill(panel, temperature="3", top_p="x", system_file=str(tmp_path / "missing.txt"))
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ChatOptionsScreen)  # refused: nothing saved or sent
        errors = {
            name: str(panel.query_one(f"#err-{name}").render())
            for name in ("temperature", "top_p", "system_file")
        }
        assert errors["temperature"] == "temperature must be between 0.0 and 2.0 (got 3)"
        assert errors["top_p"] == "top-p must be a number (got 'x')"
        await pilot.press("ctrl+s")  # the file is checked once the numbers are fine
        persona = tmp_path / "persona.txt"
        persona.write_text("From the file.")
        await fill(
            panel,
            temperature="0",
            top_p="0.5",
            system="From the text.",
            system_file=str(persona),
            max_tokens="12",
            seed="42",
            model="llama-3",
            store=True,
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, ChatOptionsScreen), what="ok")
        await pilot.pause()
        assert "endpoint: llama-chat | model: llama-3 | tokens: 0/0" in status_text(dock)
        saved = ChatPrefs.load()[0].profile("test").options
        assert saved["max_tokens"] == 12
        assert saved["store"] is True
        entry = await ask(pilot, dock, "Name three caching strategies")
        assert (entry.finish_reason, entry.tokens) == ("length", 12)
        async with sandbox_http(sandbox) as http:
            chat = f"{sandbox.root_url}/{sandbox.project}/llama-chat/v1/chat/completions"
            base = f"{chat}/{entry.response_id}"
            stored = (await http.get(base)).json()
            messages = (await http.get(f"{base}/messages")).json()["data"]
        assert stored["usage"]["completion_tokens"] == 12
        assert [(m["role"], m["content"]) for m in messages] == [
            ("system", "From the file."),  # the file wins over the text
            ("user", "Name three caching strategies"),
        ]


async def test_stored_completions_are_listed_and_opened_from_the_pane(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        app.chat.apply_options(app.chat.session.options.replace(store=True))  # type: ignore[union-attr]
        entry = await ask(pilot, dock, "Store this answer")
        await pilot.press("tab", "s")
        await wait_until(pilot, lambda: isinstance(app.screen, ChatStoredScreen), what="list")
        screen = app.screen
        table = screen.query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count > 0, what="the stored completions")
        assert str(table.get_row_at(0)[0]) == entry.response_id
        await pilot.press("enter")
        body = screen.query_one("#stored-body")
        await wait_until(pilot, lambda: entry.content[:40] in str(body.render()), what="opened")
        await pilot.press("escape")
        assert not isinstance(app.screen, ChatStoredScreen)


async def test_e_exports_the_conversation_as_markdown(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        dock.prompt.cwd = tmp_path
        entry = await ask(pilot, dock, "Explain exports")
        await pilot.press("tab", "e")
        _, text = await wait_toast(pilot, "Conversation exported as Markdown")
        path, markdown = exported(tmp_path)
        assert str(path) in text
        assert "## You\n\nExplain exports" in markdown
        assert entry.content.rstrip() in markdown


def exported(directory: Path) -> tuple[Path, str]:
    [path] = directory.glob("chat-llama-chat-*.md")
    return path, path.read_text()
