"""Chat stream: 4,000 tokens at 2,000 tokens/s into the pane, in-process (design.md section 8).

Run: `.venv/bin/python benchmarks/bench_chat.py [--rounds 5] [--naive-rounds 1]`.

The real app (`build_app`, as `xerotui --base-url ... --api-key ...` builds it) runs under
`app.run_test(size=(120, 40))` with the chat pane open beside the models table, against
a sandbox streaming at 2,000 tokens/s (`/_sandbox/settings`), first token after 50 ms,
`max_tokens` 4,000. The sandbox composes answers of about 250 tokens whatever max_tokens
says, so this benchmark starts it with its answer composer extended (the composed answer
repeated, on varied topics, past 4,000 tokens; `--sandbox-child`): everything else — the
HTTP server, the SSE chunks, the token pacing — is the sandbox's own.

Figures, per answer (median over `--rounds`):
- last token on screen: from the moment the client received the last text chunk to the
  first frame written (`app._display`, with the escape sequences a terminal driver makes)
  after the answer's Markdown holds all of it. Target <= 100 ms.
- keypress to repaint during the stream: a `down` key event every 50 ms to the models
  table beside the pane (its cursor row is the state), from posting the key to the first
  frame showing the new row. Target p95 <= 50 ms.
- process CPU while the answer streams: `time.process_time()` over the wall time, from
  sending to the last token on screen (the sandbox is another process: not counted).

Baseline in the same run: the same stream drawn the naive way — every text event (no
frame-rate merging, no replaceable progress message) re-renders the whole answer in one
Textual `Markdown` widget (`Markdown.update`). The ratios compare the two.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from traceback import format_exception
from typing import Any

import httpx
from bench_util import (
    build_app,
    figure,
    isolate_home,
    machine_note,
    median,
    percentile,
    wait_quiet_async,
)

from xerotui.launcher import SandboxInfo, SandboxProcess

TOKENS = 4000
RATE = 2000.0
LAST_TOKEN_TARGET_MS = 100.0
KEY_TARGET_MS = 50.0
KEY_EVERY = 0.05
NAIVE_CAP = 120.0
QUESTION = "Write a very long guide to caching, with examples in python"


# ---------------------------------------------------------------------- the sandbox


def sandbox_child(argv: list[str]) -> int:
    """The sandbox, its composer extended to answers of more than TOKENS tokens."""
    from xerotui.sandbox import cli
    from xerotui.sandbox.generate import TextGenerator, count_tokens

    compose = TextGenerator.compose

    def long_compose(
        self: TextGenerator,
        prompt: str,
        key: str,
        *,
        reasoning: bool = False,
        min_tokens: int = 0,
    ) -> str:
        parts: list[str] = []
        count = 0
        topics = ("caches", "queues", "indexes", "retries", "locks", "batches", "streams")
        while count < TOKENS + 50:
            topic = topics[len(parts) % len(topics)]
            text = compose(self, f"{prompt} {topic}", f"{key}:{len(parts)}", reasoning=reasoning)
            parts.append(f"## Part {len(parts) + 1}: {topic}\n\n{text}")
            count += count_tokens(parts[-1]) + 1
        return "\n\n".join(parts)

    TextGenerator.compose = long_compose  # type: ignore[method-assign]
    return cli.main(argv)


class LongAnswerSandbox(SandboxProcess):
    @property
    def command(self) -> list[str]:
        sandbox_args = super().command[4:]  # after `python -m xerotui sandbox`
        return [sys.executable, str(Path(__file__).resolve()), "--sandbox-child", *sandbox_args]


# ---------------------------------------------------------------------- measuring


@dataclass
class Frames:
    """Every frame written while measuring: (perf_counter, table cursor row, answer chars
    on screen — -1 while the Markdown is still taking text in)."""

    app: Any
    log: list[tuple[float, int, int]] = field(default_factory=list)

    def install(self) -> None:
        app = self.app
        display = app._display

        def _display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                renderable.render_segments(app.console)  # what a terminal driver does
                self.log.append((time.perf_counter(), *self.state()))
            display(screen, renderable)

        app._display = _display

    def state(self) -> tuple[int, int]:
        from xerotui.tui.widgets.chat_answer import ChatAnswer
        from xerotui.tui.widgets.chat_dock import ChatDock
        from xerotui.tui.widgets.model_grid import ModelGrid

        screen = self.app.screen
        grids = screen.query(ModelGrid)
        if not grids:  # another screen is up (the error screen): the run reports it
            return -1, 0
        row = grids.first().cursor_row
        docks = screen.query(ChatDock)
        if not docks or docks.first().gone:  # no pane, or one being taken down
            return row, 0
        answers = docks.first().transcript.query(ChatAnswer)
        if not answers:
            return row, 0
        answer = answers.last()
        return row, len(answer.shown) if answer.settled else -1

    def first_after(self, since: float, test: Any) -> float | None:
        for when, row, chars in self.log:
            if when > since and test(row, chars):
                return when - since
        return None


@dataclass
class Round:
    last_token_ms: float
    keys_ms: list[float]
    cpu_percent: float
    seconds: float
    frames: int
    text_events: int
    quiet: bool = True
    """The machine was quiet (others used < 0.3 core) when the answer began."""


async def one_answer(
    app: Any, pilot: Any, frames: Frames, *, cap: float, drawn: bool = True
) -> Round:
    from textual import events

    from xerotui.tui.widgets.model_grid import ModelGrid

    if app.unexpected_errors:
        raise RuntimeError(
            "the app hit an error:\n" + "".join(format_exception(app.unexpected_errors[0]))
        )
    session = app.chat.session
    client = session.client
    arrivals: list[float] = []
    stream_chat = client.stream_chat

    async def recorded(slug: str, request: Any) -> Any:
        async for chunk in stream_chat(slug, request):
            if chunk.text:
                arrivals.append(time.perf_counter())
            yield chunk

    client.stream_chat = recorded
    table = app.screen.query_one(ModelGrid)
    table.move_cursor(0)
    table.focus()
    await pilot.pause(0.2)
    frames.log.clear()
    before = len(session.entries)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    app.chat.send(QUESTION)
    keys: list[tuple[float, int]] = []
    row = 0
    while not (len(session.entries) >= before + 2 and not app.chat.busy):
        await asyncio.sleep(KEY_EVERY)
        if arrivals and app.chat.busy and row < table.row_count - 1:
            row += 1
            keys.append((time.perf_counter(), row))
            app.post_message(events.Key("down", None))
        if time.perf_counter() - wall0 > cap:
            break
    answer = session.entries[-1]
    shown = len(answer.content)
    done_at = arrivals[-1] if arrivals else wall0
    deadline = time.perf_counter() + cap
    last: float | None = None if drawn else 0.0
    while last is None and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
        last = frames.first_after(done_at, lambda _row, chars: chars == shown)
    cpu1, wall1 = time.process_time(), time.perf_counter()
    if last is not None:
        wall1 = done_at + last
    client.stream_chat = stream_chat
    latencies = []
    for pressed, wanted in keys:
        seen = frames.first_after(pressed, lambda r, _c, wanted=wanted: r >= wanted)
        if seen is not None:
            latencies.append(seen * 1000)
    return Round(
        last_token_ms=(last * 1000) if last is not None else cap * 1000,
        keys_ms=latencies,
        cpu_percent=100 * (cpu1 - cpu0) / max(wall1 - wall0, 1e-9),
        seconds=wall1 - wall0,
        frames=len(frames.log),
        text_events=len(arrivals),
    )


def naive_drawing() -> None:
    """The baseline: each text event re-renders the whole answer in one Textual Markdown
    widget (`Markdown.update` with all the text so far); no frame-rate merging (the stream's
    frame is 0), no replaceable progress message (every event is drawn)."""
    from textual.widgets import Markdown

    from xerotui.tui.sanitize import clean
    from xerotui.tui.widgets.chat_answer import ChatAnswer
    from xerotui.tui.widgets.chat_dock import ChatDock

    async def on_progress(self: ChatDock, _: Any) -> None:
        answers = self.transcript.query(ChatAnswer)
        if answers and self.store.stream.live_id is not None:
            answer = answers.last()
            answer.shown = self.store.stream.live_text
            widgets = answer.query_children(Markdown)
            if not widgets:
                await answer.mount(Markdown())
                widgets = answer.query_children(Markdown)
            await widgets.first().update(clean(answer.shown))

    ChatDock.on_chat_dock_progress = on_progress  # type: ignore[method-assign]
    ChatDock.Progress.can_replace = lambda self, message: False  # type: ignore[method-assign]


async def run(
    info: SandboxInfo,
    rounds: int,
    *,
    naive: bool = False,
    drawn: bool = True,
    frame: float | None = None,
) -> list[Round]:
    from xerotui.api.chat_options import ChatOptions

    app = build_app(info)
    frames = Frames(app)
    results: list[Round] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        options = ChatOptions.parse(endpoint="llama-chat", max_tokens=TOKENS, temperature=0)
        app.chat.preset = options.model_dump(exclude={"endpoint"}, exclude_unset=True)
        app.chat.show("llama-chat")
        await pilot.pause(0.5)
        if naive:
            app.chat.stream.frame = 0.0
        elif frame is not None:
            app.chat.stream.frame = frame
        frames.install()
        for _ in range(rounds):
            if app.unexpected_errors:
                raise RuntimeError(
                    "the app hit an error:\n" + "".join(format_exception(app.unexpected_errors[0]))
                )
            app.chat.session.clear()
            app.chat._publish("conversation")
            await pilot.pause(0.3)
            quiet = await wait_quiet_async(max_wait=20)
            if not drawn:
                app.chat.hide()  # the answer streams into the store, nothing is drawn
                await pilot.pause(0.3)
            round_ = await one_answer(app, pilot, frames, cap=NAIVE_CAP, drawn=drawn)
            if not drawn:
                app.chat.show()
            round_.quiet = quiet
            results.append(round_)
        await pilot.press("ctrl+q")
    if app.unexpected_errors:
        raise RuntimeError(
            "the app hit an error:\n" + "".join(format_exception(app.unexpected_errors[0]))
        )
    return results


def settings(info: SandboxInfo) -> None:
    with httpx.Client(base_url=info.root_url, timeout=30) as http:
        body = {"tokens_per_second": RATE, "first_token_ms": 50}
        http.post("/_sandbox/settings", json=body).raise_for_status()


def report(label: str, rounds: list[Round]) -> dict[str, float]:
    last = median([r.last_token_ms for r in rounds])
    keys = [k for r in rounds for k in r.keys_ms]
    p95 = percentile(keys, 0.95) if keys else float("nan")
    cpu = median([r.cpu_percent for r in rounds])
    print(f"  {label}:")
    detail = f"median of {len(rounds)}, max {max(r.last_token_ms for r in rounds):.0f} ms"
    print(figure("last token on screen after the stream ends", last, LAST_TOKEN_TARGET_MS, "ms",
                 detail))  # fmt: skip
    if keys:
        detail = f"n={len(keys)}, p50 {median(keys):.1f}, max {max(keys):.1f} ms"
        print(figure("keypress to repaint during the stream, p95", p95, KEY_TARGET_MS, "ms",
                     detail))  # fmt: skip
    seconds = median([r.seconds for r in rounds])
    frames = median([r.frames for r in rounds])
    events = median([r.text_events for r in rounds])
    print(f"    process CPU while streaming: {cpu:.0f} % of one core over {seconds:.2f} s "
          f"({frames:.0f} frames, {events:.0f} text chunks received)")  # fmt: skip
    return {"last": last, "p95": p95, "cpu": cpu}


def main() -> int:
    if sys.argv[1:2] == ["--sandbox-child"]:
        return sandbox_child(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="answers drawn the pane's way")
    parser.add_argument("--naive-rounds", type=int, default=1, help="answers drawn naively")
    options = parser.parse_args()
    note = machine_note()
    restore = isolate_home()
    try:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="xerotui-bench-chat-") as tmp:
            process = LongAnswerSandbox(Path(tmp) / "bench.db")
            try:
                info = process.start()
                settings(info)
                floor = asyncio.run(run(info, 2, drawn=False))
                ours = asyncio.run(run(info, options.rounds))
                naive_drawing()
                naive = asyncio.run(run(info, options.naive_rounds, naive=True))
            finally:
                process.stop()
    finally:
        restore()
    print(f"chat benchmark ({TOKENS:,} tokens at {RATE:,.0f} tokens/s, run_test 120x40, "
          "the pane beside the models table)")  # fmt: skip
    print(f"  {note}")
    keys = [k for r in floor for k in r.keys_ms]
    print(
        "  the same stream with the pane closed (client, store, table; nothing drawn): "
        f"keypress p95 {percentile(keys, 0.95):.0f} ms, "
        f"CPU {median([r.cpu_percent for r in floor]):.0f} % of one core"
    )
    a = report("the pane (segments rendered once, merged to frame rate)", ours)
    b = report("baseline: the whole Markdown re-rendered at each text event", naive)
    print(
        f"  naive / pane: last token {b['last'] / a['last']:.0f}x, "
        f"keypress p95 {b['p95'] / a['p95']:.1f}x, CPU {b['cpu'] / a['cpu']:.1f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
