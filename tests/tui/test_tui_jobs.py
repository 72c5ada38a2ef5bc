"""Revalidate and the Jobs screen against the sandbox: watched to the end, live, in words."""

from __future__ import annotations

import pytest
from jobs_probe import (
    BROKEN,
    HEALTHY,
    cell,
    ended,
    fast,
    ids_by_name,
    models_screen,
    revalidate_row,
    set_timings,
)
from textual.geometry import Region
from tui_helpers import MakeApp, build_app, settle, wait_until
from tui_probe import (
    SIZE,
    highlight,
    no_pending_jobs,
    sandbox_http,
    server_model,
    set_faults,
    toasts,
    wait_toast,
    widget_lines,
    widget_text,
)

from xerotui.api.client import XeroClient
from xerotui.api.requestlog import RequestLog
from xerotui.api.watch_state import Outcome
from xerotui.config.settings import Settings
from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.format import SPINNER
from xerotui.tui.screens.confirm import ConfirmScreen
from xerotui.tui.screens.jobs import JobsScreen
from xerotui.tui.screens.overview import OverviewScreen
from xerotui.tui.session import Session, SessionOpener
from xerotui.tui.widgets.model_grid import ModelGrid
from xerotui.tui.widgets.status_header import StatusHeader


def header_text(app: XeroApp) -> str:
    """The header's tabs line (where the Jobs count is)."""
    return widget_text(app.screen.query_one(StatusHeader).query_one("#tabs"))


async def test_a_revalidation_is_watched_to_ready(make_app: MakeApp, sandbox: SandboxInfo) -> None:
    ids = await ids_by_name(sandbox)
    model_id = ids[HEALTHY[0]]
    app = fast(make_app())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await set_timings(sandbox, validation_seconds=1.0)
        watch = await revalidate_row(pilot, model_id)
        # queued at once, no question: the row says so and the header counts it
        assert not isinstance(app.screen, ConfirmScreen)
        assert watch.reported
        assert watch.status == "validating"
        assert cell(app, model_id, "watch") == "⟳"
        assert "validating" in cell(app, model_id, "status")
        await pilot.pause()
        assert "⟳ 1 job" in header_text(app)
        await ended(pilot, watch)
        assert watch.outcome is Outcome.SUCCESS
        assert [status for _, status in watch.history] == ["validating", "ready"]
        _, text = await wait_toast(pilot, "ready after", severity="information")
        assert text.startswith(f"Revalidated\n{HEALTHY[0]}: ready after ")
        await wait_until(pilot, lambda: "ready" in cell(app, model_id, "status"), what="ready")
        assert cell(app, model_id, "watch") == " "
        assert "job" not in header_text(app)
    assert (await server_model(sandbox, model_id))["status"] == "ready"


async def test_a_revalidation_of_broken_files_ends_in_failure(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    model_id = (await ids_by_name(sandbox))[BROKEN]
    app = fast(make_app())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        watch = await revalidate_row(pilot, model_id)
        await ended(pilot, watch)
        assert watch.outcome is Outcome.FAILURE
        _, text = await wait_toast(pilot, "failed after", severity="error")
        assert text.startswith(f"Revalidation failed\n{BROKEN}: failed after ")
        await wait_until(pilot, lambda: "failed" in cell(app, model_id, "status"), what="failed")
    assert (await server_model(sandbox, model_id))["status"] == "failed"


async def test_five_marked_models_ask_once_and_are_watched_in_one_loop(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    ids = await ids_by_name(sandbox)
    chosen = [ids[name] for name in HEALTHY]
    app = fast(make_app())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        for model_id in chosen:
            await highlight(pilot, model_id)
            await pilot.press("space")
        before = len(app.request_log.records())
        await pilot.press("r")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.title_text == "Revalidate 5 marked models?"
        assert not confirm.destructive  # safe: asked once because there are several
        await pilot.press("tab", "enter")  # Cancel is focused: move to Revalidate
        await wait_until(pilot, lambda: len(app.jobs.running()) == 5, what="five watches")
        watches = list(app.jobs.running())
        assert {w.model_id for w in watches} == set(chosen)
        for watch in watches:
            await ended(pilot, watch)
        assert {w.outcome for w in watches} == {Outcome.SUCCESS}
        await wait_toast(pilot, "Revalidating 5 of 5 models")
        assert not app.feed.marks  # done: unmarked
        requests = app.request_log.records()[before:]
    posts = [r for r in requests if r.method == "POST"]
    assert len(posts) == 5
    assert all(r.status == 200 for r in posts)
    polls = {r.endpoint_key for r in requests if r.method == "GET"}
    assert polls == {"models.list"}  # one list page per round, never a GET per model
    for model_id in chosen:
        assert (await server_model(sandbox, model_id))["status"] == "ready"


async def test_watches_run_on_across_screens_themes_and_modals(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    model_id = (await ids_by_name(sandbox))[HEALTHY[1]]
    app = fast(make_app())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await set_timings(sandbox, validation_seconds=2.0)
        watch = await revalidate_row(pilot, model_id)
        await pilot.press("g", "o")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert "⟳ 1 job" in header_text(app)  # the header of every screen counts it
        await pilot.press("g", "t", "question_mark")
        app.theme = "textual-light"
        await pilot.press("escape", "g", "e")
        await ended(pilot, watch)
        assert watch.outcome is Outcome.SUCCESS
        await pilot.press("g", "j")
        await settle(pilot)
        jobs = app.screen
        assert isinstance(jobs, JobsScreen)
        history = widget_text(jobs.query_one("#jobs-history"))
        assert "◌ validating" in history
        assert "● ready" in history
        assert "✔ success after" in history
        assert "✔ success" in widget_text(jobs.table)


async def test_a_watch_times_out_and_says_so(make_app: MakeApp, sandbox: SandboxInfo) -> None:
    model_id = (await ids_by_name(sandbox))[HEALTHY[2]]
    app = fast(make_app())
    app.jobs.watch_timeout = 1.0
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await set_timings(sandbox, validation_seconds=120)
        watch = await revalidate_row(pilot, model_id)
        await ended(pilot, watch)
        assert watch.outcome is Outcome.TIMEOUT
        _, text = await wait_toast(pilot, "Revalidation timed out", severity="warning")
        assert "still validating after" in text
        assert "stopped watching" in text
    assert (await server_model(sandbox, model_id))["status"] == "validating"


@pytest.mark.parametrize(
    ("fault", "problem"),
    [({"fail_next": 3, "error_status": 503}, "Server error"), ({"drop_next": 2}, "Cannot reach")],
    ids=["503", "dropped-connection"],
)
async def test_failing_polls_do_not_end_a_watch(
    sandbox: SandboxInfo, fault: dict[str, object], problem: str
) -> None:
    model_id = (await ids_by_name(sandbox))[HEALTHY[3]]
    log = RequestLog()
    client = XeroClient(sandbox.base_url, sandbox.api_key, max_attempts=1, log=log)  # no retries
    session = Session(client, sandbox.api_key, profile="test", origin="test")
    app = fast(XeroApp(session, Settings(refresh_interval=0), opener=SessionOpener(log)))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await set_timings(sandbox, validation_seconds=2.0)
        seen: list[str] = []
        watch = await revalidate_row(pilot, model_id)
        await set_faults(sandbox, **fault, methods=["GET"])
        await pilot.press("g", "j")

        def retrying() -> bool:
            if watch.problem:
                seen.append(watch.problem)
            return bool(seen) and "retrying" in widget_text(app.screen.query_one("#jobs-table"))

        await wait_until(pilot, retrying, what="a failed poll shown as retrying")
        await ended(pilot, watch)
        assert watch.outcome is Outcome.SUCCESS
        assert seen[0].startswith(problem)
        assert watch.problem is None
        assert watch.failures == 0
    assert not app.unexpected_errors


async def test_a_refused_revalidate_is_explained_and_followed(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    model_id = (await ids_by_name(sandbox))[HEALTHY[4]]
    app = fast(make_app())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await set_timings(sandbox, validation_seconds=2.0)
        async with sandbox_http(sandbox) as http:  # someone else started one: still "ready" here
            (await http.post(f"/models/{model_id}/revalidate")).raise_for_status()
        assert "ready" in cell(app, model_id, "status")
        await highlight(pilot, model_id)
        await pilot.press("r")
        _, text = await wait_toast(pilot, "already running", severity="warning")
        assert "not found" not in text.lower()
        assert "accepts a new one only once it has finished" in text
        watch = app.jobs.get(model_id)
        assert watch is not None
        assert watch.reported
        assert watch.origin == "already running"
        assert "validating" in cell(app, model_id, "status")
        await ended(pilot, watch)
        assert watch.outcome is Outcome.SUCCESS


async def test_a_model_under_watch_is_not_queued_twice(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    model_id = (await ids_by_name(sandbox))[HEALTHY[0]]
    app = fast(make_app())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await set_timings(sandbox, validation_seconds=120)
        await revalidate_row(pilot, model_id)
        await pilot.press("r")
        _, text = await wait_toast(pilot, "Not queued twice")
        assert "already under watch (validating" in text
        await pilot.press("g", "r")  # the chord too
        await settle(pilot)
    posts = [r for r in app.request_log.records() if r.method == "POST"]
    assert len(posts) == 1


async def test_a_profile_switch_ends_the_old_profiles_watches_with_a_line(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    model_id = (await ids_by_name(sandbox))[HEALTHY[1]]
    app = fast(make_app())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await set_timings(sandbox, validation_seconds=120)
        watch = await revalidate_row(pilot, model_id)
        new = app.opener.open(sandbox.base_url, sandbox.api_key, profile="staging", origin="test")
        await app.connect(new).wait()
        await settle(pilot)
        assert watch.outcome is Outcome.ENDED
        assert watch.reason == "Profile switched to staging"
        _, text = await wait_toast(pilot, "Profile switched from test to staging")
        assert "stopped watching 1 revalidation of test" in text
        assert "job" not in header_text(app)
        await pilot.press("g", "j")
        await settle(pilot)
        summary = widget_text(app.screen.query_one("#jobs-summary"))
        assert "Profile switched from test to staging" in summary
        assert "■ ended" in widget_text(app.screen.query_one("#jobs-table"))


async def test_a_model_in_progress_in_the_list_is_followed_by_the_one_poller(
    sandbox: SandboxInfo,
) -> None:
    """Revalidated elsewhere: with auto refresh on, the watcher (not the 30 s refresh) sees
    it finish, silently — no toast, no job counted."""
    model_id = (await ids_by_name(sandbox))[HEALTHY[2]]
    await no_pending_jobs(sandbox)  # the seed's own validating model is done: only ours runs
    await set_timings(sandbox, validation_seconds=1.5)
    async with sandbox_http(sandbox) as http:
        (await http.post(f"/models/{model_id}/revalidate")).raise_for_status()
    app = fast(build_app(sandbox, settings=Settings(refresh_interval=30)))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "validating" in cell(app, model_id, "status")
        watch = app.jobs.get(model_id)
        assert watch is not None
        assert not watch.reported
        assert watch.origin == "seen in list"
        await ended(pilot, watch)
        await wait_until(pilot, lambda: "ready" in cell(app, model_id, "status"), what="ready")
        assert not [t for t in toasts(app) if "Revalidat" in t[1]]
        assert "job" not in header_text(app)
        records = app.request_log.records()
        assert sum(r.endpoint_key == "models.list" for r in records) == 1  # no reload
        assert any(r.endpoint_key == "models.get" for r in records)  # the watcher's polls
    assert not app.unexpected_errors


async def test_stop_watching_and_open_the_model_from_the_jobs_screen(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    model_id = (await ids_by_name(sandbox))[HEALTHY[3]]
    app = fast(make_app())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await set_timings(sandbox, validation_seconds=120)
        watch = await revalidate_row(pilot, model_id)
        await pilot.press("g", "j")
        await settle(pilot)
        await pilot.press("c")
        assert watch.outcome is Outcome.CANCELLED
        await wait_toast(pilot, "the server goes on with it")
        await pilot.press("enter")
        await settle(pilot)
        assert getattr(app.screen, "model_id", None) == model_id
        assert app.current_mode == "models"
    assert (await server_model(sandbox, model_id))["status"] == "validating"


async def test_r_on_the_detail_revalidates_and_the_detail_follows(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    from tui_probe import open_detail

    model_id = (await ids_by_name(sandbox))[HEALTHY[4]]
    app = fast(make_app())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        detail = await open_detail(pilot, model_id)
        description = detail.model.description
        title = detail.query_one("#detail-title")
        assert "● ready" in widget_text(title)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.jobs.get(model_id) is not None, what="the watch")
        watch = app.jobs.get(model_id)
        assert watch is not None
        assert "validating" in widget_text(title)
        await ended(pilot, watch)
        await wait_until(pilot, lambda: "● ready" in widget_text(title), what="ready in title")
        # the watcher's copy refreshed the status; the extended fields stayed
        assert detail.model is not None
        assert detail.model.description == description
        assert description


async def test_the_spinner_repaints_only_its_rows(make_app: MakeApp, sandbox: SandboxInfo) -> None:
    """A spinner frame repaints the rows in progress, not the page (idle CPU: bench_jobs)."""
    model_id = (await ids_by_name(sandbox))[HEALTHY[0]]
    app = fast(make_app(animations=True))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await set_timings(sandbox, validation_seconds=120)
        await revalidate_row(pilot, model_id)
        table = models_screen(app).table
        painted: list[int] = []  # the lines the grid asks Textual to repaint
        refresh = table.refresh

        def counting(*regions: Region, **flags: bool) -> ModelGrid:
            for region in regions or (Region(0, 0, table.size.width, table.size.height),):
                painted.extend(region.line_range)
            return refresh(*regions, **flags)

        table.refresh = counting  # type: ignore[method-assign]

        async def next_frame() -> None:
            shown = cell(app, model_id, "status")
            await wait_until(pilot, lambda: cell(app, model_id, "status") != shown, what="a frame")

        await next_frame()
        await next_frame()
        painted.clear()
        await next_frame()
        await pilot.pause()
        row = table.row_of(model_id)
        assert row is not None
        glyph = cell(app, model_id, "status").split()[0]
        assert glyph in SPINNER
        assert glyph in widget_lines(table)[row + 1]  # painted (line 0 is the header)
        assert 0 < len(set(painted)) <= 2  # its line, not the 38 rows on screen
        other = next(m for m in models_screen(app).view if m.id != model_id)
        assert "● ready" in cell(app, other.id, "status")
