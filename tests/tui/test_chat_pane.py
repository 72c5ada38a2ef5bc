"""The chat pane alone, in a host app, with a scripted stream: the answer grows through the
Markdown stream (never re-rendered whole), updates are merged, Esc stops, a cut stream is
kept and retried, the view stays pinned only while the user is at the bottom, and a pane
that comes back redraws what arrived meanwhile."""

from __future__ import annotations

import gc
import re
from typing import Any

import pytest
from chat_host import PaneHost, ScriptedClient, chunk
from textual.pilot import Pilot
from textual.widget import Widget
from tui_helpers import wait_until

from xerotui.api.chat import ChatSession
from xerotui.api.errors import StreamInterruptedError
from xerotui.tui.chat_store import ChatUpdate
from xerotui.tui.widgets.chat_answer import SLACK_LINES, AnswerSegment, ChatAnswer
from xerotui.tui.widgets.chat_dock import ChatDock
from xerotui.tui.widgets.chat_message import ChatMessageView
from xerotui.tui.widgets.chat_transcript import ChatTranscript

SIZE = (100, 30)
FOOTER = re.compile(r"-- 7 tokens in \d+\.\ds \(\d+\.\d tok/s\) · first token in \d\.\d\ds")


def session_of(app: PaneHost) -> ChatSession:
    session = app.chat.session
    assert session is not None
    return session


async def mounted_dock(pilot: Pilot[Any]) -> ChatDock:
    """The pane on the screen, once mounted (its widgets composed)."""
    screen = pilot.app.screen

    def ready() -> bool:
        docks = screen.query(ChatDock)
        return bool(docks) and docks.first().is_mounted

    await wait_until(pilot, ready, what="the chat pane")
    return screen.query_one(ChatDock)


async def open_pane(pilot: Pilot[Any]) -> ChatDock:
    app = pilot.app
    assert isinstance(app, PaneHost)
    app.chat.show("scripted-endpoint")
    dock = await mounted_dock(pilot)
    await wait_until(pilot, lambda: dock.input.has_focus, what="the prompt focused")
    return dock


def answer_view(dock: ChatDock) -> ChatMessageView:
    return dock.transcript.messages()[-1]


def answer_text(dock: ChatDock) -> str:
    """The last message's text on screen ("" before there is one)."""
    messages = dock.transcript.messages()
    return messages[-1].shown if messages else ""


def meta(view: ChatMessageView) -> str:
    return str(view.query_one(".chat-meta").render())


async def ask(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*text, "enter")


async def answered(pilot: Pilot[Any], client: ScriptedClient, question: str, text: str) -> ChatDock:
    """The pane opened, `question` asked and `text` answered whole; the pane."""
    dock = await open_pane(pilot)
    await ask(pilot, question)
    client.say(text)
    client.finish()
    app = pilot.app
    assert isinstance(app, PaneHost)
    await wait_until(pilot, lambda: not app.chat.busy, what="the answer")
    return dock


async def test_the_answer_grows_and_no_closed_segment_is_rendered_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    renders: list[tuple[int, str, int]] = []
    real = AnswerSegment.draw

    def recording(self: AnswerSegment, widget: Widget, width: int) -> None:
        if width != self.width or self.source_changed:  # Rich renders it
            renders.append((id(self), self.source, width))
        real(self, widget, width)

    monkeypatch.setattr(AnswerSegment, "draw", recording)
    gc.unfreeze()
    client = ScriptedClient()
    app = PaneHost(client)
    async with app.run_test(size=SIZE) as pilot:
        dock = await open_pane(pilot)
        await ask(pilot, "hello")
        await wait_until(pilot, lambda: app.chat.stream.phase == "waiting", what="waiting")
        await pilot.pause()
        view = answer_view(dock)
        assert "waiting for the first token" in meta(view)  # the spinner, before any text
        client.say("# Title\n\nSome ")
        await wait_until(pilot, lambda: "Some" in view.shown, what="the first text")
        assert app.chat.stream.phase == "streaming"
        growing = view.query_one(ChatAnswer).segments[-1]
        assert growing.growing  # room to grow: a new line is no new layout
        assert growing.height == SLACK_LINES
        client.say("**bold** text.\n\n```python\nprint(1)\n")
        client.say("```\n\n")
        for index in range(40):  # long enough for several segments
            client.say(f"Paragraph {index}: " + "words " * 12 + "\n\n")
            await pilot.pause(0)
        client.finish()
        await wait_until(pilot, lambda: not app.chat.busy, what="the end of the answer")
        await pilot.pause()
        answer = view.query_one(ChatAnswer)
        assert "Title" in answer.source
        assert "print(1)" in answer.source
        segments = answer.segments
        assert len(segments) > 1
        assert not any(segment.growing for segment in segments)  # ended: no blank room left
        assert answer.size.height == answer.height  # laid out without the room
        assert answer.height == sum(len(segment.lines) for segment in segments)
        for segment in segments[:-1]:  # closed: rendered with its final text, once a width
            mine = [(text, width) for who, text, width in renders if who == id(segment)]
            assert mine[-1][0] == segment.source
            widths = [width for text, width in mine if text == segment.source]
            assert len(widths) == len(set(widths)), mine  # (the scrollbar may narrow it)
        assert FOOTER.search(meta(view)), meta(view)
        status = str(dock.query_one("#chat-status").render())
        assert "endpoint: scripted-endpoint | tokens: 5/7 | msgs: 2" in status
        # What the answer drew is kept out of the cyclic GC's walks once it ends.
        await wait_until(pilot, lambda: gc.get_freeze_count() > 0, what="a freeze")
    gc.unfreeze()


async def test_a_fast_stream_is_merged_not_one_update_per_token() -> None:
    client = ScriptedClient()
    app = PaneHost(client)
    async with app.run_test(size=SIZE) as pilot:
        dock = await open_pane(pilot)
        app.chat.stream.frame = 3600.0  # one frame lasts the whole answer
        seen: list[str] = []

        def count(update: ChatUpdate) -> None:
            seen.append(update.kind)

        app.chat.changed.subscribe(app.screen, count, immediate=True)
        await ask(pilot, "go")
        await wait_until(pilot, lambda: app.chat.stream.phase == "waiting", what="waiting")
        for index in range(300):
            client.script.put_nowait(chunk(f"t{index} "))
            await pilot.pause(0)  # each chunk reaches the pump on its own
        client.finish()
        await wait_until(pilot, lambda: not app.chat.busy, what="the end")
        await pilot.pause()
        # The first text is shown at once, the rest when the answer ends: not 300 updates.
        assert seen.count("progress") <= 3, seen
        assert answer_view(dock).shown == "".join(f"t{i} " for i in range(300))


async def test_escape_stops_and_keeps_the_partial_answer_marked_stopped() -> None:
    client = ScriptedClient()
    app = PaneHost(client)
    async with app.run_test(size=SIZE) as pilot:
        dock = await open_pane(pilot)
        await ask(pilot, "long story")
        client.say("Once upon ", "a time")
        await wait_until(pilot, lambda: "a time" in answer_text(dock), what="text")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.chat.busy, what="stopped")
        await pilot.pause()
        entry = session_of(app).entries[-1]
        assert (entry.status, entry.content) == ("stopped", "Once upon a time")
        assert "Stopped: the answer is partial" in meta(answer_view(dock))
        # ctrl+r asks again: the stopped answer is replaced by a new one.
        await pilot.press("ctrl+r")
        client.say("Again.")
        client.finish()
        await wait_until(
            pilot, lambda: session_of(app).entries[-1].content == "Again.", what="again"
        )
        assert len(client.requests) == 2
        assert [m.content for m in client.requests[1].messages] == ["long story"]


async def test_a_cut_stream_is_kept_incomplete_and_retried() -> None:
    client = ScriptedClient()
    app = PaneHost(client)
    async with app.run_test(size=SIZE) as pilot:
        dock = await open_pane(pilot)
        await ask(pilot, "question")
        client.say("Half an ans")
        client.script.put_nowait(StreamInterruptedError("the connection was closed"))
        await wait_until(pilot, lambda: not app.chat.busy, what="the cut")
        await pilot.pause()
        entry = session_of(app).entries[-1]
        assert (entry.status, entry.content) == ("incomplete", "Half an ans")
        text = meta(answer_view(dock))
        assert "The answer was cut off" in text
        assert "ctrl+r asks again" in text
        await pilot.press("ctrl+r")
        client.say("Whole answer.")
        client.finish()
        await wait_until(pilot, lambda: entry is not session_of(app).entries[-1], what="new")
        await wait_until(pilot, lambda: not app.chat.busy, what="the retry")
        assert session_of(app).entries[-1].content == "Whole answer."


async def test_pinned_to_the_bottom_only_while_the_user_is_there() -> None:
    client = ScriptedClient()
    app = PaneHost(client)
    async with app.run_test(size=SIZE) as pilot:
        dock = await open_pane(pilot)
        transcript = dock.query_one(ChatTranscript)
        await ask(pilot, "many lines")
        client.say(*(f"line {i}\n\n" for i in range(60)))
        await wait_until(pilot, lambda: "line 59" in answer_text(dock), what="text")
        await pilot.pause(0.1)
        assert transcript.max_scroll_y > 0
        assert transcript.scroll_y == transcript.max_scroll_y  # follows the answer

        transcript.scroll_to(y=0, animate=False)  # the user scrolls up to read
        await pilot.pause()
        client.say(*(f"more {i}\n\n" for i in range(20)))
        await wait_until(pilot, lambda: "more 19" in answer_text(dock), what="more")
        await pilot.pause(0.1)
        assert transcript.scroll_y == 0  # left where the user is

        transcript.scroll_end(animate=False)  # back at the bottom: follows again
        await pilot.pause()
        client.say(*(f"last {i}\n\n" for i in range(20)))
        client.finish()
        await wait_until(pilot, lambda: not app.chat.busy, what="the end")
        await pilot.pause(0.1)
        assert transcript.scroll_y == transcript.max_scroll_y


async def test_a_pane_that_comes_back_redraws_what_arrived_meanwhile() -> None:
    client = ScriptedClient()
    app = PaneHost(client)
    async with app.run_test(size=SIZE) as pilot:
        dock = await open_pane(pilot)
        await ask(pilot, "q")
        client.say("before ")
        await wait_until(pilot, lambda: "before" in answer_text(dock), what="text")
        app.chat.hide()
        await wait_until(pilot, lambda: not app.screen.query(ChatDock), what="closed")
        client.say("while closed ")
        await pilot.pause(0.1)
        assert app.chat.busy  # the store kept streaming
        app.chat.show()
        dock = await mounted_dock(pilot)
        await wait_until(pilot, lambda: answer_text(dock) == "before while closed ", what="redrawn")
        client.say("after")
        client.finish()
        await wait_until(pilot, lambda: not app.chat.busy, what="the end")
        await pilot.pause()
        assert answer_view(dock).shown == "before while closed after"
        assert [v.role for v in dock.transcript.messages()] == ["user", "assistant"]


async def test_copy_a_message_and_each_code_block_in_turn() -> None:
    client = ScriptedClient()
    app = PaneHost(client)
    async with app.run_test(size=SIZE) as pilot:
        text = "Two blocks:\n\n```python\nprint(1)\n```\n\nand\n\n```sh\necho 2\n```\n"
        dock = await answered(pilot, client, "code please", text)
        await pilot.press("tab")  # to the messages: the last one is selected
        assert dock.transcript.has_focus
        await pilot.press("c", "c", "c", "y", "up", "y")
        assert app.copied == [
            ("code block 1 of 2 (python)", "print(1)\n"),
            ("code block 2 of 2 (sh)", "echo 2\n"),
            ("code block 1 of 2 (python)", "print(1)\n"),
            ("answer", answer_view(dock).shown),
            ("message", "code please"),
        ]


async def test_server_text_is_cleaned_before_it_is_shown() -> None:
    client = ScriptedClient()
    app = PaneHost(client)
    async with app.run_test(size=SIZE) as pilot:
        dock = await answered(pilot, client, "x", "title \x1b]0;pwned\x07 and [b]markup[/b]")
        await pilot.pause()
        source = "".join(s.rendered for s in answer_view(dock).query_one(ChatAnswer).segments)
        assert "\x1b" not in source
        assert "\x07" not in source
        assert "␛]0;pwned␇" in source
        assert "[b]markup[/b]" in source


async def test_a_long_answer_grows_in_segments_and_redraws_the_same() -> None:
    from xerotui.tui.widgets.chat_answer import segments_of

    client = ScriptedClient()
    app = PaneHost(client)
    text = "".join(f"## Part {i}\n\n" + "Words of a paragraph. " * 20 + "\n\n" for i in range(12))
    async with app.run_test(size=SIZE) as pilot:
        dock = await open_pane(pilot)
        await ask(pilot, "long")
        for start in range(0, len(text), 97):  # in pieces, as a stream arrives
            client.say(text[start : start + 97])
            await pilot.pause(0)
        client.finish()
        await wait_until(pilot, lambda: not app.chat.busy, what="the end")
        answer = answer_view(dock).query_one(ChatAnswer)
        await wait_until(pilot, lambda: answer.settled, what="the Markdown drawn")
        sources = [segment.source for segment in answer.segments]
        assert len(sources) > 1
        assert "".join(sources) == text
        assert sources == segments_of(text)  # cut where a redraw would cut it
        app.chat.hide()
        await wait_until(pilot, lambda: not app.screen.query(ChatDock), what="closed")
        app.chat.show()
        dock = await mounted_dock(pilot)
        await wait_until(pilot, lambda: answer_text(dock) == text, what="redrawn")
        again = answer_view(dock).query_one(ChatAnswer)
        await wait_until(pilot, lambda: again.settled, what="drawn")
        assert [segment.source for segment in again.segments] == sources


async def test_an_answer_is_drawn_again_in_a_new_theme() -> None:
    client = ScriptedClient()
    app = PaneHost(client)
    async with app.run_test(size=SIZE) as pilot:
        text = "Some **bold** text and `code`.\n\n```python\nprint(1)\n```\n"
        dock = await answered(pilot, client, "x", text)
        await pilot.pause()
        answer = answer_view(dock).query_one(ChatAnswer)
        before = [segment.lines for segment in answer.segments]
        app.theme = "textual-light"
        await wait_until(
            pilot,
            lambda: [segment.lines for segment in answer.segments] != before,
            what="the answer drawn in the light theme",
        )
        assert answer.source.startswith("Some **bold**")
