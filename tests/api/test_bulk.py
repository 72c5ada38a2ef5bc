"""BulkRunner in plain asyncio: bounded concurrency, results, lines, summary, stop, cancel."""

from __future__ import annotations

import asyncio
import socket

import pytest

from xerotui.api.bulk import BulkProgress, BulkReport, BulkResult, BulkRunner, BulkStatus
from xerotui.api.client import XeroClient
from xerotui.api.errors import (
    ConflictError,
    ConnectionFailedError,
    NotFoundError,
    RequestTimeoutError,
)

BOUND = 10.0


class Gate:
    """An operation that holds every call until released, counting how many run at once."""

    def __init__(self) -> None:
        self.running: set[str] = set()
        self.most = 0
        self.release: dict[str, asyncio.Event] = {}
        self.changed = asyncio.Event()
        self.errors: dict[str, Exception] = {}

    async def __call__(self, model_id: str) -> str:
        self.running.add(model_id)
        self.most = max(self.most, len(self.running))
        self.changed.set()
        try:
            await self.release.setdefault(model_id, asyncio.Event()).wait()
            if model_id in self.errors:
                raise self.errors[model_id]
            return f"done {model_id}"
        finally:
            self.running.discard(model_id)

    async def until_running(self, count: int, *including: str) -> None:
        async with asyncio.timeout(BOUND):
            while len(self.running) != count or not self.running.issuperset(including):
                self.changed.clear()
                await self.changed.wait()

    def let_go(self, *ids: str) -> None:
        for model_id in ids:
            self.release.setdefault(model_id, asyncio.Event()).set()


async def test_at_most_n_at_once_results_in_order_and_progress() -> None:
    gate = Gate()
    seen: list[BulkProgress[str]] = []
    runner = BulkRunner(gate, concurrency=3, on_progress=seen.append)
    ids = [f"m{n}" for n in range(7)]
    task = asyncio.create_task(runner.run([*ids, "m1"]))  # a duplicate is done once
    await gate.until_running(3)
    assert runner.report.results == ()
    gate.let_go(*ids)
    report = await asyncio.wait_for(task, BOUND)
    assert gate.most == 3
    assert [r.model_id for r in report.results] == ids
    assert report.ok == ids
    assert report.results[0].value == "done m0"
    assert report.lines()[0] == "[OK] m0"
    assert report.summary() == "Deleted 7 of 7 models"
    assert len(seen) == 14  # a start and an end for each
    assert seen[0].result is None
    assert seen[0].running == ("m0",)
    assert seen[-1].finished == 7
    assert seen[-1].result is not None


async def test_fail_lines_carry_the_servers_reason() -> None:
    async def delete(model_id: str) -> None:
        if model_id == "b":
            raise NotFoundError("Model not found", code="model_not_found", status=404)
        if model_id == "c":
            raise ConflictError("Model is not ready", code="model_not_ready", status=409)

    report = await BulkRunner(delete).run(["a", "b", "c"])
    assert report.lines() == [
        "[OK] a",
        "[FAIL] b: Model not found (model_not_found, HTTP 404)",
        "[FAIL] c: Model is not ready (model_not_ready, HTTP 409)",
    ]
    assert report.summary() == "Deleted 1 of 3 models (2 failed)"
    assert report.summary("Shared") == "Shared 1 of 3 models (2 failed)"
    assert report.not_ok == ["b", "c"]
    assert report.render().splitlines()[-1] == "Deleted 1 of 3 models (2 failed)"


async def test_a_lost_connection_on_a_mutation_is_unknown() -> None:
    async def delete(model_id: str) -> None:
        """As the client reports a connection lost after the request was written."""
        if model_id == "b":
            lost = ConnectionFailedError("Could not reach 127.0.0.1: the connection was lost.")
            lost.maybe_applied = True
            raise lost
        if model_id == "c":
            late = RequestTimeoutError("127.0.0.1 did not answer in time.")
            late.maybe_applied = True
            raise late

    report = await BulkRunner(delete).run(["a", "b", "c"])
    assert [r.status for r in report.results] == ["OK", "UNKNOWN", "UNKNOWN"]
    assert report.lines()[1] == (
        "[UNKNOWN] b: Could not reach 127.0.0.1: the connection was lost. "
        "Not known whether it was applied."
    )
    assert report.summary() == "Deleted 1 of 3 models (2 unknown)"
    # Reading is not a mutation: nothing is unknown about a failed read.
    report = await BulkRunner(delete, mutation=False).run(["b"])
    assert report.results[0].status is BulkStatus.FAIL


async def test_a_refused_connection_sent_nothing_so_it_failed(unused_port: int) -> None:
    async with XeroClient(f"http://127.0.0.1:{unused_port}/proj_demo/v1", "xero_k_x") as client:
        report = await BulkRunner(client.delete_model).run(["a"])
    [result] = report.results
    assert result.status is BulkStatus.FAIL
    assert isinstance(result.error, ConnectionFailedError)
    assert "connection refused" in result.reason


async def test_unexpected_exception_on_a_mutation_is_unknown() -> None:
    async def delete(model_id: str) -> None:
        raise KeyError(model_id)

    report = await BulkRunner(delete).run(["a"])
    assert report.results[0].status is BulkStatus.UNKNOWN
    assert report.results[0].reason.startswith("Unexpected error: KeyError('a')")


async def test_stop_finishes_the_running_and_skips_the_rest() -> None:
    gate = Gate()
    runner = BulkRunner(gate, concurrency=2)
    task = asyncio.create_task(runner.run(["a", "b", "c", "d"]))
    await gate.until_running(2)
    runner.stop()
    gate.let_go("a", "b")
    report = await asyncio.wait_for(task, BOUND)
    assert [r.status for r in report.results] == ["OK", "OK", "SKIPPED", "SKIPPED"]
    assert report.lines()[2] == "[SKIPPED] c: Not attempted: the run was stopped."
    assert report.summary() == "Deleted 2 of 4 models (2 not attempted)"


async def test_cancel_marks_in_flight_unknown_and_the_rest_skipped() -> None:
    gate = Gate()
    runner = BulkRunner(gate, concurrency=2)
    task = asyncio.create_task(runner.run(["a", "b", "c", "d"]))
    await gate.until_running(2)
    gate.let_go("a")
    await gate.until_running(2, "c")  # "c" took a's place
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    report = runner.report
    assert [(r.model_id, r.status) for r in report.results] == [
        ("a", "OK"),
        ("b", "UNKNOWN"),
        ("c", "UNKNOWN"),
        ("d", "SKIPPED"),
    ]
    assert report.results[1].reason == (
        "Cancelled while the request was in flight. Not known whether it was applied."
    )
    assert gate.running == set()
    assert report.summary() == "Deleted 1 of 4 models (2 unknown, 1 not attempted)"


def test_one_model_summary_and_empty_run() -> None:
    report: BulkReport[None] = BulkReport((BulkResult("a", BulkStatus.OK),))
    assert report.summary() == "Deleted 1 of 1 model"

    async def nothing(_model_id: str) -> None:
        return None

    assert asyncio.run(BulkRunner(nothing).run([])).results == ()
    with pytest.raises(ValueError, match="concurrency"):
        BulkRunner(nothing, concurrency=0)


@pytest.fixture
def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
