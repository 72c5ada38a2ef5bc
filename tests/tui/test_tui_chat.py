"""The chat pane in the whole app against the sandbox over real HTTP: streamed answers with
xeroctl's footer and status bar, beside the models table (which stays usable), full screen,
width, Esc, a cut stream, an unknown endpoint, a 429, streaming off, usage, dry run."""

from __future__ import annotations

import json
import re

from chat_probe import (
    ask,
    last_view,
    meta_text,
    mounted_dock,
    notes,
    open_chat,
    slow_tokens,
    status_text,
    type_line,
)
from tui_helpers import MakeApp, current_focus, settle, wait_until
from tui_probe import SIZE, set_faults, toasts

from xerotui.config.chat_prefs import ChatPrefs
from xerotui.launcher import SandboxInfo
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.widgets.chat_answer import ChatAnswer
from xerotui.tui.widgets.footer import XeroFooter
from xerotui.tui.widgets.model_grid import ModelGrid

FOOTER = re.compile(r"^-- (\d+) tokens in \d+\.\ds \(\d+\.\d tok/s\) · first token in \d+\.\d\ds$")


async def test_a_streamed_answer_appears_with_the_footer_and_status_bar(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        assert isinstance(app.screen, ModelsScreen)  # the pane is beside the table
        table = app.screen.query_one(ModelGrid)
        assert table.size.width + dock.outer_size.width == SIZE[0]
        entry = await ask(pilot, dock, "Write a python function for caching")
        assert entry.status == "complete"
        assert entry.content
        view = last_view(dock)
        assert view.shown == entry.content
        assert "```" in view.query_one(ChatAnswer).source  # Markdown with its code block
        footer = meta_text(view).splitlines()[0]
        match = FOOTER.match(footer)
        assert match, footer
        usage = app.chat.session.usage  # type: ignore[union-attr]
        assert int(match.group(1)) == usage.completion_tokens > 0
        bar = f"endpoint: llama-chat | tokens: {usage.prompt_tokens}/{usage.completion_tokens}"
        assert f"{bar} | msgs: 2" in status_text(dock)


async def test_the_table_beside_stays_usable_and_ctrl_o_moves_between_them(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        footer = app.screen.query_one(XeroFooter)
        await pilot.pause()
        assert ("ctrl+o", "Leave chat") in [(k, d) for k, _, d, _ in footer.keys_shown()]
        first = app.feed.highlighted
        await pilot.press("ctrl+o")
        assert isinstance(app.focused, ModelGrid)
        assert ("ctrl+o", "Chat") in [(k, d) for k, _, d, _ in footer.keys_shown()]
        await pilot.press("down", "down")
        assert app.feed.highlighted != first  # the table takes its keys again
        await pilot.press("ctrl+o")
        assert current_focus(app) is dock.input


async def test_full_screen_and_the_width_are_remembered(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        start = ChatPrefs.load()[0].width
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert dock.outer_size.width == SIZE[0]
        assert dock.has_class("-full")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert not dock.has_class("-full")
        await pilot.press("tab")  # to the messages: the width keys
        assert dock.transcript.has_focus
        await pilot.press("greater_than_sign", "greater_than_sign", "less_than_sign")
        await pilot.pause()
        assert ChatPrefs.load()[0].width == start + 5
        assert dock.outer_size.width == round(SIZE[0] * (start + 5) / 100)
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "i")  # the last endpoint of the profile opens directly
        dock = await mounted_dock(pilot)
        await wait_until(pilot, lambda: dock.input.has_focus, what="the prompt")
        assert again.chat.session is not None
        assert again.chat.session.endpoint == "llama-chat"
        assert dock.outer_size.width == round(SIZE[0] * (start + 5) / 100)


async def test_escape_stops_mid_stream_and_keeps_the_partial_answer(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    await slow_tokens(sandbox, 40)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        await type_line(pilot, dock, "Tell me a long story about caching")
        await wait_until(pilot, lambda: len(app.chat.stream.live_text) > 20, what="some text")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.chat.busy, what="the stop")
        await pilot.pause()
        entry = app.chat.session.entries[-1]  # type: ignore[union-attr]
        assert entry.status == "stopped"
        assert len(entry.content) > 20
        assert last_view(dock).shown == entry.content
        assert "Stopped: the answer is partial" in meta_text(last_view(dock))


async def test_a_cut_stream_is_kept_incomplete_and_a_retry_completes_it(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    await set_faults(sandbox, stream_cut_after=15)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        entry = await ask(pilot, dock, "Explain retries")
        assert entry.status == "incomplete"
        assert entry.content
        text = meta_text(last_view(dock))
        assert "The answer was cut off" in text
        assert "ctrl+r asks again" in text
        await with_faults_cleared(sandbox)
        await pilot.press("ctrl+r")
        session = app.chat.session
        assert session is not None
        await wait_until(
            pilot, lambda: session.entries[-1] is not entry and not app.chat.busy, what="retry"
        )
        final = session.entries
        assert [e.role for e in final] == ["user", "assistant"]
        assert final[-1].status == "complete"


async def test_an_unknown_endpoint_is_explained(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot, "no-such-endpoint")
        entry = await ask(pilot, dock, "hello")
        assert entry.status == "incomplete"
        assert not entry.content
        text = " ".join(meta_text(last_view(dock)).split())
        assert "There is no endpoint 'no-such-endpoint' in project proj_demo" in text
        assert "404 endpoint_not_found" in text
        assert "Check the slug" in text


async def test_a_rate_limited_question_is_asked_again_after_the_wait(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    await set_faults(sandbox, rate_limit_next=1, retry_after=1, path_contains="chat")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        await type_line(pilot, dock, "hello")
        await wait_until(
            pilot, lambda: "rate limited: asking again in" in status_text(dock), what="the wait"
        )
        assert "Rate limited by the server" in meta_text(last_view(dock))
        await wait_until(
            pilot,
            lambda: app.chat.session.entries[-1].status == "complete",  # type: ignore[union-attr]
            what="the answer after the wait",
        )
        chats = [r for r in app.request_log.records() if r.path.endswith("/chat/completions")]
        assert [r.status for r in chats] == [429, 200]


async def test_streaming_off_gives_one_answer_and_its_raw_json(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        app.chat.apply_options(app.chat.session.options.replace(stream=False))  # type: ignore[union-attr]
        entry = await ask(pilot, dock, "Summarise caching")
        assert entry.status == "complete"
        assert entry.raw is not None
        view = last_view(dock)
        assert "raw JSON below — v shows it" in meta_text(view)
        await pilot.press("tab")
        await pilot.press("v")
        assert view.has_class("-raw")
        raw = json.loads(str(view.query_one(".chat-raw").render()))
        assert raw["object"] == "chat.completion"
        assert raw["id"] == entry.response_id


async def test_show_usage_prints_the_breakdown_and_the_response_id(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        app.chat.apply_options(app.chat.session.options.replace(show_usage=True))  # type: ignore[union-attr]
        entry = await ask(pilot, dock, "Explain transformers")
        usage = entry.usage
        assert usage is not None
        lines = meta_text(last_view(dock)).splitlines()
        assert (
            f"prompt {usage.prompt_tokens} · completion {usage.completion_tokens} · "
            f"total {usage.total_tokens} · cached {usage.cached_tokens} · "
            f"reasoning {usage.reasoning_tokens}"
        ) in lines
        assert f"response id {entry.response_id}" in lines


async def test_dry_run_shows_the_request_instead_of_sending_it(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app(dry_run=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        await type_line(pilot, dock, "What is 2+2?")
        await wait_until(pilot, lambda: bool(notes(dock)), what="the dry run")
        [note] = notes(dock)
        assert note.startswith("Dry run — not sent:\nPOST ")
        assert f"{sandbox.base_url.rsplit('/v1', 1)[0]}/llama-chat/v1/chat/completions" in note
        body = json.loads(note[note.index("{") : note.index("\n\ncurl ")])
        assert body["messages"] == [{"role": "user", "content": "What is 2+2?"}]
        assert body["stream"] is True
        assert body["max_tokens"] == 4096
        assert "dry run" in status_text(dock)
        assert not [r for r in app.request_log.records() if "chat/completions" in r.path]


async def test_the_endpoint_prompt_offers_used_and_announced_endpoints(
    make_app: MakeApp,
) -> None:
    app = make_app()
    app.chat.announce(["llama-chat", "qwen-coder", "deepseek-r1"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "i")
        dock = await mounted_dock(pilot)
        await wait_until(pilot, lambda: dock.picker.input.has_focus, what="the picker")
        assert dock.picker.candidates == ["llama-chat", "qwen-coder", "deepseek-r1"]
        await pilot.press("b", "a", "d", "slash", "x", "enter")
        error = str(dock.query_one("#picker-error").render())
        assert "endpoint must be one URL path segment" in error
        await pilot.press(*["backspace"] * 5, "q", "w", "down", "enter")
        await wait_until(pilot, lambda: app.chat.session is not None, what="the chat")
        assert app.chat.session.endpoint == "qwen-coder"  # type: ignore[union-attr]


async def test_a_profile_switch_reopens_the_chat_for_the_new_profile(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dock = await open_chat(pilot)
        await ask(pilot, dock, "remember me")
        other = app.opener.open(sandbox.base_url, sandbox.api_key, profile="other", origin="test")
        await app.connect(other).wait()
        await settle(pilot)
        session = app.chat.session
        assert session is not None
        assert session.endpoint == "llama-chat"
        assert session.entries == []  # the other profile's conversation with it: none yet
        dock = await mounted_dock(pilot)
        await wait_until(pilot, lambda: not dock.transcript.messages(), what="the redraw")


async def with_faults_cleared(info: SandboxInfo) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=info.root_url, timeout=30) as http:
        (await http.delete("/_sandbox/faults")).raise_for_status()


async def test_a_broken_chat_settings_file_is_said_once_when_the_pane_opens(
    make_app: MakeApp,
) -> None:
    path = ChatPrefs.path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_chat(pilot)

        def said() -> list[str]:
            return [text for _, text in toasts(app) if "chat defaults are used" in text]

        await wait_until(pilot, lambda: len(said()) == 1, what="the problem said")
        assert said()[0].startswith(f"Chat\n{path} is not valid")
        await pilot.press("ctrl+o", "g", "i")  # away and back: not said again
        await settle(pilot)
        assert len(said()) == 1
