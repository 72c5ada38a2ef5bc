"""Revalidator: `g r` and `r` — queue revalidations and hand them to the jobs store's watcher.

The seed classes revalidate as *safe* (design.md section 7): one model is queued at once,
with no question; marked models ask once, with their count (a non-destructive
ConfirmScreen), then go through BulkRunner. Each accepted revalidation becomes a reported
watch, and the model's row shows the answer's status at once (it spins until the end).

Refusals: the API answers 404 `model_not_found` both for a model that does not exist and
for one not in a terminal status (design.md section 4). A GET tells which, and the user
reads it in words — never "not found" for a model that is there; a model whose
revalidation is already running is watched until it ends. A model already under watch, or
whose request is in flight, is not queued twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text

from xerotui.api.bulk import BulkResult, BulkRunner, BulkStatus
from xerotui.api.errors import NotFoundError, XeroError
from xerotui.api.schema import TERMINAL_STATUSES, RevalidateResult, is_terminal
from xerotui.tui.errors import report
from xerotui.tui.format import duration_text
from xerotui.tui.host import host
from xerotui.tui.sanitize import clean, one_line

if TYPE_CHECKING:
    from textual.app import App

    from xerotui.tui.jobs_store import JobsStore
    from xerotui.tui.session import Session

ORIGIN_RUNNING = "already running"
"""Origin of a watch on a revalidation the server was already running."""
GROUP = "revalidate"
TOAST_SECONDS = 8
LINES_SHOWN = 8
TERMINAL_WORDS = ", ".join(sorted(TERMINAL_STATUSES))


class Revalidator:
    """The revalidate flows of the app (one instance, used by chords and screens)."""

    def __init__(self, app: App[Any], jobs: JobsStore) -> None:
        self.app = app
        self.jobs = jobs
        self._pending: set[str] = set()
        """Models whose revalidate request is in flight."""

    # ------------------------------------------------------------------ entry points

    def targets(self) -> None:
        """`g r` and `r` on the table: the marked models (asked once), else the highlighted."""
        feed = host(self.app).feed
        ids = feed.targets()
        if not ids:
            self.app.notify("Highlight a model in the list first (g l).", severity="warning")
        elif feed.marks:
            self.ask(ids)
        else:
            self.one(ids[0])

    def one(self, model_id: str) -> None:
        """Queue one model now (no question)."""
        self.app.run_worker(
            self._one(model_id), group=GROUP, exit_on_error=False, description="Revalidating"
        )

    def ask(self, model_ids: Sequence[str]) -> None:
        """Marked models: one question with their count, then all of them."""
        from xerotui.tui.screens.confirm import ConfirmScreen

        ids = list(model_ids)
        names = [self._name(mid) for mid in ids[:6]]
        body = Text("Each is queued and watched until it ends (Jobs, g j):\n")
        body.append("\n".join(f"  {name}" for name in names))
        if len(ids) > len(names):
            body.append(f"\n  … and {len(ids) - len(names)} more")

        def chosen(go: bool | None) -> None:
            if go:
                self.many(ids)

        count = f"{len(ids)} marked model{'s' if len(ids) != 1 else ''}"
        self.app.push_screen(
            ConfirmScreen(f"Revalidate {count}?", body, confirm="Revalidate", destructive=False),
            chosen,
        )

    def many(self, model_ids: Sequence[str]) -> None:
        self.app.run_worker(
            self._many(list(model_ids)),
            group=GROUP,
            exit_on_error=False,
            description="Revalidating marked models",
        )

    # ------------------------------------------------------------------ flows

    async def _one(self, model_id: str) -> None:
        name = self._name(model_id)
        already = self._already(model_id)
        if already is not None:
            self.app.notify(
                f"{name}: {already}.", title="Not queued twice", timeout=TOAST_SECONDS, markup=False
            )
            return
        session = self._session()
        self._pending.add(model_id)
        try:
            answer = await session.client.revalidate_model(model_id)
        except NotFoundError:
            if session is host(self.app).session:
                title, text, severity = await self._refused(session, model_id)
                self.app.notify(
                    text, title=title, severity=severity, timeout=TOAST_SECONDS, markup=False
                )
            return
        except XeroError as error:
            report(self.app, error, doing=f"Revalidating {name}")
            return
        finally:
            self._pending.discard(model_id)
        if session is host(self.app).session:
            self._queued(model_id, answer)
            self.app.notify(
                f"{name}: {one_line(answer.status)}. Watch it in Jobs (g j).",
                title="Revalidation queued",
                timeout=4,
                markup=False,
            )

    async def _many(self, model_ids: list[str]) -> None:
        session = self._session()
        lines: list[str] = []
        todo: list[str] = []
        skipped: list[str] = []
        for model_id in model_ids:
            already = self._already(model_id)
            if already is None:
                todo.append(model_id)
            else:
                skipped.append(model_id)
                lines.append(f"[SKIPPED] {self._name(model_id)}: {already}")
        runner: BulkRunner[RevalidateResult] = BulkRunner(session.client.revalidate_model)
        self._pending.update(todo)
        try:
            outcome = await runner.run(todo)
        finally:
            self._pending.difference_update(todo)
        if session is not host(self.app).session:
            return
        failed = 0
        for result in outcome.results:
            if result.status is BulkStatus.OK and result.value is not None:
                self._queued(result.model_id, result.value)
                continue
            failed += 1
            lines.append(await self._failure_line(session, result))
        feed = host(self.app).feed
        feed.unmark([*outcome.ok, *skipped])
        summary = outcome.summary("Revalidating") if todo else "Nothing new to revalidate"
        if skipped:
            summary += f"; {len(skipped)} already under watch"
        shown = [summary, *lines[:LINES_SHOWN]]
        if len(lines) > LINES_SHOWN:
            shown.append(f"… and {len(lines) - LINES_SHOWN} more")
        self.app.notify(
            "\n".join(shown),
            title="Revalidate marked models",
            severity="warning" if failed else "information",
            timeout=TOAST_SECONDS + 4,
            markup=False,
        )

    # ------------------------------------------------------------------ helpers

    def _session(self) -> Session:
        session = host(self.app).session
        if session is None:  # the chords and keys are only there once connected
            raise RuntimeError("no session")
        return session

    def _name(self, model_id: str) -> str:
        model = host(self.app).feed.inventory.get(model_id)
        watch = self.jobs.get(model_id)
        name = (model.name if model else None) or (watch.name if watch else None) or model_id
        return one_line(name, limit=60)

    def _already(self, model_id: str) -> str | None:
        """Why `model_id` is not queued again (None: queue it). A silent track of a model
        in progress becomes a reported watch: the user wants to see it end."""
        if model_id in self._pending:
            return "its revalidation is being queued"
        watch = self.jobs.get(model_id)
        if watch is None:
            return None
        status = one_line(watch.status, "unknown", limit=40)
        if watch.reported:
            took = duration_text(watch.elapsed(self.jobs.now()))
            return f"already under watch ({status}, for {took})"
        self.jobs.watch(model_id, status=watch.status, name=watch.name, origin=ORIGIN_RUNNING)
        return f"already being revalidated ({status}, started elsewhere); watching it now"

    def _queued(self, model_id: str, answer: RevalidateResult) -> None:
        """Accepted: watch it, and show the answer's status in the list at once."""
        feed = host(self.app).feed
        model = feed.inventory.get(model_id)
        self.jobs.watch(model_id, status=answer.status, name=model.name if model else None)
        if model is not None and model.status != answer.status:
            feed.merge(model.model_copy(update={"status": answer.status}))

    async def _refused(self, session: Session, model_id: str) -> tuple[str, str, Any]:
        """A 404 to revalidate: (title, words, severity) — gone, busy, or refused."""
        name = self._name(model_id)
        feed = host(self.app).feed
        try:
            model = await session.client.get_model(model_id)
        except NotFoundError:
            feed.remove([model_id])
            return "Model gone", f"{name} no longer exists on the server (deleted?).", "error"
        except XeroError:
            model = None
        if model is not None and not is_terminal(model.status):
            feed.merge(model)
            status = one_line(model.status, "unknown", limit=40)
            self.jobs.watch(model_id, status=model.status, name=model.name, origin=ORIGIN_RUNNING)
            text = (
                f"{name} is {status}: a revalidation is already running, and the server "
                "accepts a new one only once it has finished. Watching it until it does."
            )
            return "Revalidation already running", text, "warning"
        now = f" (it is {one_line(model.status, 'unknown', limit=40)} now)" if model else ""
        text = (
            f"The server refused to revalidate {name}{now}. It accepts a revalidation only "
            f"from a finished status ({TERMINAL_WORDS}); try again in a moment."
        )
        return "Revalidation refused", text, "warning"

    async def _failure_line(self, session: Session, result: BulkResult[Any]) -> str:
        name = self._name(result.model_id)
        if isinstance(result.error, NotFoundError):
            _title, text, _severity = await self._refused(session, result.model_id)
            return f"[{result.status}] {text}"  # the words name the model
        return f"[{result.status}] {name}: {clean(result.reason, newlines=False)}"
