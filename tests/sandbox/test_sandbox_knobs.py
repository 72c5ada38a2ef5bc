"""The control knobs tests use: the request journal, raw model fields, revalidation plans,
long answers, an injected crash; each reset by `/_sandbox/reset`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sandbox_helpers import ERROR_MODEL, FAILED_BROKEN, LLAMA, error_of, wait_terminal

Faults = Callable[..., dict[str, Any]]
CHAT = "/proj_demo/llama-chat/v1/chat/completions"


def journal(root: httpx.Client, **filters: str) -> list[dict[str, Any]]:
    response = root.get("/_sandbox/requests", params=filters)
    assert response.status_code == 200
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def status_of(api: httpx.Client, mid: str) -> str:
    return str(api.get(f"/models/{mid}", params={"extended": "true"}).json()["status"])


def plan(root: httpx.Client, mid: str, **body: Any) -> dict[str, Any]:
    response = root.post(f"/_sandbox/models/{mid}/revalidation", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


# ---------------------------------------------------------------------------- journal


def test_the_journal_records_every_api_request(
    api: httpx.Client, root: httpx.Client, faults: Faults
) -> None:
    assert journal(root) == []  # the fixture's reset cleared it; control routes never appear
    api.get("/models", params={"limit": 2})
    api.patch(f"/models/{LLAMA}", json={"description": "journaled"})
    api.get("/models/nope")
    faults(fail_next=1, error_status=504, methods=["DELETE"])
    api.delete(f"/models/{LLAMA}")
    faults(drop_next=1, methods=["POST"])
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(f"/models/{LLAMA}/share")
    seen = [(e["method"], e["path"], e["query"], e["status"]) for e in journal(root)]
    model = f"/proj_demo/v1/models/{LLAMA}"
    assert seen == [
        ("GET", "/proj_demo/v1/models", "limit=2", 200),
        ("PATCH", model, "", 200),
        ("GET", "/proj_demo/v1/models/nope", "", 404),
        ("DELETE", model, "", 504),
        ("POST", f"{model}/share", "", "dropped"),
    ]
    entries = journal(root)
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
    assert all(e["request_id"].startswith("req_") for e in entries)
    assert [e["method"] for e in journal(root, method="patch")] == ["PATCH"]
    assert len(journal(root, path_contains="/share")) == 1
    root.post("/_sandbox/reset").raise_for_status()
    assert journal(root) == []


def test_the_journal_matches_the_response_request_id(api: httpx.Client, root: httpx.Client) -> None:
    response = api.get(f"/models/{LLAMA}")
    (entry,) = journal(root)
    assert entry["request_id"] == response.headers["X-Request-ID"]


def test_injected_504_has_its_own_code(api: httpx.Client, faults: Faults) -> None:
    faults(fail_next=1, error_status=504)
    response = api.get("/models")
    assert response.status_code == 504
    assert error_of(response)["code"] == "gateway_timeout"


# ---------------------------------------------------------------------------- a crash


def test_an_unhandled_error_closes_the_connection_cleanly(
    api: httpx.Client, root: httpx.Client, faults: Faults
) -> None:
    """After a 500 the server drops the connection; saying so lets the client open a new one
    instead of failing its next request (17 of 20 PATCHes failed before)."""
    for attempt in range(20):
        faults(crash_next=1, methods=["GET"])
        crashed = api.get(f"/models/{LLAMA}")
        assert crashed.status_code == 500
        assert crashed.headers["connection"] == "close"
        assert crashed.headers["x-request-id"].startswith("req_")
        assert error_of(crashed)["code"] == "internal_error"
        patched = api.patch(f"/models/{LLAMA}", json={"description": f"after crash {attempt}"})
        assert patched.status_code == 200
    crashes = journal(root, method="GET")
    assert [e["status"] for e in crashes] == [500] * 20


# ---------------------------------------------------------------------------- raw fields


HOSTILE = {
    "name": "A\x1b]0;TITLE\x07B\x1b[2J\x00[link=http://evil]x[/link]",
    "license": "\x1b]52;c;SGVsbG8=\x07",
    "status": "definitely-not-a-status",
    "created": 1e15,
    "architecture": "\u202eevil\u202c",
    "capabilities": ["\x1b[31mred", ""],
    "context_length": -1,
    "is_shared": True,
}


def test_raw_fields_are_stored_and_served_as_is(api: httpx.Client, root: httpx.Client) -> None:
    response = root.post(f"/_sandbox/models/{LLAMA}/raw", json=HOSTILE)
    assert response.status_code == 200, response.text
    served = api.get(f"/models/{LLAMA}", params={"extended": "true"}).json()
    expected = {**HOSTILE, "created": 10**15}
    assert {key: served[key] for key in expected} == expected
    listed = api.get("/models", params={"extended": "true"}).json()["data"]
    assert listed[0]["id"] == LLAMA  # created 10^15 sorts first
    assert listed[0]["name"] == HOSTILE["name"]
    root.post("/_sandbox/reset").raise_for_status()
    assert api.get(f"/models/{LLAMA}").json()["name"] == "llama-3.1-8b-instruct"


def test_every_route_serves_hostile_stored_values(api: httpx.Client, root: httpx.Client) -> None:
    hostile = {
        **HOSTILE,
        "status": "ready",
        "parameter_count": -(2**63),
        "size_bytes": 2**63 - 1,
        "workload_type": "chat",
        "quantization": "\x1b[0m",
        "version": "not-semver",
    }
    assert root.post(f"/_sandbox/models/{LLAMA}/raw", json=hostile).is_success
    for path in (f"/models/{LLAMA}", f"/models/{LLAMA}?extended=true", "/models?extended=true",
                 f"/models/{LLAMA}/versions", f"/models/{LLAMA}/probe",
                 "/workspaces/ws_0123456789abcdef/model-recommendations"):  # fmt: skip
        assert api.get(path).status_code == 200, path
    assert root.get("/proj_demo/llama-chat/v1/models").status_code == 200
    chat = {"messages": [{"role": "user", "content": "hi"}]}
    assert root.post("/proj_demo/llama-chat/v1/chat/completions", json=chat).status_code == 200
    rollback = api.post(f"/models/{LLAMA}/versions/1.0.0/rollback")
    assert (rollback.status_code, error_of(rollback)["code"]) == (400, "invalid_rollback")


def test_a_ten_megabyte_description(api: httpx.Client, root: httpx.Client) -> None:
    text = "0123456789" * 1_000_000
    assert root.post(f"/_sandbox/models/{LLAMA}/raw", json={"description": text}).is_success
    served = api.get(f"/models/{LLAMA}", params={"extended": "true"})
    assert served.json()["description"] == text


def test_a_lone_surrogate_is_served_as_valid_json(api: httpx.Client, root: httpx.Client) -> None:
    body = '{"name": "x\\ud800y", "description": "ok \\udfff"}'
    response = root.post(
        f"/_sandbox/models/{LLAMA}/raw",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    for path in (f"/models/{LLAMA}?extended=true", "/models?extended=true"):
        served = api.get(path)
        assert served.status_code == 200
        assert b"x\\ud800y" in served.content  # escaped: the body is still valid UTF-8 JSON
        assert json.loads(served.content)  # a client decodes it
    assert api.get(f"/models/{LLAMA}").json()["name"] == "x\ud800y"


@pytest.mark.parametrize(
    ("body", "param"),
    [({"name": 5}, "name"), ({"name": None}, "name"), ({"created": "soon"}, "created"),
     ({"created": 2**63}, "created"), ({"created": 1.5}, "created"),
     ({"is_shared": "yes"}, "is_shared"), ({"capabilities": [1]}, "capabilities"),
     ({"id": "other"}, "id"), ({"project": "proj_other"}, "project")],
)  # fmt: skip
def test_raw_fields_still_check_the_kind_of_value(
    api: httpx.Client, root: httpx.Client, body: dict[str, Any], param: str
) -> None:
    before = api.get(f"/models/{LLAMA}", params={"extended": "true"}).json()
    response = root.post(f"/_sandbox/models/{LLAMA}/raw", json={"license": "changed", **body})
    assert response.status_code == 400
    assert (error_of(response)["code"], error_of(response)["param"]) == ("invalid_value", param)
    assert api.get(f"/models/{LLAMA}", params={"extended": "true"}).json() == before


def test_raw_fields_of_an_unknown_model(root: httpx.Client) -> None:
    response = root.post("/_sandbox/models/nope/raw", json={"name": "x"})
    assert (response.status_code, error_of(response)["code"]) == (404, "model_not_found")


# ---------------------------------------------------------------------------- revalidation


@pytest.mark.parametrize("outcome", ["failed", "invalid", "ready", "error"])
def test_the_next_revalidation_ends_as_planned(
    api: httpx.Client, root: httpx.Client, outcome: str
) -> None:
    planned = plan(root, LLAMA, outcome=outcome, seconds=0.1)
    assert planned == {
        "object": "sandbox.revalidation_plan",
        "model_id": LLAMA,
        "outcome": outcome,
        "seconds": 0.1,
        "applies_to": "next",
    }
    assert api.post(f"/models/{LLAMA}/revalidate").status_code == 200
    assert wait_terminal(api, LLAMA) == outcome
    # the plan was used up: the next revalidation is the usual one (LLAMA is healthy)
    assert api.post(f"/models/{LLAMA}/revalidate").status_code == 200
    assert wait_terminal(api, LLAMA) == "ready"


def test_a_pending_revalidation_can_be_held_then_finished(
    api: httpx.Client, root: httpx.Client
) -> None:
    assert plan(root, FAILED_BROKEN, seconds=3600)["applies_to"] == "next"
    assert api.post(f"/models/{FAILED_BROKEN}/revalidate").status_code == 200
    assert status_of(api, FAILED_BROKEN) == "validating"  # an hour to go: certain
    assert api.post(f"/models/{FAILED_BROKEN}/revalidate").status_code == 404
    finished = plan(root, FAILED_BROKEN, outcome="ready", seconds=0)
    assert finished["applies_to"] == "pending"
    assert wait_terminal(api, FAILED_BROKEN) == "ready"  # a broken model, told to pass


def test_plans_are_forgotten_on_reset(api: httpx.Client, root: httpx.Client) -> None:
    plan(root, ERROR_MODEL, outcome="invalid", seconds=0)
    root.post("/_sandbox/reset").raise_for_status()
    assert api.post(f"/models/{ERROR_MODEL}/revalidate").status_code == 200
    assert wait_terminal(api, ERROR_MODEL) == "ready"


@pytest.mark.parametrize(
    ("body", "param"),
    [({"outcome": "validating"}, "outcome"), ({"outcome": 3}, "outcome"),
     ({"seconds": -1}, "seconds"), ({"seconds": 10**9}, "seconds"), ({"seconds": "1"}, "seconds"),
     ({}, None)],
)  # fmt: skip
def test_bad_revalidation_plans(root: httpx.Client, body: dict[str, Any], param: str) -> None:
    response = root.post(f"/_sandbox/models/{LLAMA}/revalidation", json=body)
    assert response.status_code == 400
    assert error_of(response).get("param") == param


# ---------------------------------------------------------------------------- chat


def sse_chunks(text: str) -> list[dict[str, Any]]:
    events = [b[len("data: ") :] for b in text.split("\n\n") if b.startswith("data: ")]
    assert events[-1] == "[DONE]"
    return [json.loads(e) for e in events[:-1]]


def test_a_stream_of_4000_tokens(root: httpx.Client) -> None:
    """The benchmark's stream: `ignore_eos` with `max_tokens` (vLLM's extension) gives
    exactly that many tokens; the token rate is a setting (2,000/s in the test sandbox)."""
    assert root.get("/_sandbox/settings").json()["tokens_per_second"] == 2000
    body = {
        "messages": [{"role": "user", "content": "Tell me everything"}],
        "max_tokens": 4000,
        "ignore_eos": True,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    response = root.post(CHAT, json=body, timeout=60)
    chunks = sse_chunks(response.text)
    content = [c for c in chunks if c["choices"] and c["choices"][0]["delta"].get("content")]
    assert len(content) == 4000
    assert chunks[-1]["usage"]["completion_tokens"] == 4000
    assert chunks[-2]["choices"][0]["finish_reason"] == "length"


def test_min_tokens_makes_a_longer_answer(root: httpx.Client) -> None:
    ask = {"messages": [{"role": "user", "content": "hi"}], "seed": 3}
    short = root.post(CHAT, json=ask).json()["usage"]["completion_tokens"]
    long = root.post(CHAT, json={**ask, "min_tokens": 1500}).json()
    assert short < 1500 <= long["usage"]["completion_tokens"]
    assert long["choices"][0]["finish_reason"] == "stop"
    for bad in ({"min_tokens": -1}, {"min_tokens": 10**6}, {"ignore_eos": "yes"}):
        response = root.post(CHAT, json={**ask, **bad})
        assert response.status_code == 400
        assert error_of(response)["param"] == next(iter(bad))


def test_a_stream_cut_after_n_tokens(root: httpx.Client, faults: Faults) -> None:
    faults(stream_cut_after=100)
    body = {"messages": [{"role": "user", "content": "x"}], "min_tokens": 500, "stream": True}
    text = root.post(CHAT, json=body).text
    events = [b[len("data: ") :] for b in text.split("\n\n") if b.startswith("data: ")]
    assert "[DONE]" not in events
    assert json.loads(events[-1])["error"]["code"] == "internal_error"
    assert len(events) == 1 + 100 + 1  # role chunk, 100 tokens, the in-band error
