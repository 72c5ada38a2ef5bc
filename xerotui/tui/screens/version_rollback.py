"""RollbackScreen: roll a model back to an older version — only older ones are offered.

The API rolls back only to a version lower than the current latest (design.md section 4),
so the form lists exactly those (:func:`xerotui.api.versions.rollback_targets`), newest
first. Choosing one asks once more — rollback is destructive: Cancel is focused — and then
sends it. If the server refuses (`400 invalid_rollback`: the latest changed since the list
was read), the form says so in words, reads the versions again and offers what is older
than the latest now. Dismisses with the server's answer, or None.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from xerotui.api.errors import ValidationError, XeroError
from xerotui.api.schema import ModelVersion
from xerotui.api.versions import gap_text, latest_of, rollback_targets
from xerotui.tui.errors import report
from xerotui.tui.format import minute_text, or_unknown
from xerotui.tui.host import host
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import one_line


class RollbackScreen(SafeDispatch, ModalScreen[ModelVersion | None]):
    DEFAULT_CSS = """
    RollbackScreen {
        align: center middle;
    }
    RollbackScreen #rollback-form {
        width: 86;
        max-width: 95%;
        height: auto;
        max-height: 95%;
    }
    RollbackScreen #rollback-title {
        text-style: bold;
        margin-bottom: 1;
    }
    RollbackScreen #rollback-targets {
        height: auto;
        max-height: 14;
        margin: 1 0;
    }
    RollbackScreen #rollback-problem {
        color: $error;
        height: auto;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="rollback.cancel")]

    def __init__(
        self,
        model_id: str,
        model_name: str | None,
        versions: Sequence[ModelVersion],
        latest: str | None,
    ) -> None:
        super().__init__()
        self.model_id = model_id
        self.model_name = one_line(model_name or model_id, limit=50)
        self.latest = latest
        self.versions = list(versions)
        self.targets = rollback_targets(versions, latest)
        self.sending = False

    def compose(self) -> ComposeResult:
        with Vertical(id="rollback-form", classes="dialog"):
            yield Static(Text(f"Roll back {self.model_name}"), id="rollback-title")
            yield Static(id="rollback-intro")
            yield OptionList(id="rollback-targets")
            yield Static(id="rollback-problem")
            yield Static(Text("enter choose (then confirm) · esc cancel", style="dim"))

    def on_mount(self) -> None:
        self.show_targets()
        self.query_one(OptionList).focus()

    def show_targets(self) -> None:
        intro = Text("The latest version is ")
        intro.append(one_line(self.latest), style="bold cyan")
        if self.targets:
            intro.append(". Roll back to one of the older versions:")
        else:
            intro.append(": there is no older version to roll back to.")
        self.query_one("#rollback-intro", Static).update(intro)
        options = self.query_one(OptionList)
        options.set_options(self._option(v) for v in self.targets)
        options.display = bool(self.targets)
        if self.targets:
            options.highlighted = 0

    def _option(self, version: ModelVersion) -> Option:
        row = Table.grid(padding=(0, 2), expand=True)
        row.add_column(width=14, no_wrap=True, overflow="ellipsis")
        row.add_column(width=16, no_wrap=True)
        row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        row.add_row(
            Text(one_line(version.version, limit=40), style="bold"),
            Text(or_unknown(minute_text, version.created), style="dim"),
            Text(one_line(version.version_notes, limit=200)),
        )
        return Option(row, id=version.version)

    @on(OptionList.OptionSelected, "#rollback-targets")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        from xerotui.tui.screens.confirm import ConfirmScreen

        version = event.option.id
        chosen = next((v for v in self.targets if v.version == version), None)
        if chosen is None or self.sending:
            return
        latest = next((v for v in self.versions if v.version == self.latest), None)
        body = Text.assemble(
            "The latest version of ",
            (self.model_name, "bold"),
            " becomes ",
            (one_line(chosen.version), "bold"),
            " (now ",
            (one_line(self.latest), "bold"),
            "). The newer versions are kept: you can promote them again.",
        )
        if latest is not None:
            gap = gap_text(latest.created - chosen.created)
            body.append(f"\n{one_line(chosen.version)} was created {gap} before it.", style="dim")

        def confirmed(go: bool | None) -> None:
            if go:
                self.send(chosen.version)

        self.app.push_screen(
            ConfirmScreen(
                f"Roll back to {one_line(chosen.version, limit=40)}?",
                body,
                confirm="Roll back",
            ),
            confirmed,
        )

    @work(group="version-rollback", exclusive=True, exit_on_error=False, description="Rolling back")
    async def send(self, version: str) -> None:
        session = host(self).session
        if session is None:
            return
        self.sending = True
        try:
            answer = await session.client.rollback_version(self.model_id, version)
        except ValidationError as error:
            self.sending = False
            if error.code != "invalid_rollback":
                report(self, error, doing=f"Rolling back to {one_line(version, limit=40)}")
                return
            await self._refused(version, error)
            return
        except XeroError as error:
            self.sending = False
            report(self, error, doing=f"Rolling back to {one_line(version, limit=40)}")
            return
        self.sending = False
        self.dismiss(answer)

    async def _refused(self, version: str, error: XeroError) -> None:
        """400 invalid_rollback: explain, then offer what is older than the latest now."""
        session = host(self).session
        before = self.latest
        try:
            versions = (await session.client.list_versions(self.model_id)).data if session else []
        except XeroError:
            versions = []
        now = latest_of(versions) if versions else None
        if now is not None:
            self.latest, self.versions = now, list(versions)
            self.targets = rollback_targets(versions, now)
        words = Text(
            f"The server refused to roll back to {one_line(version, limit=40)}: it rolls back "
            "only to a version older than the latest one, and "
        )
        if now is not None and now != before:
            words.append(
                f"the latest is {one_line(now, limit=40)} now (it was {one_line(before, limit=40)}"
                " when this list was read: it changed meanwhile). The list shows what is older "
                "than it now."
            )
        else:
            words.append(f"{one_line(version, limit=40)} is not older than {one_line(before)}.")
        words.append(f"\n{one_line(error.message, limit=200)} ({error.code})", style="dim")
        self.query_one("#rollback-problem", Static).update(words)
        self.show_targets()

    def action_cancel(self) -> None:
        self.dismiss(None)
