"""The official `openai` package pointed at the sandbox."""

from __future__ import annotations

import openai
import pytest
from openai import OpenAI

from xerotui.launcher import SandboxInfo


def chat_client(sandbox: SandboxInfo, slug: str = "llama-chat") -> OpenAI:
    return OpenAI(
        base_url=f"{sandbox.root_url}/proj_demo/{slug}/v1", api_key=sandbox.api_key, max_retries=0
    )


def test_models_list(sandbox: SandboxInfo) -> None:
    with OpenAI(base_url=sandbox.base_url, api_key=sandbox.api_key, max_retries=0) as client:
        models = list(client.models.list())
    assert len(models) == 43
    assert all(m.object == "model" and m.owned_by == "proj_demo" for m in models)
    assert "llama-3.1-8b-instruct" in {getattr(m, "name", None) for m in models}


def test_endpoint_models_list(sandbox: SandboxInfo) -> None:
    with chat_client(sandbox) as client:
        assert [m.id for m in client.models.list()] == ["llama-3.1-8b-instruct"]


def test_chat_completion(sandbox: SandboxInfo) -> None:
    with chat_client(sandbox) as client:
        completion = client.chat.completions.create(
            model="llama-3.1-8b-instruct",
            messages=[{"role": "user", "content": "Write a Rust function"}],
            temperature=0,
            max_tokens=400,
        )
    assert completion.id.startswith("chatcmpl-")
    assert completion.choices[0].finish_reason == "stop"
    assert "```rust" in (completion.choices[0].message.content or "")
    assert completion.usage is not None
    assert completion.usage.prompt_tokens_details is not None
    assert completion.usage.prompt_tokens_details.cached_tokens == 0


def test_chat_completion_stream(sandbox: SandboxInfo) -> None:
    with chat_client(sandbox) as client:
        plain = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "Explain SSE"}], temperature=0
        )
        stream = client.chat.completions.create(
            model="m",
            messages=[{"role": "user", "content": "Explain SSE"}],
            temperature=0,
            stream=True,
            stream_options={"include_usage": True},
        )
        chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == plain.choices[0].message.content
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].usage is not None
    assert plain.usage is not None
    assert chunks[-1].usage.completion_tokens == plain.usage.completion_tokens


def test_reasoning_usage_and_errors_map_to_sdk_exceptions(sandbox: SandboxInfo) -> None:
    with chat_client(sandbox, "deepseek-r1") as client:
        completion = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "Is 91 prime?"}]
        )
        assert completion.usage is not None
        details = completion.usage.completion_tokens_details
        assert details is not None
        assert (details.reasoning_tokens or 0) > 0
        with pytest.raises(openai.BadRequestError) as bad:
            client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "x"}], temperature=3
            )
        assert bad.value.code == "invalid_request"
    with chat_client(sandbox, "nope") as client, pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    bad_key = OpenAI(base_url=sandbox.base_url, api_key="xero_proj_demo_wrong", max_retries=0)
    with bad_key, pytest.raises(openai.AuthenticationError):
        bad_key.models.list()
