"""Frames: every frame a host app writes, with the state it shows and what painting it cost.

A benchmark helper only: it wraps ``App._display`` and the screen's frame methods (private
Textual hooks; the app itself uses none of them) so that a key's latency can run from the
key to the first frame whose state is the state after the key.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from textual.screen import Screen

FRAME_METHODS = ("_on_timer_update", "_compositor_refresh")


@dataclass
class Frames:
    """Every frame of the host: (perf_counter when ready to write, state, paint ms, process
    CPU seconds then, paint CPU ms)."""

    state: Callable[[], Hashable]
    log: list[tuple[float, Hashable, float, float, float]] = field(default_factory=list)
    painting: tuple[float, float] | None = None

    def install(self, app: Any) -> Callable[[], None]:
        display = app._display
        originals = {name: getattr(Screen, name) for name in FRAME_METHODS}

        def _display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                renderable.render_segments(app.console)  # what a terminal driver does
                now, cpu = time.perf_counter(), time.process_time()
                started, cpu_started = self.painting or (now, cpu)
                paint, paint_cpu = (now - started) * 1000, (cpu - cpu_started) * 1000
                self.log.append((now, self.state(), paint, cpu, paint_cpu))
            display(screen, renderable)

        def timed(method: Callable[[Screen[Any]], None]) -> Callable[[Screen[Any]], None]:
            def frame(screen: Screen[Any]) -> None:
                outer = self.painting is None
                if outer:
                    self.painting = (time.perf_counter(), time.process_time())
                try:
                    method(screen)
                finally:
                    if outer:
                        self.painting = None

            return frame

        app._display = _display
        for name, method in originals.items():
            setattr(Screen, name, timed(method))

        def undo() -> None:
            app._display = display
            for name, method in originals.items():
                setattr(Screen, name, method)

        return undo

    async def first_after(self, since: float, state: Hashable) -> tuple[float, float]:
        """(wall ms, process CPU seconds at that frame) of the first frame after `since`
        that shows `state`."""
        deadline = time.perf_counter() + 3.0
        while True:
            for when, seen, _, cpu, _ in self.log:
                if when > since and seen == state:
                    return (when - since) * 1000, cpu
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no frame showing {state!r}")
            await asyncio.sleep(0.001)
