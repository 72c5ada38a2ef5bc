"""The models screen as it was before the grid (issue 11): the baseline of bench_table.py and
bench_startup.py. The old ModelsScreen (pages of 100 rows in a DataTable, `[`/`]`) and its
status line, copied unchanged but for names; the table is baseline_table.py. Benchmarks
only: nothing in xerotui/ imports it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from baseline_table import COLUMNS, MARK, ModelTable, PageView
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, ProgressBar, Static

from xerotui.api.inventory import LoadProgress
from xerotui.api.schema import Model
from xerotui.tui.model_feed import FeedUpdate
from xerotui.tui.sanitize import one_line
from xerotui.tui.screens.base import XeroScreen
from xerotui.tui.widgets.filter_bar import FilterBar


@dataclass(frozen=True)
class TableInfo:
    first: int
    last: int
    matching: int
    total: int
    page: int
    pages: int
    query: str = ""
    sort_label: str = ""
    descending: bool = True
    marked: int = 0
    loaded: int | None = None
    """While pages are still arriving: how many models have arrived of `total`."""


class TableStatus(Horizontal):
    """Presentational: draws a TableInfo."""

    DEFAULT_CSS = """
    TableStatus {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    TableStatus #rows {
        width: 1fr;
    }
    TableStatus #hint {
        width: auto;
    }
    TableStatus #load-progress {
        width: 28;
        padding: 0 1;
    }
    TableStatus #load-progress Bar {
        width: 16;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="rows")
        yield ProgressBar(id="load-progress", show_eta=False, show_percentage=True)
        yield Static(id="hint")

    def show(self, info: TableInfo) -> None:
        rows = Text()
        loading = info.loaded is not None and info.loaded < info.total
        if loading and not info.query:
            rows.append(f"rows {info.first:,}-{info.last:,} of {info.total:,}", style="bold")
        elif info.matching:
            rows.append(f"rows {info.first:,}-{info.last:,} of {info.matching:,}", style="bold")
        else:
            rows.append("no rows", style="bold")
        if info.query:
            rows.append(f" matching “{one_line(info.query, limit=60)}”", style="yellow")
            rows.append(f" ({info.total:,} in all)", style="dim")
        if info.pages > 1:
            rows.append(f" · page {info.page + 1}/{info.pages}", style="dim")
        rows.append(f" · sort {info.sort_label} {'▼' if info.descending else '▲'}", style="dim")
        if info.marked:
            rows.append(f" · {info.marked:,} marked", style="bold magenta")
        self.query_one("#rows", Static).update(rows)

        bar = self.query_one("#load-progress", ProgressBar)
        bar.display = loading
        if loading:
            bar.update(total=info.total, progress=info.loaded or 0)

        hint = Text()
        if loading:
            hint.append(f"loading {info.loaded:,}/{info.total:,}", style="yellow")
        elif info.last < info.matching:
            nxt = min(info.last + (info.last - info.first + 1), info.matching)
            hint.append(f"more results: ] for rows {info.last + 1:,}-{nxt:,}", style="italic")
        self.query_one("#hint", Static).update(hint)


FLASH_SECONDS = 3.0
SPINNER_SECONDS = 0.5
"""Spinner frames of rows in progress: 2 a second keeps 5 rows spinning under 2 % of a core
(each frame repaints their rows; benchmarks/bench_jobs.py)."""
NARROW = 100
"""Below this many columns the ID column folds away (the detail view and `y` still have it)."""
LABELS = {c.key: c.label.lower() for c in COLUMNS}


class BaselineModelsScreen(XeroScreen):
    """Every model of the project: the first page at once, the rest loaded behind it."""

    TITLE = "Models"
    MODE = "models"
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="models.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="models.clear_filter"),
        Binding("space", "mark", "Mark", id="models.mark"),
        Binding("a", "mark_all", "Mark all", id="models.mark_all", show=False),
        Binding("w", "wide", "Wide", id="models.wide"),
        Binding("s", "sort_next", "Sort", id="models.sort"),
        Binding("S", "sort_reverse", "Reverse sort", id="models.sort_reverse", show=False),
        Binding("left_square_bracket", "page(-1)", "Prev page", id="models.page_prev", show=False),
        Binding("right_square_bracket", "page(1)", "Next page", id="models.page_next"),
        Binding("ctrl+r", "refresh", "Refresh", id="models.refresh"),
        Binding("e", "app.act('edit')", "Edit", id="models.edit"),
        Binding("d", "app.act('delete')", "Delete", id="models.delete"),
        Binding("y", "copy_id", "Copy id", id="models.copy_id", show=False),
        Binding("Y", "copy_curl", "Copy curl", id="models.copy_curl", show=False),
        Binding(
            "ctrl+y",
            "copy_curl(True)",
            "Curl with key",
            id="models.copy_curl_key",
            show=False,
        ),
        Binding("r", "revalidate", "Revalidate", id="models.revalidate"),
        Binding("v", "versions", "Versions", id="models.versions"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""
        self.sort = "created"
        self.descending = True
        self.page = 0
        self.wide = self.host.settings.wide_columns
        self.page_size = self.host.settings.page_size
        self.view: list[Model] = []
        self.flash: dict[str, float] = {}
        self.frame = 0
        self._availability: tuple[int, int, bool, bool] | None = None
        self.watched: frozenset[str] = frozenset()
        """Models under watch as last drawn."""

    # ------------------------------------------------------------------ layout

    def compose_body(self) -> ComposeResult:
        yield ModelTable(id="models")
        yield FilterBar(
            placeholder="filter: name, id, architecture, status, quantization", id="filter"
        )
        yield TableStatus(id="table-status")

    @property
    def progress(self) -> LoadProgress | None:
        """While pages are still arriving (the feed's)."""
        return self.host.feed.progress

    @property
    def table(self) -> ModelTable:
        return self.query_one(ModelTable)

    @property
    def marks(self) -> set[str]:
        """The marked models (the feed's: chords on any screen act on them)."""
        return self.host.feed.marks

    def on_mount(self) -> None:
        super().on_mount()
        self.set_focus(self.table)
        self.host.session_changed.subscribe(self, self._on_session_changed)
        self.host.feed.changed.subscribe(self, self._on_inventory)
        self.host.jobs.changed.subscribe(self, self._on_jobs)
        self.set_interval(SPINNER_SECONDS, self._tick, name="models-spinner")
        if self.host.session is None:
            return  # under the first-run screen until there is a connection
        if self.session.inventory.models:  # the first page (or more) is here: draw it now
            self.recompute()
        self.host.feed.ensure_loaded()

    def _on_session_changed(self, _: object) -> None:
        self.flash.clear()
        self.recompute()

    def _on_inventory(self, update: FeedUpdate) -> None:
        """The feed loaded pages, refreshed, or a screen updated a model: redraw."""
        self._flash(update.changed)
        if update.progress is None or update.removed or len(self.view) < self.page_size:
            self.recompute(keep=self.table.highlighted_id)
        else:
            self.show_status()  # more pages arrive behind a full first page

    def _on_jobs(self, _: object) -> None:
        """A watch started or ended: redraw the `⟳` markers (statuses come via the feed)."""
        if self.host.jobs.watched_ids() != self.watched and self.host.session is not None:
            self.render_page(keep=self.table.highlighted_id)

    def on_resize(self) -> None:
        if self.host.session is not None:
            self.render_page()

    # ------------------------------------------------------------------ loading

    def _flash(self, changed: dict[str, str]) -> None:
        if not changed:
            return
        until = time.monotonic() + FLASH_SECONDS
        self.flash.update(dict.fromkeys(changed, until))
        self.set_timer(FLASH_SECONDS + 0.05, self._expire_flash)

    def _expire_flash(self) -> None:
        now = time.monotonic()
        self.flash = {mid: t for mid, t in self.flash.items() if t > now}
        self.render_page(keep=self.table.highlighted_id)

    def _tick(self) -> None:
        """A spinner frame for the rows in progress, while the table can be seen."""
        if self.is_current and self.table.animating and self.app.animation_level != "none":
            self.frame += 1
            self.table.tick(self.frame)

    # ------------------------------------------------------------------ view

    def recompute(self, keep: str | None = None) -> None:
        """Filter and sort the whole inventory, then draw the page holding `keep`."""
        inventory = self.session.inventory
        self.view = inventory.view(self.query_text, self.sort, self.descending)
        if keep is not None:
            for index, model in enumerate(self.view):
                if model.id == keep:
                    self.page = index // self.page_size
                    break
            else:
                self.page = min(self.page, self.last_page)
        else:
            self.page = 0
        self.render_page(keep=keep)

    @property
    def last_page(self) -> int:
        return max(0, (len(self.view) - 1) // self.page_size)

    def render_page(self, keep: str | None = None) -> None:
        table = self.table
        row = table.cursor_row
        start = self.page * self.page_size
        rows = self.view[start : start + self.page_size]
        width = self.size.width
        show_id = width >= NARROW
        full_ids = width >= (210 if self.wide else 136)
        name_width = None
        self.watched = self.host.jobs.watched_ids()
        if not self.wide:
            name_width = ModelTable.name_width_for(width, rows, show_id=show_id, full_ids=full_ids)
        table.show_page(
            PageView(
                models=rows,
                marks=self.marks,
                wide=self.wide,
                full_ids=full_ids,
                show_id=show_id,
                name_width=name_width,
                flash=self.flash,
                sort=self.sort,
                descending=self.descending,
                frame=self.frame if self.app.animation_level != "none" else None,
                watched=self.watched,
            )
        )
        target = table.row_of(keep) if keep else None
        if target is None:
            target = min(max(row, 0), max(len(rows) - 1, 0))
        if rows:
            table.move_cursor(row=target, animate=False)
        else:  # no visible row: chords such as `g d` must not act on a hidden model
            self.host.feed.select(None)
        self.show_status()

    def show_status(self) -> None:
        start = self.page * self.page_size
        total = len(self.session.inventory)
        loading = self.progress
        self.query_one(TableStatus).show(
            TableInfo(
                first=start + 1 if self.view else 0,
                last=min(start + self.page_size, len(self.view)),
                matching=len(self.view),
                total=loading.total if loading else total,
                page=self.page,
                pages=self.last_page + 1,
                query=self.query_text,
                sort_label=LABELS.get(self.sort, self.sort),
                descending=self.descending,
                marked=len(self.marks),
                loaded=loading.loaded if loading else None,
            )
        )
        # The footer is rebuilt on refresh_bindings (10-15 ms): only when a key's
        # availability (check_action) can have changed.
        availability = (self.page, self.last_page, bool(self.view), bool(self.query_text))
        if availability != self._availability:
            self._availability = availability
            self.refresh_bindings()

    # ------------------------------------------------------------------ events

    @on(DataTable.RowHighlighted, "#models")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.host.feed.select(event.row_key.value)

    @on(ModelTable.BadValue)
    def _bad_value(self, event: ModelTable.BadValue) -> None:
        """Once per model and field: the rest of the table is drawn, this cell shows `?`."""
        model = self.session.inventory.get(event.model_id)
        name = one_line(model.name if model and model.name else event.model_id, limit=60)
        value = one_line(repr(event.value), limit=60)
        self.notify(
            f"{name}: its {event.field} ({value}) cannot be shown, so it reads `?`. "
            "The server sent a value out of range.",
            title="Unexpected value",
            severity="warning",
            timeout=8,
            markup=False,
        )

    @on(DataTable.RowSelected, "#models")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.host.open_detail(event.row_key.value)

    @on(DataTable.HeaderSelected, "#models")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key and key != MARK:
            self.sort_by(key, toggle=True)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.recompute(keep=self.table.highlighted_id)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(FilterBar).done()
        self.set_focus(self.table)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":  # shown only while there is a filter to clear
            return self.query_one(FilterBar).active
        if action == "page" and parameters:
            target = self.page + int(str(parameters[0]))
            return 0 <= target <= self.last_page  # hidden where there is no such page
        if action == "revalidate":  # the marks, else a visible row
            return True if self.marks or self.table.highlighted_id else None
        if action in {"mark", "copy_id", "copy_curl", "versions"}:  # need a visible row
            return True if self.table.highlighted_id else None
        return True

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    def action_clear_filter(self) -> None:
        self.query_one(FilterBar).set_text("")
        self.set_focus(self.table)

    def action_mark(self) -> None:
        model_id = self.table.highlighted_id
        if model_id is None:
            return
        self.host.feed.toggle_mark(model_id)
        self.render_page(keep=model_id)
        self.table.action_cursor_down()

    def action_mark_all(self) -> None:
        ids = {m.id for m in self.view}
        if ids <= self.marks:
            self.marks.difference_update(ids)
            self.notify(f"Unmarked {len(ids):,} models")
        else:
            self.marks.update(ids)
            scope = f" matching “{self.query_text}”" if self.query_text else ""
            self.notify(f"Marked {len(ids):,} models{scope}")
        self.render_page(keep=self.table.highlighted_id)

    def action_wide(self) -> None:
        self.wide = not self.wide
        self.render_page(keep=self.table.highlighted_id)
        self.host.save_settings(wide_columns=self.wide)

    def visible_columns(self) -> list[str]:
        return [c.key for c in ModelTable.columns_for(self.wide, self.size.width >= NARROW)]

    def sort_by(self, key: str, *, toggle: bool = False, descending: bool | None = None) -> None:
        if toggle and key == self.sort:
            self.descending = not self.descending
        else:
            self.sort = key
            numeric = key in {"size", "context", "parameters", "created", "version"}
            self.descending = numeric if descending is None else descending
        self.recompute(keep=self.table.highlighted_id)

    def action_sort_next(self) -> None:
        columns = self.visible_columns()
        index = columns.index(self.sort) if self.sort in columns else -1
        self.sort_by(columns[(index + 1) % len(columns)])

    def action_sort_reverse(self) -> None:
        self.sort_by(self.sort, toggle=True)

    def action_page(self, step: int) -> None:
        self.page = min(max(0, self.page + int(step)), self.last_page)
        self.render_page()
        self.table.move_cursor(row=0, animate=False)

    def action_refresh(self) -> None:
        self.host.feed.load()

    def action_copy_id(self) -> None:
        model_id = self.table.highlighted_id
        if model_id:
            self.host.copy(model_id, what="model id")

    def action_copy_curl(self, with_key: bool = False) -> None:
        model_id = self.table.highlighted_id
        if model_id:
            self.host.actions.copy_curl(model_id, with_key=with_key)

    def action_revalidate(self) -> None:
        self.host.jobs.revalidate.targets()

    def action_versions(self) -> None:
        model_id = self.table.highlighted_id
        if model_id:
            self.host.open_versions(model_id)
