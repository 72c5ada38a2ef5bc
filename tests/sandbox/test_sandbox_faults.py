"""Fault injection: fail_next with filters, error rate, drop, rate limits, stream cut."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sandbox_helpers import LLAMA, error_of, fresh_rate_window

Faults = Callable[..., dict[str, Any]]
CHAT = "/proj_demo/llama-chat/v1/chat/completions"


def test_fault_settings_merge_and_clear(root: httpx.Client, faults: Faults) -> None:
    assert root.get("/_sandbox/faults").json()["fail_next"] == 0
    faults(fail_next=2)
    merged = faults(latency_ms=5, methods=["patch"])
    assert (merged["fail_next"], merged["latency_ms"], merged["methods"]) == (2, 5, ["PATCH"])
    assert root.get("/_sandbox/faults").json() == merged
    cleared = root.delete("/_sandbox/faults").json()
    assert (cleared["fail_next"], cleared["latency_ms"], cleared["methods"]) == (0, 0, [])


@pytest.mark.parametrize(
    ("settings", "param"),
    [({"no_such_fault": 1}, "no_such_fault"), ({"error_rate": 2}, "error_rate"),
     ({"fail_next": -1}, "fail_next"), ({"error_status": 200}, "error_status"),
     ({"probe_disabled": "sometimes"}, "probe_disabled")],
)  # fmt: skip
def test_bad_fault_settings(root: httpx.Client, settings: dict[str, Any], param: str) -> None:
    response = root.post("/_sandbox/faults", json=settings)
    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["param"]) == ("invalid_value", param)


def test_fail_next_targets_only_matching_requests(api: httpx.Client, faults: Faults) -> None:
    faults(fail_next=2, error_status=502, methods=["PATCH"])
    assert api.get(f"/models/{LLAMA}").status_code == 200  # GET does not match
    for _ in range(2):
        response = api.patch(f"/models/{LLAMA}", json={"description": "x"})
        assert response.status_code == 502
        error = error_of(response)
        assert error["code"] == "bad_gateway"
        assert response.headers["X-Request-ID"].startswith("req_")
    assert api.patch(f"/models/{LLAMA}", json={"description": "x"}).status_code == 200


def test_path_filter_and_error_rate(api: httpx.Client, faults: Faults) -> None:
    faults(error_rate=1.0, error_status=503, path_contains="/versions")
    assert api.get(f"/models/{LLAMA}").status_code == 200
    response = api.get(f"/models/{LLAMA}/versions")
    assert response.status_code == 503
    assert error_of(response)["code"] == "endpoint_inactive"


def test_seeded_error_rate_is_reproducible(api: httpx.Client, faults: Faults) -> None:
    def run() -> list[int]:
        faults(error_rate=0.5, seed=42)
        return [api.get("/models", params={"limit": 1}).status_code for _ in range(20)]

    first = run()
    assert set(first) == {200, 500}
    assert run() == first


def test_drop_closes_the_connection_mid_response(api: httpx.Client, faults: Faults) -> None:
    faults(drop_next=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("/models")
    assert api.get("/models").status_code == 200


def test_rate_limit_next_gives_429_with_retry_after(api: httpx.Client, faults: Faults) -> None:
    faults(rate_limit_next=1, retry_after=3)
    response = api.get("/models")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3"
    error = error_of(response)
    assert (error["code"], error["retry_after"]) == ("rate_limited", 3)
    assert api.get("/models").status_code == 200


def test_enforced_rate_limit_per_key(
    api: httpx.Client, admin: httpx.Client, faults: Faults
) -> None:
    faults(rate_limit=3)
    window = fresh_rate_window()
    codes = [api.get("/models", params={"limit": 1}) for _ in range(4)]
    assert fresh_rate_window(0) == window  # all four counted in one window
    assert [r.status_code for r in codes] == [200, 200, 200, 429]
    last = codes[-1]
    assert last.headers["X-RateLimit-Limit"] == "3"
    assert last.headers["X-RateLimit-Remaining"] == "0"
    assert 1 <= int(last.headers["Retry-After"]) <= 60
    assert admin.get("/models", params={"limit": 1}).status_code == 200  # another key


def test_control_routes_are_never_faulted(root: httpx.Client, faults: Faults) -> None:
    faults(error_rate=1.0)
    assert root.get("/_sandbox/faults").status_code == 200
    assert root.get("/openapi.json").status_code == 200
    assert root.get("/proj_demo/v1/models").status_code == 500


def test_stream_cut_sends_an_in_band_error(root: httpx.Client, faults: Faults) -> None:
    faults(stream_cut_after=5)
    payload = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": True}
    with root.stream("POST", CHAT, json=payload) as response:
        assert response.status_code == 200
        text = response.read().decode()
    events = [block[len("data: ") :] for block in text.split("\n\n") if block.startswith("data: ")]
    assert "[DONE]" not in events
    error = json.loads(events[-1])
    assert set(error) == {"error"}
    assert error["error"]["code"] == "internal_error"
    assert error["error"]["message"]
    content = [json.loads(e)["choices"][0]["delta"].get("content") for e in events[1:-1]]
    assert len(content) == 5
    assert all(content)
    # non-streamed requests are not cut
    plain = root.post(CHAT, json={**payload, "stream": False})
    assert plain.json()["choices"][0]["finish_reason"] == "stop"


def test_latency_fault_still_answers(api: httpx.Client, faults: Faults) -> None:
    faults(latency_ms=30, methods=["GET"])
    response = api.get(f"/models/{LLAMA}")
    assert response.status_code == 200
    assert response.json()["id"] == LLAMA
