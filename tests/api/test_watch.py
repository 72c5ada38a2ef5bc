"""StatusWatcher in plain asyncio with a fake clock: outcomes, schedule, faults, one loop."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from watch_helpers import WALL, Harness, model

from xerotui.api.errors import (
    ConnectionFailedError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
)
from xerotui.api.schema import Model
from xerotui.api.watch_state import ORIGIN_LIST, Change, Outcome, PollPolicy, WatchUpdate


def cumulative(intervals: list[float]) -> list[float]:
    return list(itertools.accumulate(intervals))


async def test_watch_ends_at_success_with_history_and_changes() -> None:
    h = Harness()
    h.source.timeline["a"] = [(0, "validating"), (3, "ready")]
    async with h.watcher:
        watch = h.watcher.watch("a", status="validating")
        await h.run_until(lambda: watch.outcome is not None)
        assert await h.watcher.wait(watch) is Outcome.SUCCESS
    assert watch.reported
    assert watch.reason == "Status ready"
    assert watch.history == [(WALL, "validating"), (WALL + 4.75, "ready")]
    assert h.source.gets() == [1.0, 2.5, 4.75]
    assert watch.elapsed(h.clock.now + 100) == pytest.approx(4.75)
    assert h.changes() == [
        ("a", "started", "validating", None),
        ("a", "status", "ready", "validating"),
        ("a", "ended", "ready", "ready"),
    ]
    assert h.watcher.running() == []
    assert h.watcher.watches() == [watch]


@pytest.mark.parametrize("final", ["failed", "invalid", "error"])
async def test_watch_ends_at_failure(final: str) -> None:
    h = Harness()
    h.source.timeline["a"] = [(0, "validating"), (2, final)]
    async with h.watcher:
        watch = h.watcher.watch("a", status="validating")
        await h.run_until(lambda: watch.outcome is not None)
    assert watch.outcome is Outcome.FAILURE
    assert watch.status == final
    assert watch.reason == f"Status {final}"


async def test_timeout_after_a_last_look_at_the_deadline() -> None:
    h = Harness()
    h.source.timeline["a"] = [(0, "validating")]
    async with h.watcher:
        watch = h.watcher.watch("a", status="validating", timeout=30)
        await h.run_until(lambda: watch.outcome is not None)
    assert watch.outcome is Outcome.TIMEOUT
    assert watch.reason == "Still validating after 30 s"
    assert h.elapsed == 30
    assert watch.elapsed(h.clock.now) == 30
    assert h.source.gets()[-1] == 30  # polled once more at the deadline


async def test_default_timeout_is_600_seconds() -> None:
    h = Harness()
    h.source.timeline["a"] = [(0, "validating")]
    async with h.watcher:
        watch = h.watcher.watch("a", status="validating")
        await h.run_until(lambda: watch.outcome is not None, horizon=700)
    assert (watch.outcome, h.elapsed) == (Outcome.TIMEOUT, 600)
    # 7 polls until 30.8 s, then one per 10 s, and a last look at 600 s: 64, not 600.
    assert len(h.source.gets()) == 64


async def test_backoff_schedule_and_reset_on_change() -> None:
    policy = PollPolicy()
    h = Harness(policy)
    h.source.timeline["a"] = [(0, "validating"), (41, "loading"), (400, "ready")]
    async with h.watcher:
        watch = h.watcher.watch("a", status="validating")
        await h.run_until(lambda: len(h.source.gets()) >= 12)
    assert policy.schedule(8) == pytest.approx([1, 1.5, 2.25, 3.375, 5.0625, 7.59375, 10, 10])
    first = cumulative(policy.schedule(8))  # 1 .. 40.78: nothing changes
    assert h.source.gets()[:8] == pytest.approx(first)
    # At 50.78 the poll sees "loading": the interval drops back to 1 s and grows again.
    after = [first[-1] + 10 + t for t in [0.0, *cumulative(policy.schedule(3))]]
    assert h.source.gets()[8:12] == pytest.approx(after)
    assert watch.running
    assert watch.status == "loading"


async def test_429_retry_after_pauses_the_loop() -> None:
    h = Harness()
    h.source.timeline["a"] = [(0, "validating"), (5, "ready")]
    h.source.failures = [RateLimitedError("Slow down", retry_after=30, status=429)]
    async with h.watcher:
        watch = h.watcher.watch("a", status="validating")
        await h.run_until(lambda: watch.failures == 1)
        assert watch.problem is not None
        assert watch.problem.startswith("Rate limited: Slow down")
        await h.run_until(lambda: watch.outcome is not None)
    assert h.source.gets() == [1.0, 31.0]  # not at 2.5: the server asked for 30 s
    assert watch.outcome is Outcome.SUCCESS
    assert watch.failures == 0
    assert watch.problem is None


async def test_429_without_retry_after_waits_the_policy_pause() -> None:
    h = Harness(PollPolicy(rate_limit_wait=12))
    h.source.timeline["a"] = [(0, "validating"), (5, "ready")]
    h.source.failures = [RateLimitedError("Slow down", status=429)]
    async with h.watcher:
        watch = h.watcher.watch("a", status="validating")
        await h.run_until(lambda: watch.outcome is not None)
    assert h.source.gets() == [1.0, 13.0]


async def test_5xx_and_dropped_connections_do_not_end_a_watch() -> None:
    h = Harness()
    h.source.timeline["a"] = [(0, "validating"), (5, "ready")]
    h.source.failures = [
        ServerError("The endpoint is temporarily unavailable", status=503, code="x"),
        ConnectionFailedError("Could not reach 127.0.0.1: the server closed the connection"),
        RequestTimeoutError("127.0.0.1 did not answer in time"),
    ]
    problems: list[tuple[int, str | None]] = []

    def on_update(update: WatchUpdate) -> None:
        for change in update.changes:
            if change.kind is Change.PROBLEM:
                problems.append((change.watch.failures, change.watch.problem))

    h.watcher.subscribe(on_update)
    async with h.watcher:
        watch = h.watcher.watch("a", status="validating")
        await h.run_until(lambda: watch.outcome is not None)
    assert [count for count, _ in problems[:3]] == [1, 2, 3]
    assert problems[0][1] is not None
    assert "HTTP 503" in problems[0][1]
    assert problems[1][1] is not None
    assert problems[1][1].startswith("Cannot reach the server")
    assert problems[3] == (0, None)  # the next good poll clears the problem
    assert watch.outcome is Outcome.SUCCESS
    assert h.source.gets() == [1.0, 2.5, 4.75, 8.125]  # failed polls back off as well


async def test_unexpected_exception_is_a_problem_too() -> None:
    h = Harness()
    h.source.timeline["a"] = [(0, "validating"), (2, "ready")]
    h.source.failures = [KeyError("bug")]
    async with h.watcher:
        watch = h.watcher.watch("a", status="validating")
        await h.run_until(lambda: watch.outcome is not None)
    assert watch.outcome is Outcome.SUCCESS
    assert len(h.source.gets()) == 2


async def test_cancel_stops_polling() -> None:
    h = Harness()
    h.source.timeline["a"] = [(0, "validating")]
    async with h.watcher:
        watch = h.watcher.watch("a", status="validating")
        await h.run_until(lambda: len(h.source.gets()) == 2)
        assert h.watcher.cancel(watch)
        assert not h.watcher.cancel(watch)
        assert not h.watcher.cancel("nobody")
        assert await h.watcher.wait(watch) is Outcome.CANCELLED
        await h.until(lambda: not h.clock.sleeping)  # nothing left: the loop waits, no timer
    assert watch.reason == "Cancelled"
    assert len(h.source.gets()) == 2
    assert h.changes("ended") == [("a", "ended", "validating", "validating")]


async def test_many_watches_share_one_loop_and_one_list_request_per_round() -> None:
    h = Harness()
    ids = [f"m{n:02d}" for n in range(50)]
    for n, mid in enumerate(ids):
        h.source.timeline[mid] = [(0, "validating"), (5 + n, "ready")]
    async with h.watcher:
        for mid in ids:
            h.watcher.watch(mid, status="validating")
            h.clock.now += 0.005  # started one after the other: they still share rounds
        loops = [t for t in asyncio.all_tasks() if t.get_name() == "status-watch"]
        assert len(loops) == 1
        await h.run_until(lambda: not h.watcher.running())
    assert all(w.outcome is Outcome.SUCCESS for w in h.watcher.watches())
    assert h.source.gets() == []  # 50 models on one page: a list per round, no GET
    rounds = len(h.source.lists())
    assert rounds == len(set(h.source.lists()))
    assert rounds < 30
    assert h.watcher.pages == 1


async def test_strategy_follows_the_cost_in_a_big_project() -> None:
    h = Harness()
    h.source.filler = 995  # 1,000 models: 10 pages per full scan
    for mid in ("a", "b", "c", "d", "e"):
        h.source.timeline[mid] = [(0, "validating")]
    async with h.watcher:
        for mid in ("a", "b", "c", "d", "e"):
            h.watcher.watch(mid, status="validating")
        await h.run_until(lambda: len(h.source.gets()) >= 10)
    # The first round reads one page (learning 10 pages), then 5 GETs beat 10 pages.
    assert h.source.lists() == [1.0]
    assert h.watcher.pages == 10
    assert h.source.gets()[:5] == [2.5] * 5


async def test_a_scan_goes_on_while_pages_are_cheaper_than_gets() -> None:
    h = Harness()
    h.source.filler = 950  # 1,000 models; the watched ones sort last, on page 10
    ids = [f"z{n:02d}" for n in range(50)]
    for mid in ids:
        h.source.timeline[mid] = [(0, "validating")]
    async with h.watcher:
        for mid in ids:
            h.watcher.watch(mid, status="validating")
        await h.run_until(lambda: len(h.source.lists()) >= 20)
    assert h.source.gets() == []  # 10 pages beat 50 GETs, even after a first page of none
    assert h.source.lists()[:10] == [1.0] * 10
    assert h.source.lists()[10:20] == [2.5] * 10


async def test_a_first_page_without_them_falls_back_to_gets() -> None:
    h = Harness()
    h.source.filler = 995
    ids = ["z1", "z2", "z3", "z4", "z5"]
    for mid in ids:
        h.source.timeline[mid] = [(0, "validating")]
    async with h.watcher:
        for mid in ids:
            h.watcher.watch(mid, status="validating")
        await h.run_until(lambda: len(h.source.gets()) >= 10)
    assert h.source.lists() == [1.0]  # then 9 pages left cost more than 5 GETs
    assert h.source.gets() == [1.0] * 5 + [2.5] * 5


async def test_models_missing_from_the_list_are_fetched_and_404_is_gone() -> None:
    h = Harness()
    h.source.timeline.update(a=[(0, "validating")], b=[(0, "validating")])
    async with h.watcher:
        a = h.watcher.watch("a", status="validating")
        b = h.watcher.watch("b", status="validating")
        h.source.gone.add("b")
        await h.run_until(lambda: b.outcome is not None)
    assert b.outcome is Outcome.GONE
    assert b.reason == "Model gone: Model not found"
    assert a.running
    assert [c for c in h.source.calls if c[0] == "get"] == [("get", "b", 1.0)]
    assert [u.gone for u in h.updates if u.gone] == [("b",)]


async def test_adding_a_watch_wakes_the_loop() -> None:
    h = Harness()
    h.source.timeline.update(a=[(0, "validating")], b=[(0, "validating")])
    async with h.watcher:
        h.watcher.watch("a", status="validating")
        await h.run_until(lambda: h.clock.sleeps[-1:] == [10.0])
        at = h.elapsed
        b = h.watcher.watch("b")  # status unknown: polled at once
        await h.until(lambda: h.source.gets("b") == [at])
        await h.idle()
        assert h.clock.sleeps[-1] == pytest.approx(1.0)  # short again, for the new one
    assert b.status == "validating"
    assert h.source.gets("a")[-1] == at  # its poll just before the 10 s sleep; not again


async def test_known_status_is_history_not_an_outcome() -> None:
    """A status seen before the watch started starts its history, never ends it."""
    h = Harness()
    h.source.timeline["a"] = [(0, "validating"), (3, "ready")]
    async with h.watcher:
        # The caller knew "ready" from before it asked for a revalidation.
        watch = h.watcher.watch("a", status="ready")
        assert watch.running
        assert watch.history == [(WALL, "ready")]
        await h.run_until(lambda: watch.outcome is not None)
    assert [s for _, s in watch.history] == ["ready", "validating", "ready"]
    assert watch.outcome is Outcome.SUCCESS


async def test_unchanged_known_status_is_not_a_change() -> None:
    h = Harness()
    h.source.timeline["a"] = [(0, "validating"), (9, "ready")]
    async with h.watcher:
        watch = h.watcher.watch("a", status="validating")
        await h.run_until(lambda: watch.polls == 3)
        assert h.changes("status") == []
        await h.run_until(lambda: watch.outcome is not None)
    assert h.changes("status") == [("a", "status", "ready", "validating")]


async def test_track_follows_in_progress_models_silently() -> None:
    h = Harness()
    h.source.timeline.update(v=[(0, "validating"), (2, "ready")], r=[(0, "ready")])
    async with h.watcher:
        seen = [model("v", "validating"), model("r", "ready"), model("n", None)]
        added = h.watcher.track(seen)
        assert [w.model_id for w in added] == ["v"]
        watch = added[0]
        assert (watch.origin, watch.reported, watch.status) == (ORIGIN_LIST, False, "validating")
        assert h.watcher.track(seen) == []  # already under watch
        await h.run_until(lambda: watch.outcome is not None)
    assert watch.outcome is Outcome.SUCCESS
    assert not watch.reported


async def test_a_list_read_before_a_watch_does_not_touch_it() -> None:
    h = Harness()
    h.source.timeline["a"] = [(0, "validating"), (2, "ready")]
    async with h.watcher:
        watch = h.watcher.watch("a", status="validating")
        assert h.watcher.track([model("a", "failed")]) == []  # a stale page, read earlier
        assert h.watcher.track([model("a", "validating")]) == []
        assert watch.running
        assert watch.status == "validating"
        await h.run_until(lambda: watch.outcome is not None)
    assert watch.outcome is Outcome.SUCCESS


async def test_watching_an_id_under_watch_returns_that_watch() -> None:
    h = Harness()
    h.source.timeline.update(a=[(0, "validating")], p=[(0, "validating"), (900, "ready")])
    async with h.watcher:
        first = h.watcher.watch("a", status="validating")
        assert h.watcher.watch("a", status="validating") is first
        [passive] = h.watcher.track([model("p", "validating")])
        await h.run_until(lambda: h.elapsed >= 500)
        promoted = h.watcher.watch("p", timeout=100)
        assert promoted is passive
        assert promoted.reported
        assert promoted.origin == "revalidate"
        await h.run_until(lambda: promoted.outcome is not None, horizon=200)
    assert promoted.outcome is Outcome.TIMEOUT
    assert promoted.elapsed(h.clock.now) == pytest.approx(h.elapsed)
    assert h.clock.now - 1000 == pytest.approx(promoted.timeout)  # 100 s after the promotion
    assert len(h.watcher.watches()) == 2
    assert [c[0] for c in h.changes("started")] == ["a", "p", "p"]


async def test_end_all_ends_every_watch_with_the_reason() -> None:
    h = Harness()
    h.source.timeline.update(a=[(0, "validating")], b=[(0, "validating")])
    async with h.watcher:
        a = h.watcher.watch("a", status="validating")
        [b] = h.watcher.track([model("b", "validating")])
        await h.run_until(lambda: a.polls == 2)
        ended = h.watcher.end_all("Profile switched to prod")
        assert ended == [a, b]
        await h.until(lambda: not h.clock.sleeping)
    assert {(w.outcome, w.reason) for w in (a, b)} == {(Outcome.ENDED, "Profile switched to prod")}


async def test_subscribers_get_every_model_fetched_and_a_broken_one_is_harmless() -> None:
    h = Harness()
    h.source.timeline.update(a=[(0, "validating"), (2, "ready")], b=[(0, "validating")])

    def broken(update: object) -> None:
        raise RuntimeError("observer bug")

    h.watcher.subscribe(broken)
    async with h.watcher:
        a = h.watcher.watch("a", status="validating")
        h.watcher.watch("b", status="validating")
        await h.run_until(lambda: a.outcome is not None)
    fetched = [(m.id, m.status) for u in h.updates for m in u.models]
    assert fetched[:4] == [
        ("a", "validating"),
        ("b", "validating"),
        ("a", "ready"),
        ("b", "validating"),
    ]


async def test_unsubscribe_and_closed_watcher() -> None:
    h = Harness()
    h.source.timeline["a"] = [(0, "validating")]
    seen: list[object] = []
    unsubscribe = h.watcher.subscribe(seen.append)
    unsubscribe()
    async with h.watcher:
        h.watcher.watch("a", status="validating")
    assert seen == []
    with pytest.raises(RuntimeError):
        h.watcher.start()


async def test_watch_starts_the_loop_by_itself() -> None:
    h = Harness()
    h.source.timeline["a"] = [(0, "validating"), (1, "ready")]
    watch = h.watcher.watch("a", status="validating")
    try:
        await h.run_until(lambda: watch.outcome is not None)
    finally:
        await h.watcher.aclose()
    assert watch.outcome is Outcome.SUCCESS


async def test_a_model_without_a_status_is_no_news() -> None:
    h = Harness()
    h.source.timeline["a"] = [(0, "validating")]
    real_get = h.source.get_model

    async def without_status(model_id: str, extended: bool = True) -> Model:
        found = await real_get(model_id, extended)
        return found.model_copy(update={"status": None})

    h.source.get_model = without_status  # type: ignore[method-assign]
    async with h.watcher:
        watch = h.watcher.watch("a", status="validating")
        await h.run_until(lambda: watch.polls == 2)
    assert watch.status == "validating"
    assert h.changes("status") == []
