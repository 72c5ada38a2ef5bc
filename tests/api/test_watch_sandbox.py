"""StatusWatcher against the sandbox over real HTTP: real revalidation jobs, real faults."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from xerotui.api.client import XeroClient
from xerotui.api.schema import Model
from xerotui.api.watch import StatusWatcher
from xerotui.api.watch_state import Change, Outcome, PollPolicy, Watch, WatchUpdate
from xerotui.launcher import SandboxInfo

Faults = Callable[..., Awaitable[dict[str, Any]]]
FAST = PollPolicy(first=0.2, cap=1.0)  # the sandbox validates in 0.4 s in tests
BOUND = 30.0  # generous: the machine is shared
BROKEN = {"smollm2-1.7b-instruct", "mixtral-8x22b-instruct-awq", "gemma-2-27b-it"}


async def seed_models(client: XeroClient) -> dict[str, Model]:
    """Every seed model of proj_demo by name."""
    return {m.name or m.id: m async for page in client.iter_models() for m in page.data}


async def healthy_ready(client: XeroClient, count: int) -> list[Model]:
    models = await seed_models(client)
    ready = [m for name, m in models.items() if m.status == "ready" and name not in BROKEN]
    assert len(ready) >= count
    return ready[:count]


async def settings(info: SandboxInfo, **values: float) -> None:
    async with httpx.AsyncClient(base_url=info.root_url, timeout=10) as http:
        (await http.post("/_sandbox/settings", json=values)).raise_for_status()


@pytest.fixture
async def watcher(client: XeroClient) -> AsyncIterator[StatusWatcher]:
    async with StatusWatcher(client, policy=FAST) as status_watcher:
        yield status_watcher


async def revalidate_and_watch(
    client: XeroClient, watcher: StatusWatcher, model: Model, **kw: Any
) -> Watch:
    answer = await client.revalidate_model(model.id)
    return watcher.watch(model.id, status=answer.status, name=model.name, **kw)


async def outcome(watcher: StatusWatcher, watch: Watch) -> Outcome:
    return await asyncio.wait_for(watcher.wait(watch), BOUND)


async def test_revalidation_watched_to_ready(client: XeroClient, watcher: StatusWatcher) -> None:
    [model] = await healthy_ready(client, 1)
    fetched: list[Model] = []
    watcher.subscribe(lambda update: fetched.extend(update.models))
    watch = await revalidate_and_watch(client, watcher, model)
    assert await outcome(watcher, watch) is Outcome.SUCCESS
    assert [status for _, status in watch.history] == ["validating", "ready"]
    assert watch.reported
    assert watch.problem is None
    assert (await client.get_model(model.id)).status == "ready"
    assert fetched[-1].id == model.id
    assert fetched[-1].status == "ready"


async def test_revalidation_of_broken_files_ends_in_failure(
    client: XeroClient, watcher: StatusWatcher
) -> None:
    model = (await seed_models(client))["smollm2-1.7b-instruct"]
    assert model.status == "ready"  # its files are marked broken: revalidation fails
    watch = await revalidate_and_watch(client, watcher, model)
    assert await outcome(watcher, watch) is Outcome.FAILURE
    assert watch.status == "failed"
    assert (await client.get_model(model.id)).status == "failed"


async def test_five_at_once_in_one_loop_reading_the_list(
    client: XeroClient, watcher: StatusWatcher
) -> None:
    models = await healthy_ready(client, 5)
    client.log.clear()
    answers = [await client.revalidate_model(m.id) for m in models]
    watches = [watcher.watch(a.id, status=a.status) for a in answers]
    outcomes = await asyncio.gather(*(outcome(watcher, w) for w in watches))
    assert outcomes == [Outcome.SUCCESS] * 5
    for model in models:
        assert (await client.get_model(model.id)).status == "ready"
    polls = [r for r in client.log.records() if r.method == "GET"]
    # The 43-model project fits one page: each round is one list request, never five GETs.
    assert {r.endpoint_key for r in polls[: -len(models)]} == {"models.list"}
    assert watcher.pages == 1


async def test_timeout_leaves_the_model_validating(
    client: XeroClient, watcher: StatusWatcher, sandbox: SandboxInfo
) -> None:
    await settings(sandbox, validation_seconds=120)
    [model] = await healthy_ready(client, 1)
    watch = await revalidate_and_watch(client, watcher, model, timeout=1.0)
    assert await outcome(watcher, watch) is Outcome.TIMEOUT
    assert watch.reason == "Still validating after 1 s"
    assert (await client.get_model(model.id)).status == "validating"


@pytest.mark.parametrize(
    ("fault", "problem"),
    [
        ({"fail_next": 3, "error_status": 503}, "Server error: The endpoint is temporarily"),
        ({"drop_next": 2}, "Cannot reach the server: Could not reach 127.0.0.1"),
    ],
    ids=["503", "dropped-connection"],
)
async def test_faults_during_a_watch_do_not_end_it(
    make_client: Callable[..., XeroClient],
    faults: Faults,
    sandbox: SandboxInfo,
    fault: dict[str, Any],
    problem: str,
) -> None:
    client = make_client(max_attempts=1)  # the watcher, not the client's retries, rides it out
    await settings(sandbox, validation_seconds=1.5)
    [model] = await healthy_ready(client, 1)
    problems: list[tuple[int, str | None, bool]] = []

    def on_update(update: WatchUpdate) -> None:
        for change in update.changes:
            if change.kind is Change.PROBLEM:
                w = change.watch
                problems.append((w.failures, w.problem, w.running))

    async with StatusWatcher(client, policy=FAST) as watcher:
        watcher.subscribe(on_update)
        await faults(**fault, methods=["GET"], path_contains=model.id)
        watch = await revalidate_and_watch(client, watcher, model)
        assert await outcome(watcher, watch) is Outcome.SUCCESS
    failures = [p for p in problems if p[0] > 0]
    assert [count for count, _, _ in failures] == list(range(1, len(failures) + 1))
    assert len(failures) == fault.get("fail_next", fault.get("drop_next"))
    assert all(text is not None and text.startswith(problem) for _, text, _ in failures)
    assert all(running for _, _, running in failures)
    assert problems[-1] == (0, None, True)  # cleared by the next good poll
    assert watch.failures == 0
    assert (await client.get_model(model.id)).status == "ready"


async def test_deleted_model_ends_the_watch_as_gone(
    client: XeroClient, watcher: StatusWatcher, sandbox: SandboxInfo
) -> None:
    await settings(sandbox, validation_seconds=120)
    [model] = await healthy_ready(client, 1)
    watch = await revalidate_and_watch(client, watcher, model)
    await client.delete_model(model.id)
    assert await outcome(watcher, watch) is Outcome.GONE
    assert watch.reason == "Model gone: Model not found"
