"""Chat completions (plain and SSE), usage, determinism, stop/length, stored completions."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sandbox_helpers import error_of

CHAT = "/proj_demo/llama-chat/v1/chat/completions"
R1 = "/proj_demo/deepseek-r1/v1/chat/completions"


def body(content: str = "Explain Python decorators", **extra: Any) -> dict[str, Any]:
    return {"model": "llama-3.1-8b-instruct", "messages": [{"role": "user", "content": content}],
            **extra}  # fmt: skip


def sse_data(text: str) -> list[str]:
    """The `data:` payload of each SSE event."""
    events = []
    for block in text.split("\n\n"):
        lines = [line[len("data: ") :] for line in block.split("\n") if line.startswith("data: ")]
        if lines:
            events.append("\n".join(lines))
    return events


def stream(
    root: httpx.Client, path: str, payload: dict[str, Any]
) -> tuple[httpx.Response, list[str]]:
    with root.stream("POST", path, json={**payload, "stream": True}) as response:
        text = response.read().decode()
    return response, sse_data(text)


# ---------------------------------------------------------------------------- non-stream


def test_non_streamed_completion(root: httpx.Client) -> None:
    response = root.post(CHAT, json=body(temperature=0))
    assert response.status_code == 200
    completion = response.json()
    assert completion["object"] == "chat.completion"
    assert completion["id"].startswith("chatcmpl-")
    assert completion["model"] == "llama-3.1-8b-instruct"
    assert response.headers["X-Request-ID"] == completion["id"]
    assert response.headers["X-Xerotier-Worker-ID"] == "worker-7f3a"
    assert int(response.headers["X-RateLimit-Limit"]) == 240
    choice = completion["choices"][0]
    assert choice["finish_reason"] == "stop"
    assert choice["message"]["role"] == "assistant"
    text = choice["message"]["content"]
    assert "```" in text  # a fenced code block
    assert "\n- " in text  # a list
    assert "decorators" in text
    usage = completion["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert usage["prompt_tokens_details"] == {"cached_tokens": 0}
    assert usage["completion_tokens_details"] == {"reasoning_tokens": 0}


def test_temperature_zero_is_deterministic_and_seed_varies(root: httpx.Client) -> None:
    first = root.post(CHAT, json=body(temperature=0)).json()["choices"][0]["message"]["content"]
    second = root.post(CHAT, json=body(temperature=0)).json()["choices"][0]["message"]["content"]
    assert first == second
    texts = {
        root.post(CHAT, json=body(temperature=1, seed=s)).json()["choices"][0]["message"]["content"]
        for s in (1, 2, 3, 4)
    }
    assert len(texts) > 1
    again = root.post(CHAT, json=body(temperature=1, seed=3)).json()
    assert again["choices"][0]["message"]["content"] in texts


def test_max_tokens_gives_finish_reason_length(root: httpx.Client) -> None:
    completion = root.post(CHAT, json=body(max_tokens=7, temperature=0)).json()
    assert completion["choices"][0]["finish_reason"] == "length"
    assert completion["usage"]["completion_tokens"] == 7
    full = root.post(CHAT, json=body(temperature=0)).json()["choices"][0]["message"]["content"]
    assert full.startswith(completion["choices"][0]["message"]["content"])
    preferred = root.post(CHAT, json=body(max_tokens=50, max_completion_tokens=3)).json()
    assert preferred["usage"]["completion_tokens"] == 3


def test_stop_sequence_cuts_the_text(root: httpx.Client) -> None:
    full = root.post(CHAT, json=body(temperature=0)).json()["choices"][0]["message"]["content"]
    stopped = root.post(CHAT, json=body(temperature=0, stop=["```", "@@"])).json()
    text = stopped["choices"][0]["message"]["content"]
    assert stopped["choices"][0]["finish_reason"] == "stop"
    assert text == full[: full.index("```")]
    assert "```" not in text


def test_prefix_caching_reports_cached_tokens(root: httpx.Client) -> None:
    system = {"role": "system", "content": "You are a concise assistant for the Acme support team."}
    first = root.post(
        CHAT, json={"model": "m", "messages": [system, {"role": "user", "content": "a"}]}
    )
    assert first.json()["usage"]["prompt_tokens_details"]["cached_tokens"] == 0
    second = root.post(
        CHAT, json={"model": "m", "messages": [system, {"role": "user", "content": "b"}]}
    )
    usage = second.json()["usage"]
    assert 0 < usage["prompt_tokens_details"]["cached_tokens"] < usage["prompt_tokens"]
    # the cache is per endpoint
    other = root.post(
        R1, json={"model": "m", "messages": [system, {"role": "user", "content": "b"}]}
    )
    assert other.json()["usage"]["prompt_tokens_details"]["cached_tokens"] == 0


def test_reasoning_endpoint_reports_reasoning_tokens(root: httpx.Client) -> None:
    completion = root.post(R1, json=body("Is 97 prime?")).json()
    usage = completion["usage"]
    reasoning = usage["completion_tokens_details"]["reasoning_tokens"]
    assert reasoning > 0
    assert completion["model"] == "deepseek-r1-distill-qwen-7b"
    assert usage["completion_tokens"] > reasoning


@pytest.mark.parametrize(
    ("extra", "param"),
    [({"temperature": 2.5}, "temperature"), ({"top_p": 1.5}, "top_p"),
     ({"frequency_penalty": -3}, "frequency_penalty"),
     ({"presence_penalty": 2.1}, "presence_penalty"),
     ({"stop": ["a", "b", "c", "d", "e"]}, "stop"), ({"max_tokens": 0}, "max_tokens"),
     ({"messages": []}, "messages")],
)  # fmt: skip
def test_invalid_parameters(root: httpx.Client, extra: dict[str, Any], param: str) -> None:
    response = root.post(CHAT, json=body(**extra))
    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["param"]) == ("invalid_request", param)


def test_bad_chat_bodies(root: httpx.Client) -> None:
    response = root.post(CHAT, content=b"{nope", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert error_of(response)["code"] == "json_parse_error"
    response = root.post(CHAT, json={"model": "x"})
    assert response.status_code == 400
    assert error_of(response)["param"] == "messages"


def test_unknown_endpoint_slug(root: httpx.Client) -> None:
    response = root.post("/proj_demo/no-such-endpoint/v1/chat/completions", json=body())
    assert response.status_code == 404
    assert error_of(response)["code"] == "endpoint_not_found"
    response = root.post("/proj_demo/orbit-chat/v1/chat/completions", json=body())
    assert response.status_code == 404  # another project's endpoint


def test_endpoint_model_list(root: httpx.Client) -> None:
    response = root.get("/proj_demo/qwen-coder/v1/models")
    assert response.status_code == 200
    data = response.json()
    assert data["object"] == "list"
    assert [m["id"] for m in data["data"]] == ["qwen2.5-coder-7b-instruct"]
    assert data["data"][0]["owned_by"] == "proj_demo"


def test_inactive_endpoint_is_503(root: httpx.Client, api: httpx.Client) -> None:
    root.post("/_sandbox/settings", json={"validation_seconds": 60}).raise_for_status()
    mixtral = root.get("/_sandbox/info").json()["endpoints"]["mixtral-moe"]
    api.post(f"/models/{mixtral}/revalidate").raise_for_status()
    response = root.post("/proj_demo/mixtral-moe/v1/chat/completions", json=body())
    assert response.status_code == 503
    assert error_of(response)["code"] == "endpoint_inactive"


# ---------------------------------------------------------------------------- streaming


def test_streamed_completion(root: httpx.Client) -> None:
    response, events = stream(
        root, CHAT, body(temperature=0, stream_options={"include_usage": True})
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["X-Xerotier-Worker-ID"] == "worker-7f3a"
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    ids = {c["id"] for c in chunks}
    assert ids == {response.headers["X-Request-ID"]}
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    for chunk in chunks:  # optionals are left out, never null (design.md section 5)
        assert null_paths(chunk) == [], chunk
    usage_chunk = chunks[-1]
    assert usage_chunk["choices"] == []
    finish = chunks[-2]["choices"][0]
    assert finish["finish_reason"] == "stop"
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks[:-1])
    plain = root.post(CHAT, json=body(temperature=0)).json()
    assert text == plain["choices"][0]["message"]["content"]
    content_chunks = [c for c in chunks[1:-2]]
    assert usage_chunk["usage"]["completion_tokens"] == len(content_chunks)
    assert all("usage" not in c for c in chunks[:-1])
    assert all("finish_reason" not in c["choices"][0] for c in chunks[:-2])


def null_paths(value: Any, path: str = "") -> list[str]:
    """Where a JSON document holds null."""
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in null_paths(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in null_paths(item, f"{path}.{i}")]
    return []


def test_stream_without_usage_and_with_max_tokens(root: httpx.Client) -> None:
    _, events = stream(root, CHAT, body(max_tokens=4))
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["choices"] for c in chunks)  # no usage chunk
    assert chunks[-1]["choices"][0]["finish_reason"] == "length"
    assert sum(1 for c in chunks if c["choices"][0]["delta"].get("content")) == 4


# ---------------------------------------------------------------------------- stored


def test_stored_completions_roundtrip(root: httpx.Client) -> None:
    base = "/proj_demo/llama-chat/v1/chat/completions"
    ids = []
    for index in range(3):
        payload = body(f"question {index}", store=True, metadata={"run": "t1", "n": str(index)})
        ids.append(root.post(base, json=payload).json()["id"])
    root.post(base, json=body("not stored")).raise_for_status()
    _, events = stream(root, base, body("streamed and stored", store=True))
    streamed_id = json.loads(events[0])["id"]

    listed = root.get(base).json()
    assert set(listed) == {"object", "data", "first_id", "last_id", "has_more"}
    assert [c["id"] for c in listed["data"]] == [streamed_id, *reversed(ids)]
    assert listed["has_more"] is False
    assert (listed["first_id"], listed["last_id"]) == (streamed_id, ids[0])

    page = root.get(base, params={"limit": 2, "order": "asc"}).json()
    assert [c["id"] for c in page["data"]] == ids[:2]
    assert page["has_more"] is True
    rest = root.get(base, params={"limit": 2, "order": "asc", "after": page["last_id"]}).json()
    assert [c["id"] for c in rest["data"]] == [ids[2], streamed_id]
    filtered = root.get(base, params={"metadata[n]": "1"}).json()
    assert [c["id"] for c in filtered["data"]] == [ids[1]]

    one = root.get(f"{base}/{ids[0]}")
    assert one.status_code == 200
    assert one.json()["object"] == "chat.completion"
    assert one.json()["metadata"] == {"run": "t1", "n": "0"}
    messages = root.get(f"{base}/{ids[0]}/messages").json()
    assert [m["content"] for m in messages["data"]] == ["question 0"]
    updated = root.post(f"{base}/{ids[0]}", json={"metadata": {"reviewed": "yes"}})
    assert updated.json()["metadata"] == {"reviewed": "yes"}

    deleted = root.delete(f"{base}/{ids[0]}")
    assert deleted.json() == {"id": ids[0], "object": "chat.completion.deleted", "deleted": True}
    for response in (root.get(f"{base}/{ids[0]}"), root.delete(f"{base}/{ids[0]}")):
        assert response.status_code == 404
        assert error_of(response)["code"] == "completion_not_found"
    # stored completions are per endpoint
    assert root.get("/proj_demo/qwen-coder/v1/chat/completions").json()["data"] == []


def test_stored_completion_list_validation(root: httpx.Client) -> None:
    base = "/proj_demo/llama-chat/v1/chat/completions"
    for params, param in (({"limit": 0}, "limit"), ({"limit": 101}, "limit"),
                          ({"order": "sideways"}, "order")):  # fmt: skip
        response = root.get(base, params=params)
        assert response.status_code == 400
        assert error_of(response)["param"] == param
    response = root.get(base, params={"after": "chatcmpl-unknown"})
    assert response.status_code == 404
    assert error_of(response)["code"] == "completion_not_found"
