"""ModelActions: every `xeroctl models` action from the keyboard, on any screen.

Chords (`g u`, `g x`, `g s`, ...), direct keys of the table and the detail screen and the
command palette all call these methods; each acts on the marked models, else the highlighted
one (`ModelFeed.targets`). The work runs in the app's workers (group "actions"), so it goes
on while the user moves between screens, and what the server confirmed is merged into the
feed at once — no reload. The seed's classes of actions decide who asks first (design.md
section 7): delete (destructive) confirms with Cancel focused and, for several models, the
count typed; share and unshare (reversible) do not ask, and offer the opposite as undo for a
few seconds; acting on several marked models always confirms once, with their count.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text

from xerotui.api.bulk import BulkProgress, BulkReport, BulkRunner, BulkStatus
from xerotui.api.errors import DryRun, XeroError
from xerotui.api.schema import Model
from xerotui.tui.errors import report
from xerotui.tui.host import Host, host
from xerotui.tui.sanitize import one_line

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from xerotui.tui.screens.bulk_result import BulkResultScreen

GROUP = "actions"
UNDO_SECONDS = 10.0
NOT_READY = "Only a model that is ready, active or validated can be {verb}d; {name} is {status}."


class ModelActions:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.in_flight: set[str] = set()
        """Models a change is being sent for: the same action is not sent twice meanwhile."""
        self.opening: set[str] = set()
        """Models whose screen is being read to open (`e e` opens one form, not two)."""
        self.undo: tuple[str, list[str]] | None = None
        """(action to undo with, model ids) while the undo key is offered."""
        self._undo_serial = 0

    # ------------------------------------------------------------------ helpers

    @property
    def host(self) -> Host:
        return host(self.app)

    def targets(self, ids: list[str] | None = None) -> list[str]:
        """The models to act on (given, else the marked, else the highlighted one), less
        those a change is already being sent for (a second key press sends nothing twice)."""
        chosen = ids if ids is not None else self.host.feed.targets()
        if not chosen:
            self.app.notify(
                "Highlight a model in the list (g l), or mark some with space.",
                severity="warning",
            )
            return []
        busy = [m for m in chosen if m in self.in_flight]
        if busy:
            self.app.notify(
                f"{len(busy)} of them {'is' if len(busy) == 1 else 'are'} still being changed: "
                "wait for that to finish.",
                severity="warning",
            )
        return [m for m in chosen if m not in self.in_flight]

    def run_on(self, ids: list[str], work: Awaitable[None], description: str) -> None:
        """Run `work` on `ids`, which count as in flight until it ends."""
        self.in_flight.update(ids)

        async def guarded() -> None:
            try:
                await work
            finally:
                self.in_flight.difference_update(ids)

        self.run(guarded(), description)

    def model(self, model_id: str) -> Model | None:
        return self.host.feed.inventory.get(model_id)

    def name(self, model_id: str) -> str:
        model = self.model(model_id)
        return one_line(model.name if model and model.name else model_id, limit=60)

    def run(self, work: Awaitable[None], description: str) -> None:
        self.app.run_worker(work, group=GROUP, exit_on_error=False, description=description)

    def explain(self, error: XeroError, model_id: str, verb: str) -> XeroError:
        """A server refusal in words (409 model_not_ready) — the message is replaced."""
        if error.code == "model_not_ready":
            model = self.model(model_id)
            status = model.status if model and model.status else "not ready"
            error.message = NOT_READY.format(verb=verb, name=self.name(model_id), status=status)
        return error

    # ------------------------------------------------------------------ edit

    def edit(self, model_id: str | None = None) -> None:
        chosen = self._one(model_id)
        if chosen is None:
            return
        from xerotui.tui.screens.edit_model import EditModelScreen

        self.run(self._with_details(chosen, EditModelScreen), "Reading the model to edit")

    async def _with_details(self, model_id: str, make: Callable[[Model], Screen[Any]]) -> None:
        """Open a screen on the model's extended fields, read fresh from the server: the
        list's copy lacks description, license, capabilities... and a form built on it would
        show them empty (and could send them back so)."""
        session = self.host.session
        if session is None or model_id in self.opening:
            return
        self.opening.add(model_id)
        try:
            model = await session.client.get_model(model_id, extended=True)
        except XeroError as error:
            report(self.app, error, doing=f"Reading {self.name(model_id)}")
            return
        finally:
            self.opening.discard(model_id)
        self.host.feed.merge(model)
        await self.app.push_screen(make(model))

    def copy_curl(self, model_id: str, *, with_key: bool = False) -> None:
        """ "Copy as curl": the key masked; `with_key` asks first, then copies it whole."""
        session = self.host.session
        if session is None:
            return
        if not with_key:
            command = session.client.model_curl(model_id)
            self.host.copy(command, what="curl command (key masked)")
            return
        from xerotui.tui.screens.confirm import ConfirmScreen

        def chosen(go: bool | None) -> None:
            if go and self.host.session is session:
                self.host.copy(
                    session.client.model_curl(model_id, reveal=True),
                    what="curl command WITH your API key",
                    preview="The API key is in the clipboard: paste it only where it is safe.",
                )

        self.app.push_screen(
            ConfirmScreen(
                "Copy the curl command with your API key?",
                "The clipboard will hold your whole API key: anything that can read the "
                "clipboard (or your terminal's history) can use it. y copies it with the key "
                "masked instead.",
                confirm="Copy with key",
            ),
            chosen,
        )

    # ------------------------------------------------------------------ delete

    def delete(self, ids: list[str] | None = None) -> None:
        chosen = self.targets(ids)
        if not chosen:
            return
        from xerotui.tui.screens.confirm import ConfirmScreen

        count = len(chosen)
        title = f"Delete {self.name(chosen[0])}?" if count == 1 else f"Delete {count} models?"
        body = Text()
        for model_id in chosen[:8]:
            body.append(f"• {self.name(model_id)}  ", style="bold")
            body.append(f"{model_id}\n", style="dim")
        if count > 8:
            body.append(f"… and {count - 8} more\n", style="dim")
        body.append(
            "\nDeleting is permanent: the model's versions, endpoints, routing rules, catalog "
            "entries and pending tasks go with it.",
        )
        typed = str(count) if count > 1 else None

        def chosen_answer(go: bool | None) -> None:
            if not go:
                return
            if count == 1:
                self.run_on(chosen, self._delete_one(chosen[0]), "Deleting a model")
            else:
                self.run_on(chosen, self._bulk("delete", chosen), "Deleting models")

        self.app.push_screen(ConfirmScreen(title, body, typed=typed), chosen_answer)

    async def _delete_one(self, model_id: str) -> None:
        session = self.host.session
        if session is None:
            return
        name = self.name(model_id)
        try:
            await session.client.delete_model(model_id)
        except XeroError as error:
            report(self.app, error, doing=f"Deleting {name}")
            return
        self.host.feed.remove([model_id])
        self.app.notify(f"[OK] {model_id}  {name}", title="Deleted 1 of 1 model", markup=False)

    # ------------------------------------------------------------------ share / unshare

    def share(self, ids: list[str] | None = None) -> None:
        self._reversible("share", ids)

    def unshare(self, ids: list[str] | None = None) -> None:
        self._reversible("unshare", ids)

    def _reversible(self, action: str, ids: list[str] | None) -> None:
        chosen = self.targets(ids)
        if not chosen:
            return
        if len(chosen) == 1:
            self.run_on(chosen, self._single(action, chosen[0]), f"{action.title()} model")
            return
        from xerotui.tui.screens.confirm import ConfirmScreen

        where = "to the public catalog" if action == "share" else "from the public catalog"

        def answer(go: bool | None) -> None:
            if go:
                self.run_on(chosen, self._bulk(action, chosen), f"{action.title()} models")

        self.app.push_screen(
            ConfirmScreen(
                f"{action.title()} {len(chosen)} marked models {where}?",
                "Reversible: the opposite action undoes it.",
                confirm=action.title(),
                destructive=False,
            ),
            answer,
        )

    def action_undo(self) -> None:
        """Undo the last share or unshare (no question: it undoes what was just done)."""
        if self.undo is None:
            return
        action, ids = self.undo
        self.undo = None
        self.app.refresh_bindings()
        ids = [m for m in ids if m not in self.in_flight]
        if ids:
            work = self._single(action, ids[0]) if len(ids) == 1 else self._bulk(action, ids)
            self.run_on(ids, work, f"Undo: {action}")

    def _offer_undo(self, done: str, ids: list[str]) -> None:
        opposite = "unshare" if done == "share" else "share"
        self._undo_serial += 1
        serial = self._undo_serial
        self.undo = (opposite, ids)
        self.app.refresh_bindings()

        def expire() -> None:
            if self._undo_serial == serial:
                self.undo = None
                self.app.refresh_bindings()

        self.app.set_timer(UNDO_SECONDS, expire)

    async def _single(self, action: str, model_id: str) -> None:
        session = self.host.session
        if session is None:
            return
        call = session.client.share_model if action == "share" else session.client.unshare_model
        try:
            await call(model_id)
        except XeroError as error:
            report(self.app, self.explain(error, model_id, action), doing=f"{action.title()}")
            return
        self._shared(action, [model_id])
        where = "to the public catalog" if action == "share" else "from the public catalog"
        self.app.notify(
            f"{'Shared' if action == 'share' else 'Unshared'} {self.name(model_id)} {where}. "
            f"u undoes it ({UNDO_SECONDS:.0f} s).",
            title="Catalog",
            markup=False,
        )
        self._offer_undo(action, [model_id])

    def _shared(self, action: str, ids: list[str]) -> None:
        """The server confirmed: the models' shared flag changes everywhere at once."""
        flag = action == "share"
        models = [m.model_copy(update={"is_shared": flag}) for i in ids if (m := self.model(i))]
        self.host.feed.merge_many(models)

    # ------------------------------------------------------------------ bulk runs

    def _operation(self, action: str) -> Callable[[str], Awaitable[object]]:
        session = self.host.session
        assert session is not None
        client = session.client
        calls: dict[str, Callable[[str], Awaitable[object]]] = {
            "delete": client.delete_model,
            "share": client.share_model,
            "unshare": client.unshare_model,
        }
        return calls[action]

    async def _bulk(self, action: str, ids: list[str]) -> None:
        from xerotui.tui.screens.bulk_result import BulkResultScreen

        if self.host.session is None:
            return
        verbs = {"delete": "Deleted", "share": "Shared", "unshare": "Unshared"}
        verb = verbs[action]
        names = {model_id: self.name(model_id) for model_id in ids}
        hint = "Models that failed stay marked: the same key tries them again."
        screen = BulkResultScreen(
            f"{action.title()} {len(ids)} model{'s' if len(ids) != 1 else ''}",
            names,
            verb=verb,
            hint=hint,
        )

        def progress(step: BulkProgress[object]) -> None:
            if screen.is_attached:
                screen.progress(step)

        runner: BulkRunner[object] = BulkRunner(self._operation(action), on_progress=progress)
        screen.on_stop = runner.stop
        await self.app.push_screen(screen)
        result = await runner.run(ids)
        self._finished(action, result, screen, verb)

    def _finished(
        self, action: str, result: BulkReport[object], screen: BulkResultScreen, verb: str
    ) -> None:
        feed = self.host.feed
        held = [r for r in result.results if isinstance(r.error, DryRun)]
        if action == "delete":
            feed.remove(result.ok)
        else:
            self._shared(action, result.ok)
        feed.unmark(result.ok)  # what failed stays marked: the same key tries it again
        if screen.is_attached:
            screen.finish(result)
        failed = result.count(BulkStatus.FAIL) + result.count(BulkStatus.UNKNOWN)
        self.app.notify(
            result.summary(verb),
            title="Models",
            severity="error" if failed and not held else "information",
            markup=False,
        )
        if held and held[0].error is not None:
            report(self.app, held[0].error, doing=f"{action.title()} ({len(held)} held back)")
        if action in ("share", "unshare") and result.ok:
            self._offer_undo(action, result.ok)

    # ------------------------------------------------------------------ views of one model

    def _one(self, model_id: str | None) -> str | None:
        """A single-model view acts on the highlighted model (or the first marked one)."""
        if model_id:
            return model_id
        feed = self.host.feed
        if feed.highlighted is not None:
            return feed.highlighted
        chosen = self.targets()
        return chosen[0] if chosen else None

    def catalog(self, model_id: str | None = None) -> None:
        chosen = self._one(model_id)
        if chosen is not None:
            from xerotui.tui.screens.catalog import CatalogScreen

            self.host.open_on_models(CatalogScreen(chosen))

    def probe(self, model_id: str | None = None) -> None:
        chosen = self._one(model_id)
        if chosen is not None:
            from xerotui.tui.screens.probe import ProbeScreen

            self.app.push_screen(ProbeScreen(chosen, self.name(chosen)))

    def capabilities(self, model_id: str | None = None) -> None:
        chosen = self._one(model_id)
        if chosen is None:
            return
        from xerotui.tui.screens.capabilities import CapabilitiesScreen

        known = sorted({c for m in self.host.feed.inventory.models for c in m.capabilities or []})
        self.run(
            self._with_details(chosen, lambda model: CapabilitiesScreen(model, known)),
            "Reading the model's capabilities",
        )

    def recommendations(self) -> None:
        from xerotui.tui.screens.recommendations import RecommendationsScreen

        self.host.open_on_models(RecommendationsScreen())
