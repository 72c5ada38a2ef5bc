"""Bulk delete against the sandbox over real HTTP, with faults scoped to one model."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from xerotui.api.bulk import BulkProgress, BulkRunner, BulkStatus
from xerotui.api.client import XeroClient
from xerotui.api.errors import NotFoundError
from xerotui.api.schema import DeleteResult

Faults = Callable[..., Awaitable[dict[str, Any]]]


async def five_ids(client: XeroClient) -> list[str]:
    page = await client.list_models(limit=5)
    return [m.id for m in page.data]


async def exists(client: XeroClient, model_id: str) -> bool:
    try:
        await client.get_model(model_id)
    except NotFoundError:
        return False
    return True


async def test_bulk_delete_where_one_fails_finishes_the_rest(
    client: XeroClient, faults: Faults
) -> None:
    ids = await five_ids(client)
    failing = ids[2]
    await faults(fail_next=1, error_status=500, methods=["DELETE"], path_contains=failing)
    seen: list[BulkProgress[DeleteResult]] = []
    report = await BulkRunner(client.delete_model, concurrency=4, on_progress=seen.append).run(ids)
    assert report.ok == [i for i in ids if i != failing]
    assert report.lines()[2] == (
        f"[FAIL] {failing}: Internal server error (injected fault) (internal_error, HTTP 500)"
    )
    assert report.lines()[0] == f"[OK] {ids[0]}"
    assert report.summary() == "Deleted 4 of 5 models (1 failed)"
    assert report.not_ok == [failing]
    assert max(len(p.running) for p in seen) <= 4
    assert seen[-1].finished == 5
    for model_id in ids:
        assert await exists(client, model_id) == (model_id == failing)
    deleted = report.results[0].value
    assert deleted is not None
    assert deleted.deleted


async def test_dropped_connection_mid_bulk_reports_unknown(
    client: XeroClient, faults: Faults
) -> None:
    ids = await five_ids(client)
    dropped = ids[3]
    await faults(drop_next=1, methods=["DELETE"], path_contains=dropped)
    report = await BulkRunner(client.delete_model, concurrency=2).run(ids)
    statuses = {r.model_id: r.status for r in report.results}
    assert statuses == {i: BulkStatus.UNKNOWN if i == dropped else BulkStatus.OK for i in ids}
    line = report.lines()[3]
    assert line.startswith(f"[UNKNOWN] {dropped}: Could not reach 127.0.0.1:")
    assert line.endswith("Not known whether it was applied.")
    assert report.summary() == "Deleted 4 of 5 models (1 unknown)"
    # The server is the one to ask: here the drop happened before the delete ran.
    assert await exists(client, dropped)
    assert [await exists(client, i) for i in ids if i != dropped] == [False] * 4
    # A mutation is never retried behind the user's back: one DELETE per id.
    deletes = [r for r in client.log.records() if r.method == "DELETE"]
    assert sorted(r.path.rsplit("/", 1)[1] for r in deletes) == sorted(ids)


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_bulk_delete_of_a_missing_model_fails_with_not_found(
    client: XeroClient, concurrency: int
) -> None:
    ids = await five_ids(client)
    report = await BulkRunner(client.delete_model, concurrency=concurrency).run(
        [ids[0], "no-such-model"]
    )
    assert report.lines() == [
        f"[OK] {ids[0]}",
        "[FAIL] no-such-model: Model not found (model_not_found, HTTP 404)",
    ]
    assert report.summary() == "Deleted 1 of 2 models (1 failed)"
