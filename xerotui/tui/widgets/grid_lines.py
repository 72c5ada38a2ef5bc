"""The state that decides how each row looks (markers, flash, spinner frame), and the cache
of drawn row lines. No Textual widget here: the grid asks it for lines and posts what it
reports.

A line is cached by (model id, RowState) and served only while the cached model *is* the
model in the source: `ModelInventory.update` and a reload put new `Model` objects in place
of changed ones, so a changed model is drawn again and nothing else is. Least recently
used lines are dropped beyond CACHE_LINES.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Collection, Iterable

from textual.strip import Strip

from xerotui.api.schema import Model
from xerotui.tui.widgets.grid_rows import Marker, Problem, RowPainter, RowState, in_progress

CACHE_LINES = 1024
"""Row lines kept (a 40-line screen scrolled back and forth over many pages stays cached)."""
WINDOWS = 512
"""Screen parts of lines kept (several screens' worth)."""


class GridLines:
    def __init__(self, markers: tuple[Marker, ...]) -> None:
        self.markers = markers
        self.marked: dict[str, frozenset[str]] = {m.name: frozenset() for m in markers}
        self.flash: dict[str, float] = {}
        """Model id -> time.monotonic() when its flash ends."""
        self.frame: int | None = None
        """The spinner frame (None: no animation, in-progress rows show a still glyph)."""
        self._lines: OrderedDict[tuple[str, RowState], tuple[Model, Strip]] = OrderedDict()
        self._reported: set[tuple[str, str]] = set()
        self._windows: dict[int, tuple[Strip, tuple[int, bool], Strip]] = {}

    def clear(self) -> None:
        self._lines.clear()
        self._windows.clear()

    def advance(self, *, animated: bool) -> bool:
        """The spinner's next frame (animations off: the still glyph); False if the rows
        look the same as before."""
        if not animated:
            if self.frame is None:
                return False
            self.frame = None
        else:
            self.frame = (self.frame or 0) + 1
        return True

    def set_marker(self, name: str, ids: Collection[str]) -> frozenset[str]:
        """Returns the ids whose marker changed."""
        if name not in self.marked:
            raise KeyError(f"no marker {name!r}: the grid has {sorted(self.marked)}")
        new = frozenset(ids)
        old = self.marked[name]
        self.marked[name] = new
        return old ^ new

    def start_flash(self, ids: Iterable[str], seconds: float) -> set[str]:
        fresh = set(ids)
        self.flash.update(dict.fromkeys(fresh, time.monotonic() + seconds))
        return fresh

    def end_flash(self) -> set[str]:
        """Drop the flashes whose time is up; returns their ids."""
        now = time.monotonic()
        done = {mid for mid, until in self.flash.items() if until <= now}
        for mid in done:
            del self.flash[mid]
        return done

    def state(self, model: Model, row: int, cursor: bool) -> RowState:
        mid = model.id
        frame = self.frame
        return RowState(
            markers=tuple([mid in self.marked[m.name] for m in self.markers]),
            cursor=cursor,
            flash=mid in self.flash,
            even=not row % 2,
            frame=frame if frame is not None and in_progress(model) else None,
        )

    def line(
        self, model: Model, state: RowState, painter: RowPainter
    ) -> tuple[Strip, list[Problem]]:
        """The row's line, and the problems met drawing it (none when it was cached)."""
        key = (model.id, state)
        cached = self._lines.get(key)
        if cached is not None and cached[0] is model:
            self._lines.move_to_end(key)
            return cached[1], []
        try:
            line, problems = painter.row(model, state)
        except Exception as error:  # a bug: one `?` line instead of a crash
            line = painter.broken(model.id)
            problems = [Problem(model.id, "row", f"{type(error).__name__}: {error}")]
        self._lines[key] = (model, line)
        if len(self._lines) > CACHE_LINES:
            self._lines.popitem(last=False)
        return line, problems

    def report(self, problem: Problem) -> bool:
        """True the first time this (model, field) has a problem: tell the owner once."""
        key = (problem.model_id, problem.field)
        if key in self._reported:
            return False
        self._reported.add(key)
        return True

    def window(self, line: Strip, painter: RowPainter, scroll_x: int, thumb: bool) -> Strip:
        """The screen's part of a full-width line, kept while the line and the sideways
        scroll stay the same (a vertical scroll then reuses every line it keeps)."""
        key = id(line)
        kept = self._windows.get(key)
        if kept is not None and kept[0] is line and kept[1] == (scroll_x, thumb):
            return kept[2]
        window = painter.window(line, scroll_x, thumb)
        if len(self._windows) > WINDOWS:
            self._windows.clear()
        self._windows[key] = (line, (scroll_x, thumb), window)
        return window
