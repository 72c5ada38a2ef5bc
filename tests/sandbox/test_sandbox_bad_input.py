"""Bad input never gives a 500: surrogates, huge integers, deep nesting, non-finite numbers,
non-object and oversized bodies each get a 400 (or 413) with the envelope and `param`, and a
refused request leaves nothing behind."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sandbox_helpers import LLAMA, error_of

from xerotui.launcher import SandboxInfo

CHAT = "/proj_demo/llama-chat/v1/chat/completions"
STORED = "/proj_demo/llama-chat/v1/chat/completions"
SURROGATE = '"\\ud800"'  # JSON text for a lone surrogate (valid JSON, not Unicode)
BIG = 2**63  # one past SQLite's largest integer


def raw(client: httpx.Client, method: str, path: str, text: str | bytes) -> httpx.Response:
    content = text.encode() if isinstance(text, str) else text
    return client.request(
        method, path, content=content, headers={"Content-Type": "application/json"}
    )


def refused(response: httpx.Response, param: str | None, code: str = "invalid_value") -> None:
    assert response.status_code == 400, response.text
    error = error_of(response)
    assert error["code"] == code
    assert error.get("param") == param


@pytest.fixture
def routes(sandbox: SandboxInfo) -> Iterator[httpx.Client]:
    """The server root with the admin key (every body route is open to it)."""
    headers = {"Authorization": f"Bearer {sandbox.admin_api_key}"}
    with httpx.Client(base_url=sandbox.root_url, headers=headers, timeout=30) as http:
        yield http


MODEL = f"/proj_demo/v1/models/{LLAMA}"
SURROGATE_CASES = [
    ("PATCH", MODEL, '{"description": %s}', "description"),
    ("PATCH", MODEL, '{"license": "MIT", "architecture": %s}', "architecture"),
    ("PATCH", MODEL, '{"quantization": %s}', "quantization"),
    ("PATCH", f"{MODEL}/capabilities", '{"capabilities": ["chat", %s]}', "capabilities.1"),
    ("POST", f"{MODEL}/versions", '{"version": %s}', "version"),
    ("POST", f"{MODEL}/versions", '{"version": "9.9.9", "version_notes": %s}', "version_notes"),
    ("POST", CHAT, '{"messages": [{"role": "user", "content": %s}]}', "messages.0.content"),
    ("POST", CHAT, '{"messages": [{"role": "user", "content": "hi"}], "stop": [%s]}', "stop.0"),
    (
        "POST",
        CHAT,
        '{"messages": [{"role": "user", "content": "hi"}], "store": true, "metadata": {"k": %s}}',
        "metadata.k",
    ),
    ("PATCH", MODEL, '{"description": "ok", %s: 1}', "body"),  # a bad key
]


@pytest.mark.parametrize(("method", "path", "template", "param"), SURROGATE_CASES)
def test_a_lone_surrogate_anywhere_is_refused(
    routes: httpx.Client, method: str, path: str, template: str, param: str
) -> None:
    refused(raw(routes, method, path, template.replace("%s", SURROGATE)), param)
    # The connection is still good: nothing crashed (the next request on it works).
    assert routes.get(f"{MODEL}?extended=true").status_code == 200


def test_a_refused_capabilities_patch_saves_nothing(routes: httpx.Client) -> None:
    """It used to answer 500 AND store the value; every extended GET then answered 500."""
    before = routes.get(f"{MODEL}?extended=true").json()
    body = '{"capabilities": [' + SURROGATE + "]}"
    refused(raw(routes, "PATCH", f"{MODEL}/capabilities", body), "capabilities.0")
    after = routes.get(f"{MODEL}?extended=true")
    assert after.status_code == 200
    assert after.json() == before
    assert routes.get("/proj_demo/v1/models?extended=true").status_code == 200


def test_a_refused_version_creates_nothing(routes: httpx.Client) -> None:
    before = routes.get(f"{MODEL}/versions").json()
    body = '{"version": "9.9.9", "version_notes": ' + SURROGATE + "}"
    refused(raw(routes, "POST", f"{MODEL}/versions", body), "version_notes")
    assert routes.get(f"{MODEL}/versions").json() == before


@pytest.mark.parametrize(
    "field",
    ["context_length", "parameter_count", "hidden_size", "num_layers", "vocab_size",
     "num_experts", "num_experts_per_tok"],
)  # fmt: skip
@pytest.mark.parametrize("value", [BIG, 2**64 + 7, 10**40])
def test_huge_integers_in_a_patch_are_invalid_value(
    routes: httpx.Client, field: str, value: int
) -> None:
    before = routes.get(f"{MODEL}?extended=true").json()
    refused(raw(routes, "PATCH", MODEL, f'{{"description": "x", "{field}": {value}}}'), field)
    assert routes.get(f"{MODEL}?extended=true").json() == before


def test_integer_limits_are_inclusive(routes: httpx.Client) -> None:
    ok = routes.patch(MODEL, json={"context_length": 16_777_216, "num_layers": 100_000})
    assert ok.status_code == 200
    assert ok.json()["context_length"] == 16_777_216
    refused(routes.patch(MODEL, json={"context_length": 16_777_217}), "context_length")


def test_huge_pre_quantization_bits_is_the_documented_error(routes: httpx.Client) -> None:
    response = raw(routes, "PATCH", MODEL, f'{{"pre_quantization_bits": {BIG}}}')
    refused(response, "pre_quantization_bits", "invalid_pre_quantization")


@pytest.mark.parametrize(
    ("params", "param"),
    [({"offset": BIG}, "offset"), ({"offset": 2**31}, "offset"), ({"limit": 0}, "limit"),
     ({"offset": "1e3"}, "offset")],
)  # fmt: skip
def test_out_of_range_query_values(
    routes: httpx.Client, params: dict[str, Any], param: str
) -> None:
    refused(routes.get("/proj_demo/v1/models", params=params), param)


def test_a_huge_limit_is_cut_to_100_not_refused(routes: httpx.Client) -> None:
    for limit in (101, BIG, 10**30):
        response = routes.get("/proj_demo/v1/models", params={"limit": limit, "extended": "true"})
        assert response.status_code == 200
        assert len(response.json()["data"]) == min(100, response.json()["total"])


@pytest.mark.parametrize(
    ("params", "param"),
    [({"limit": BIG}, "limit"), ({"limit": 101}, "limit"), ({"order": "sideways"}, "order")],
)  # fmt: skip
def test_stored_completion_paging_values(
    routes: httpx.Client, params: dict[str, Any], param: str
) -> None:
    refused(routes.get(STORED, params=params), param)


def test_a_surrogate_in_the_query_or_path_is_not_a_crash(routes: httpx.Client) -> None:
    """Percent-encoded surrogate bytes (ED A0 80) decode to U+FFFD: unknown, not a crash."""
    response = routes.get(f"{STORED}?after=%ED%A0%80")
    assert response.status_code == 404
    assert error_of(response)["param"] == "after"
    response = routes.get("/proj_demo/v1/models/%ED%A0%80")
    assert (response.status_code, error_of(response)["code"]) == (404, "model_not_found")


def test_chat_seed_and_max_tokens_may_be_huge(routes: httpx.Client) -> None:
    body = {"messages": [{"role": "user", "content": "hi"}], "seed": BIG, "max_tokens": 10**30}
    assert routes.post(CHAT, json=body).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [("PATCH", MODEL), ("PATCH", f"{MODEL}/capabilities"), ("POST", f"{MODEL}/versions"),
     ("POST", CHAT), ("POST", "/_sandbox/faults"), ("POST", "/_sandbox/settings")],
)  # fmt: skip
def test_deep_nesting_is_refused(routes: httpx.Client, method: str, path: str) -> None:
    for depth in (100_000, 40):
        response = raw(routes, method, path, "[" * depth + "]" * depth)
        refused(response, None, "invalid_body")
        wrapped = '{"a": ' + "[" * depth + "]" * depth + "}"
        refused(raw(routes, method, path, wrapped), None, "invalid_body")
    assert routes.get(f"{MODEL}?extended=true").status_code == 200


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "-1e999"])
def test_non_finite_numbers_are_not_json(routes: httpx.Client, number: str) -> None:
    body = '{"messages": [{"role": "user", "content": "hi"}], "temperature": ' + number + "}"
    refused(raw(routes, "POST", CHAT, body), None, "json_parse_error")
    patch = '{"context_length": ' + number + "}"
    refused(raw(routes, "PATCH", MODEL, patch), None, "json_parse_error")


@pytest.mark.parametrize(
    ("method", "path"),
    [("PATCH", MODEL), ("PATCH", f"{MODEL}/capabilities"), ("POST", f"{MODEL}/versions"),
     ("POST", CHAT), ("POST", f"{STORED}/chatcmpl-x")],
)  # fmt: skip
@pytest.mark.parametrize("body", ["[]", '"text"', "42", "null", "true", "", "{bad", "\xff"])
def test_non_object_bodies(routes: httpx.Client, method: str, path: str, body: str) -> None:
    response = raw(routes, method, path, body.encode("latin-1"))
    assert response.status_code in (400, 404), response.text  # 404: the stored id is unknown
    assert error_of(response)["code"] in (
        "invalid_body", "json_parse_error", "completion_not_found",
    )  # fmt: skip


def test_bodies_over_1_mib_are_413(routes: httpx.Client) -> None:
    big = json.dumps({"description": "x" * (1024 * 1024)})
    response = raw(routes, "PATCH", MODEL, big)
    assert response.status_code == 413
    assert error_of(response)["code"] == "request_too_large"
    assert response.headers["connection"] == "close"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"description": "'
        for _ in range(20):
            yield b"y" * 65536
        yield b'"}'

    chunked = routes.patch(MODEL, content=chunks(), headers={"Content-Type": "application/json"})
    assert chunked.status_code == 413
    assert routes.get(f"{MODEL}?extended=true").json()["description"] != "y" * 20 * 65536
    # just under the limit is parsed (and then refused for the description's length)
    fits = json.dumps({"description": "z" * (1024 * 1024 - 64)})
    refused(raw(routes, "PATCH", MODEL, fits), "description")


@pytest.mark.parametrize(
    ("field", "limit"), [("description", 10_000), ("license", 256), ("architecture", 128)]
)
def test_text_fields_have_maximum_lengths(routes: httpx.Client, field: str, limit: int) -> None:
    ok = routes.patch(MODEL, json={field: "é" * limit})  # code points, not bytes
    assert ok.status_code == 200
    assert ok.json()[field] == "é" * limit
    refused(routes.patch(MODEL, json={field: "a" * (limit + 1)}), field)


def test_capability_list_limits(routes: httpx.Client) -> None:
    path = f"{MODEL}/capabilities"
    assert routes.patch(path, json={"capabilities": [f"c{i}" for i in range(64)]}).is_success
    refused(routes.patch(path, json={"capabilities": [f"c{i}" for i in range(65)]}),
            "capabilities", "invalid_capabilities")  # fmt: skip
    refused(routes.patch(path, json={"capabilities": ["x" * 65]}), "capabilities",
            "invalid_capabilities")  # fmt: skip


def test_metadata_limits(routes: httpx.Client) -> None:
    ask = {"messages": [{"role": "user", "content": "hi"}], "store": True}
    assert routes.post(CHAT, json={**ask, "metadata": {"k" * 64: "v" * 512}}).is_success
    for metadata in ({"k" * 65: "v"}, {"k": "v" * 513}):
        refused(routes.post(CHAT, json={**ask, "metadata": metadata}), "metadata",
                "invalid_request")  # fmt: skip


def test_error_messages_quote_only_a_prefix_of_the_value(routes: httpx.Client) -> None:
    response = routes.patch(MODEL, json={"quantization": "q" * 5000})
    refused(response, "quantization", "invalid_quantization")
    assert len(error_of(response)["message"]) < 200


def test_options_answers_with_every_method_of_the_path(routes: httpx.Client) -> None:
    expected = {
        MODEL: "DELETE, GET, OPTIONS, PATCH",
        "/proj_demo/v1/models": "GET, OPTIONS",
        f"{MODEL}/versions": "GET, OPTIONS, POST",
        f"{MODEL}/capabilities": "OPTIONS, PATCH",
        CHAT: "GET, OPTIONS, POST",
        "/_sandbox/faults": "DELETE, GET, OPTIONS, POST",
    }
    for path, allow in expected.items():
        response = routes.options(path)
        assert (response.status_code, response.headers["allow"]) == (204, allow), path
    assert routes.options("/no/such/route").status_code == 404


def test_405_names_every_method_of_the_path(routes: httpx.Client) -> None:
    response = routes.put(MODEL, json={})
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, OPTIONS, PATCH"
    assert error_of(response)["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("settings", "param"),
    [({"tokens_per_second": 1e-300}, "tokens_per_second"),
     ({"tokens_per_second": 0}, "tokens_per_second"),
     ({"tokens_per_second": 1e9}, "tokens_per_second"),
     ({"first_token_ms": 1e12}, "first_token_ms"),
     ({"validation_seconds": -1}, "validation_seconds"),
     ({"validation_seconds": 10**30}, "validation_seconds"),
     ({"first_token_ms": "fast"}, "first_token_ms"),
     ({"warp": 9}, "warp")],
)  # fmt: skip
def test_absurd_settings_are_refused(
    routes: httpx.Client, settings: dict[str, Any], param: str
) -> None:
    before = routes.get("/_sandbox/settings").json()
    refused(routes.post("/_sandbox/settings", json={"first_token_ms": 1, **settings}), param)
    assert routes.get("/_sandbox/settings").json() == before


@pytest.mark.parametrize(
    ("settings", "param"),
    [({"latency_ms": 10**18}, "latency_ms"), ({"retry_after": 10**9}, "retry_after"),
     ({"fail_next": BIG}, "fail_next"), ({"path_contains": "x" * 1001}, "path_contains")],
)  # fmt: skip
def test_absurd_faults_are_refused(
    routes: httpx.Client, settings: dict[str, Any], param: str
) -> None:
    refused(routes.post("/_sandbox/faults", json=settings), param)


def test_one_very_long_word_is_not_echoed_back(routes: httpx.Client) -> None:
    """A 500,000-letter word came back five times over: a 600,000-token answer (minutes)."""
    body = {"messages": [{"role": "user", "content": "a" * 500_000}], "seed": 1}
    response = routes.post(CHAT, json=body)
    assert response.status_code == 200
    answer = response.json()
    assert answer["usage"]["completion_tokens"] < 400
    assert "a" * 25 not in answer["choices"][0]["message"]["content"]
