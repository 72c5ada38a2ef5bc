"""The models table (`g l`): every matching model in one scrollable grid; filter (words and
`field:value` terms), sort by any column, wide columns, marks, refresh, copy.

The rows are the inventory's view (filter + sort) held by the ModelGrid, which draws only
what is on screen (widgets/model_grid.py). This screen turns feed, jobs and key events into
the grid's source, markers and flashes, and keeps the status line under it: it is updated
without a layout pass (a cursor move repaints the two rows it touches and nothing else; a
scroll adds the status line).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from xerotui.api.inventory import LoadProgress
from xerotui.api.model_query import HELP, SYNTAX, Query, QueryError, parse
from xerotui.api.schema import Model
from xerotui.tui.model_feed import FeedUpdate
from xerotui.tui.sanitize import one_line
from xerotui.tui.screens.base import XeroScreen
from xerotui.tui.widgets.filter_bar import FilterBar
from xerotui.tui.widgets.grid_layout import COLUMNS
from xerotui.tui.widgets.grid_rows import MARK, WATCH
from xerotui.tui.widgets.model_grid import ModelGrid
from xerotui.tui.widgets.table_status import TableInfo, TableStatus

SPINNER_SECONDS = 0.5
"""Spinner frames of rows in progress: 2 a second keeps 5 rows spinning under 2 % of a core
(each frame repaints only their lines; benchmarks/bench_jobs.py)."""
LABELS = {c.key: c.label.lower() for c in COLUMNS} | {
    "quantization": "quantization",
    "parameters": "parameters",
}
NUMERIC = frozenset({"size", "context", "parameters", "created", "version"})
"""Columns whose first sort is largest first."""
FIELD_OF = {"size": "size_formatted", "context": "context_length",
            "parameters": "parameter_count", "shared": "is_shared"}  # fmt: skip
"""Column key -> the model field it shows (where they differ)."""

REST_AFTER = 0.1
"""Seconds after the first frame before the rest of the pages are asked for."""


class ModelsScreen(XeroScreen):
    """Every model of the project: the first page at once, the rest loaded behind it."""

    TITLE = "Models"
    MODE = "models"
    HELP_TEXT = f"Filter (/): {HELP}"
    """Shown by `?` under the keys."""
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="models.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="models.clear_filter"),
        Binding("space", "mark", "Mark", id="models.mark"),
        Binding("a", "mark_all", "Mark all", id="models.mark_all", show=False),
        Binding("w", "wide", "Wide", id="models.wide"),
        Binding("s", "sort_next", "Sort", id="models.sort"),
        Binding("S", "sort_reverse", "Reverse sort", id="models.sort_reverse", show=False),
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
        """What the filter bar holds."""
        self.applied = Query()
        """The filter in force (the last text that parsed: a bad one leaves it)."""
        self.sort = "created"
        self.descending = True
        self.wide = self.host.settings.wide_columns
        self.view: list[Model] = []
        self._availability: tuple[bool, bool] | None = None
        self._drawn: list[Model] | None = None
        """The inventory's model list the view was made from (a load replaces it)."""

    # ------------------------------------------------------------------ layout

    def compose_body(self) -> ComposeResult:
        yield ModelGrid(
            id="models", markers=(MARK, WATCH), wide=self.wide, spinner_seconds=SPINNER_SECONDS
        )
        yield FilterBar(placeholder=f"filter: {SYNTAX}", id="filter")
        yield TableStatus(id="table-status")

    @property
    def progress(self) -> LoadProgress | None:
        """While pages are still arriving (the feed's)."""
        return self.host.feed.progress

    @property
    def table(self) -> ModelGrid:
        return self.query_one(ModelGrid)

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
        # "rows x-y of N" follows a scroll in the same frame (a RangeChanged message would
        # arrive after it: the status line one frame behind the rows).
        self.watch(self.table, "scroll_y", self._scrolled, init=False)
        if self.host.session is None:
            return  # under the first-run screen until there is a connection
        if self.session.inventory.models:  # the first page (or more) is here: draw it now
            self.recompute()
        self._on_jobs(None)
        # The rest of the pages (and the watch of models in progress) once the first frame
        # is out: their requests and imports would otherwise go before it. With page one
        # on screen, a moment later still: decoding pages holds the interpreter, and would
        # hold back the driver's thread writing that first frame to the terminal.
        inventory = self.session.inventory
        if inventory.models and not inventory.complete:
            self.set_timer(REST_AFTER, self.host.feed.ensure_loaded)
        else:
            self.call_after_refresh(self.host.feed.ensure_loaded)

    def _on_session_changed(self, _: object) -> None:
        self.recompute(row=0)

    def _on_inventory(self, update: FeedUpdate) -> None:
        """The feed loaded pages, refreshed, or a screen updated a model: redraw."""
        if update.changed:
            self.table.flash(update.changed)
        same = self.session.inventory.models is self._drawn
        if same and update.progress is not None and not (update.removed or update.updated):
            # Pages arrive behind the first one: only the count moves, and the marks (a
            # bulk action unmarks what succeeded while pages may still be arriving).
            self.table.set_marker(MARK.name, self.marks)
            self.show_status()
            return
        self.recompute(keep=self.table.highlighted_id)

    def _on_jobs(self, _: object) -> None:
        """A watch started or ended: the `⟳` markers (statuses come via the feed)."""
        self.table.set_marker(WATCH.name, self.host.jobs.watched_ids())

    # ------------------------------------------------------------------ view

    def recompute(self, keep: str | None = None, *, row: int | None = None) -> None:
        """Filter and sort the whole inventory; the cursor stays on `keep` if it is still
        shown, else goes to `row` (None: the same index)."""
        if self.host.session is None:
            return
        inventory = self.session.inventory
        self.view = inventory.view(self.applied, self.sort, self.descending)
        self._drawn = inventory.models
        table = self.table
        table.set_marker(MARK.name, self.marks)
        table.set_sort(self.sort, self.descending)
        table.set_source(self.view, keep=keep, row=row)
        self.show_status()

    def show_status(self) -> None:
        loading = self.progress
        rows = self.table.visible_rows
        info = TableInfo(
            first=rows.start + 1 if rows else 0,
            last=rows.stop if rows else 0,
            matching=len(self.view),
            total=len(self.session.inventory),
            query=self.applied.text,
            sort_label=LABELS.get(self.sort, self.sort),
            descending=self.descending,
            marked=len(self.marks),
            loaded=loading.loaded if loading else None,
            expected=loading.total if loading else None,
        )
        self.query_one(TableStatus).show(info)
        # The footer is rebuilt on refresh_bindings: only when a key's availability
        # (check_action) can have changed.
        availability = (bool(self.view), bool(self.query_text))
        if availability != self._availability:
            self._availability = availability
            self.refresh_bindings()

    # ------------------------------------------------------------------ grid events

    @on(ModelGrid.Highlighted, "#models")
    def _highlighted(self, event: ModelGrid.Highlighted) -> None:
        event.stop()  # handled: no need to walk the app's handlers at every cursor move
        self.host.feed.select(event.model_id)

    @on(ModelGrid.RangeChanged, "#models")
    def _range_changed(self, event: ModelGrid.RangeChanged) -> None:
        """The rows on screen changed (a resize, a new source): the status line."""
        event.stop()
        if self.host.session is not None:
            self.show_status()

    def _scrolled(self) -> None:
        if self.host.session is not None:
            self.show_status()

    @on(ModelGrid.Selected, "#models")
    def _selected(self, event: ModelGrid.Selected) -> None:
        self.host.open_detail(event.model_id)

    @on(ModelGrid.SortRequested, "#models")
    def _header(self, event: ModelGrid.SortRequested) -> None:
        self.sort_by(event.column, toggle=True)

    @on(ModelGrid.CellProblem, "#models")
    def _bad_value(self, event: ModelGrid.CellProblem) -> None:
        """Once per model and field: the rest of the table is drawn, this cell shows `?`."""
        problem = event.problem
        model = self.session.inventory.get(problem.model_id)
        name = one_line(model.name if model and model.name else problem.model_id, limit=60)
        field = FIELD_OF.get(problem.field, problem.field)
        if model is None or field not in type(model).model_fields:
            text = f"{name}: a row could not be drawn ({one_line(problem.detail, limit=120)})."
        else:
            value = one_line(repr(getattr(model, field, None)), limit=60)
            text = (
                f"{name}: its {field} ({value}) cannot be shown, so it reads `?`. "
                "The server sent a value out of range."
            )
        self.notify(text, title="Unexpected value", severity="warning", timeout=8, markup=False)

    # ------------------------------------------------------------------ filter

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        bar = self.query_one(FilterBar)
        try:
            query = parse(event.value)
        except QueryError as error:  # the table keeps the last filter that parsed
            bar.show_problem(str(error))
            self.show_status()
            return
        bar.show_problem(None)
        if query != self.applied:
            self.applied = query
            self.recompute(keep=self.table.highlighted_id, row=0)
        else:
            self.show_status()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(FilterBar).done()
        self.set_focus(self.table)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":  # shown only while there is a filter to clear
            return self.query_one(FilterBar).active
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
        table = self.table
        model_id = table.highlighted_id
        if model_id is None:
            return
        self.host.feed.toggle_mark(model_id)
        table.set_marker(MARK.name, self.marks)
        table.move_cursor(table.cursor_row + 1)
        self.show_status()

    def action_mark_all(self) -> None:
        ids = {m.id for m in self.view}
        if ids <= self.marks:
            self.marks.difference_update(ids)
            self.notify(f"Unmarked {len(ids):,} models")
        else:
            self.marks.update(ids)
            text = self.applied.text
            scope = f" matching “{one_line(text, limit=60)}”" if text else ""
            self.notify(f"Marked {len(ids):,} models{scope}", markup=False)
        self.table.set_marker(MARK.name, self.marks)
        self.show_status()

    def action_wide(self) -> None:
        self.wide = not self.wide
        self.table.set_wide(self.wide)
        if self.wide:  # show what `w` added (Name stays frozen; ← → scroll the columns)
            self.table.reveal_wide()
        self.host.save_settings(wide_columns=self.wide)

    def sort_columns(self) -> list[str]:
        """What `s` cycles through: the columns on screen, then created (the server's
        order) when it is not among them."""
        layout = self.table.layout_now
        keys = layout.keys if layout else [c.key for c in COLUMNS if not c.wide]
        return keys if "created" in keys else [*keys, "created"]

    def sort_by(self, key: str, *, toggle: bool = False, descending: bool | None = None) -> None:
        if toggle and key == self.sort:
            self.descending = not self.descending
        else:
            self.sort = key
            self.descending = (key in NUMERIC) if descending is None else descending
        self.recompute(keep=self.table.highlighted_id)

    def action_sort_next(self) -> None:
        columns = self.sort_columns()
        index = columns.index(self.sort) if self.sort in columns else -1
        self.sort_by(columns[(index + 1) % len(columns)])

    def action_sort_reverse(self) -> None:
        self.sort_by(self.sort, toggle=True)

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
