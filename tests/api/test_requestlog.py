"""RequestLog: bounded, newest last, errors, last per endpoint, plain-callback subscribers."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from xerotui.api.requestlog import RequestLog, RequestRecord


def record(n: int, **kw: object) -> RequestRecord:
    fields: dict[str, object] = {
        "started": 1000.0 + n,
        "method": "GET",
        "path": f"/v1/models/m{n}",
        "url": f"http://127.0.0.1/proj_demo/v1/models/m{n}",
        "status": 200,
        "endpoint_key": "models.get",
    }
    fields.update(kw)
    return RequestRecord(**fields)  # type: ignore[arg-type]


def test_bounded_and_newest_last() -> None:
    log = RequestLog(maxlen=3)
    for n in range(5):
        log.append(record(n))
    assert log.maxlen == 3
    assert len(log) == 3
    assert [r.started for r in log.records()] == [1002.0, 1003.0, 1004.0]


def test_records_is_a_snapshot() -> None:
    log = RequestLog()
    log.append(record(1))
    snapshot = log.records()
    log.append(record(2))
    assert len(snapshot) == 1


def test_errors_are_failures_only() -> None:
    log = RequestLog()
    ok = record(1)
    http_error = record(2, status=404, error_code="model_not_found")
    no_response = record(3, status=None, error_message="Could not reach host")
    in_band = record(4, status=200, error_code="stream_error", streamed=True)
    cancelled = record(5, status=None, cancelled=True)
    for r in (ok, http_error, no_response, in_band, cancelled):
        log.append(r)
    assert log.errors() == [http_error, no_response, in_band]
    assert not ok.is_error
    assert not cancelled.is_error


def test_last_for_endpoint() -> None:
    log = RequestLog()
    first = record(1)
    listing = record(2, endpoint_key="models.list", path="/v1/models")
    second = record(3, status=404)
    for r in (first, listing, second):
        log.append(r)
    assert log.last_for("models.get") is second
    assert log.last_for("models.list") is listing
    assert log.last_for("models.delete") is None


def test_target_joins_path_and_query() -> None:
    assert record(1, query="limit=5").target == "/v1/models/m1?limit=5"
    assert record(1).target == "/v1/models/m1"


def test_subscribe_and_unsubscribe() -> None:
    log = RequestLog()
    seen: list[RequestRecord] = []
    unsubscribe = log.subscribe(seen.append)
    first = record(1)
    log.append(first)
    assert seen == [first]
    unsubscribe()
    unsubscribe()  # twice is harmless
    log.append(record(2))
    assert seen == [first]


def test_a_failing_subscriber_does_not_break_append(caplog: pytest.LogCaptureFixture) -> None:
    log = RequestLog()
    seen: list[RequestRecord] = []

    def broken(_: RequestRecord) -> None:
        raise RuntimeError("boom")

    log.subscribe(broken)
    log.subscribe(seen.append)
    with caplog.at_level(logging.ERROR):
        log.append(record(1))
    assert len(seen) == 1
    assert len(log) == 1
    assert "subscriber" in caplog.text


def test_clear_keeps_subscribers() -> None:
    log = RequestLog()
    seen: list[RequestRecord] = []
    log.subscribe(seen.append)
    log.append(record(1))
    log.clear()
    assert log.records() == []
    log.append(record(2))
    assert len(seen) == 2


def test_records_are_frozen() -> None:
    with pytest.raises(AttributeError):
        record(1).status = 500  # type: ignore[misc]


def test_held_records_are_neither_errors_nor_answers() -> None:
    log = RequestLog()
    sent = RequestRecord(
        1.0, "DELETE", "/v1/models/m", "u", status=200, endpoint_key="models.delete"
    )
    held = RequestRecord(
        2.0, "DELETE", "/v1/models/m", "u", endpoint_key="models.delete", held="dry-run"
    )
    refused = dataclasses.replace(held, held="read-only", error_message="read-only")
    for record in (sent, held, refused):
        log.append(record)
    assert [r.is_error for r in log.records()] == [False, False, False]
    assert [r.sent for r in log.records()] == [True, False, False]
    assert log.last_for("models.delete") is sent
    assert log.errors() == []
