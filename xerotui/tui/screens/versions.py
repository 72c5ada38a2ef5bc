"""Versions (`g v`, `v`): a model's version timeline — create, promote, roll back.

Pushed over the models mode (over the detail when opened from there). The timeline lists the
versions newest first with the latest marked and the time between them. `c` opens the
create form (semver checked as typed), `p` promotes the highlighted version (confirmed),
`b` opens the rollback form, which offers only versions older than the latest (confirmed,
Cancel focused: it is destructive). After a promote or a rollback the model is read again
and merged into the feed, so the table, the detail and the overview show its new version
without a reload.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from xerotui.api.errors import NotFoundError, XeroError
from xerotui.api.schema import Model, ModelVersion
from xerotui.api.versions import latest_of, ordered, rollback_targets
from xerotui.tui.errors import report
from xerotui.tui.format import status_text
from xerotui.tui.sanitize import one_line
from xerotui.tui.screens.base import XeroScreen
from xerotui.tui.widgets.version_timeline import VersionTimeline, header

NARROW = 100
"""Below this many columns the Created column folds away."""


class VersionsScreen(XeroScreen):
    """The versions of one model, read from the server each time the screen opens."""

    TITLE = "Versions"
    MODE = "models"
    DEFAULT_CSS = """
    VersionsScreen #versions-title {
        height: auto;
        padding: 0 1;
        margin: 1 0 0 0;
    }
    VersionsScreen #versions-head {
        height: 1;
        padding: 0 2;
        margin: 1 0 0 0;
    }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="versions.back"),
        Binding("q", "back", "Back", id="versions.q", show=False),
        Binding("c", "create", "New version", id="versions.create"),
        Binding("p", "promote", "Promote", id="versions.promote"),
        Binding("b", "rollback", "Roll back", id="versions.rollback"),
        Binding("ctrl+r", "reload", "Reload", id="versions.reload"),
    ]

    def __init__(self, model_id: str) -> None:
        super().__init__()
        self.model_id = model_id
        self.model: Model | None = None
        self.versions: list[ModelVersion] = []
        self.loaded = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="versions-title")
        yield Static(id="versions-head")
        yield VersionTimeline(id="versions-timeline")

    @property
    def timeline(self) -> VersionTimeline:
        return self.query_one(VersionTimeline)

    @property
    def latest(self) -> str | None:
        return latest_of(self.versions, self.model.version if self.model else None)

    def on_mount(self) -> None:
        super().on_mount()
        self.model = self.session.inventory.get(self.model_id)
        self.set_focus(self.timeline)
        self.redraw()
        self.load()

    def on_resize(self) -> None:
        self.redraw()

    # ------------------------------------------------------------------ loading

    @work(group="versions", exclusive=True, exit_on_error=False, description="Loading versions")
    async def load(self, keep: str | None = None) -> None:
        try:
            answer = await self.session.client.list_versions(self.model_id)
        except XeroError as error:
            if isinstance(error, NotFoundError):
                self.query_one("#versions-title", Static).update(
                    Text(f"Model {one_line(self.model_id)} was not found (deleted?)", "bold red")
                )
            report(self, error, doing="Loading versions")
            return
        self.versions, self.loaded = ordered(answer.data), True
        self.redraw(keep=keep)
        latest = latest_of(self.versions)
        if self.model is not None and latest is not None and latest != self.model.version:
            await self.read_model()  # the latest moved elsewhere: the list shows it too

    async def read_model(self) -> None:
        """The model again (after its latest version moved), into the feed for every screen."""
        try:
            model = await self.session.client.get_model(self.model_id, extended=True)
        except XeroError:
            return  # the timeline is right; the list catches up at its next refresh
        self.model = model
        self.host.feed.merge(model)
        self.redraw()

    def redraw(self, keep: str | None = None) -> None:
        narrow = self.size.width < NARROW
        keep = keep or (v.version if (v := self.timeline.highlighted_version) else None)
        self.query_one("#versions-head", Static).update(header(narrow=narrow))
        self.timeline.show(self.versions, narrow=narrow, keep=keep or self.latest)
        title = Text()
        model = self.model
        title.append(one_line(model.name if model else self.model_id, limit=80), style="bold")
        title.append("  latest ", style="dim")
        title.append(one_line(self.latest, limit=40), style="bold cyan")
        if model is not None:
            title.append("  ")
            title.append_text(status_text(model.status))
        if not self.loaded:
            title.append("  loading versions…", style="dim")
        else:
            count = len(self.versions)
            older = len(rollback_targets(self.versions, self.latest))
            title.append(
                f"  ·  {count} version{'s' if count != 1 else ''}, {older} older than the latest",
                style="dim",
            )
        self.query_one("#versions-title", Static).update(title)
        self.refresh_bindings()

    @work(group="versions-model", exclusive=True, exit_on_error=False, description="Reading model")
    async def after_change(self, answer: ModelVersion, before: str | None, verb: str) -> None:
        """After a promote or a rollback: the model and the timeline, read again."""
        name = one_line(self.model.name if self.model else self.model_id, limit=60)
        self.notify(
            f"{name}: {one_line(answer.version)} is the latest now (was {one_line(before)}).",
            title=verb,
            markup=False,
        )
        model: Model | None
        try:
            model = await self.session.client.get_model(self.model_id, extended=True)
        except XeroError:  # the answer is enough to show the change; the next load confirms
            current = self.model or self.session.inventory.get(self.model_id)
            model = current.model_copy(update={"version": answer.version}) if current else None
        if model is not None:
            self.model = model
            self.host.feed.merge(model)
        self.load(keep=answer.version)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        chosen = self.timeline.highlighted_version
        if action == "promote":
            return True if chosen is not None and not chosen.is_latest else None
        if action == "rollback":
            return True if rollback_targets(self.versions, self.latest) else None
        if action == "create":
            return True if self.loaded else None
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.load()

    def action_create(self) -> None:
        from xerotui.tui.screens.version_create import CreateVersionScreen

        def created(answer: ModelVersion | None) -> None:
            if answer is not None:
                self.notify(
                    f"{one_line(answer.version)} created (the latest is still "
                    f"{one_line(self.latest)}: p promotes it).",
                    title="Version created",
                    markup=False,
                )
                self.load(keep=answer.version)

        label = self.model.name if self.model else None
        self.app.push_screen(CreateVersionScreen(self.model_id, label, self.versions), created)

    def action_promote(self) -> None:
        from xerotui.tui.screens.confirm import ConfirmScreen

        chosen = self.timeline.highlighted_version
        if chosen is None or chosen.is_latest:
            return
        before, version = self.latest, chosen.version
        name = one_line(self.model.name if self.model else self.model_id, limit=60)
        body = Text.assemble(
            "The latest version of ",
            (name, "bold"),
            " moves from ",
            (one_line(before), "bold"),
            " to ",
            (one_line(version), "bold cyan"),
            ". What uses the latest version uses it from then on.",
        )

        def chosen_answer(go: bool | None) -> None:
            if go:
                self.promote(version, before)

        self.app.push_screen(
            ConfirmScreen(
                f"Promote {one_line(version, limit=40)} to latest?",
                body,
                confirm="Promote",
                destructive=False,
            ),
            chosen_answer,
        )

    @work(group="versions-change", exclusive=True, exit_on_error=False, description="Promoting")
    async def promote(self, version: str, before: str | None) -> None:
        try:
            answer = await self.session.client.promote_version(self.model_id, version)
        except XeroError as error:
            report(self, error, doing=f"Promoting {one_line(version)}")
            self.load()
            return
        self.after_change(answer, before, "Promoted")

    def action_rollback(self) -> None:
        from xerotui.tui.screens.version_rollback import RollbackScreen

        before = self.latest

        def rolled_back(answer: ModelVersion | None) -> None:
            if answer is not None:
                self.after_change(answer, before, "Rolled back")
            else:
                self.load()  # the form may have learned of a change: show the server's list

        label = self.model.name if self.model else None
        self.app.push_screen(
            RollbackScreen(self.model_id, label, self.versions, before), rolled_back
        )
