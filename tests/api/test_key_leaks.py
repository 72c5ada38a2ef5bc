"""No piece of the key's secret in anything the client logs, raises or copies.

Against the sandbox: a run of requests that succeed, fail with envelopes, stream, are held by
dry run or read-only, or cannot connect; then every record of the request log, every error
(str, repr, body), every curl command and the masked key are searched for any 5 consecutive
characters of the secret (tests/key_leaks.py). The masked forms are checked as literals.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable
from typing import Any

import pytest
from key_leaks import assert_no_secret_run

from xerotui.api.client import XeroClient
from xerotui.api.errors import XeroError
from xerotui.api.schema import ChatMessage, ChatRequest, ModelUpdate
from xerotui.launcher import SandboxInfo

ClientFactory = Callable[..., XeroClient]
UNDERSCORE_KEY = "xero_proj_demo_my_very_secret_value_Q9"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def everything(client: XeroClient, model_id: str) -> list[str]:
    """Drive the client through successes and failures; the texts it produced."""
    texts: list[str] = [client.api_key_masked, client.model_curl(model_id)]
    texts.append(client.curl("PATCH", f"/v1/models/{model_id}", {"description": "x"}))
    request = ChatRequest(messages=[ChatMessage(role="user", content="hi")], max_tokens=5)
    calls: list[Any] = [
        client.list_models(limit=2),
        client.get_model(model_id),
        client.get_model("no-such-model"),
        client.update_model(model_id, ModelUpdate(quantization="fp4")),
        client.chat_completion("llama-chat", request),
        client.chat_completion("no-such-endpoint", request),
        client.create_version(model_id, "not-semver"),
    ]
    for call in calls:
        try:
            texts.append(repr(await call))
        except XeroError as exc:
            texts += [str(exc), repr(exc), repr(exc.body), exc.detail, repr(vars(exc))]
    with contextlib.suppress(XeroError):
        async for chunk in client.stream_chat("llama-chat", request):
            texts.append(repr(chunk))
    texts += [repr(record) for record in client.log.records()]
    return texts


@pytest.mark.parametrize("mode", [{}, {"dry_run": True}, {"read_only": True}])
async def test_the_sandbox_key_never_shows(
    make_client: ClientFactory, sandbox: SandboxInfo, mode: dict[str, bool]
) -> None:
    client = make_client(**mode)
    assert client.api_key_masked == "xero_proj_demo_••••-key"
    texts = await everything(client, sandbox.endpoints["qwen-coder"])
    assert any("xero_proj_demo_••••-key" in text for text in texts[1:])  # the curl commands
    for text in texts:
        assert_no_secret_run(text, "sandbox-member-key")


async def test_an_unknown_key_with_underscores_never_shows(
    make_client: ClientFactory, sandbox: SandboxInfo
) -> None:
    client = make_client(UNDERSCORE_KEY)
    assert client.api_key_masked == "xero_proj_demo_••••e_Q9"
    texts = await everything(client, sandbox.endpoints["qwen-coder"])
    records = client.log.records()
    assert {r.error_code for r in records} == {"invalid_api_key"}
    assert {r.key_masked for r in records} == {"xero_proj_demo_••••e_Q9"}
    for text in texts:
        assert_no_secret_run(text, "my_very_secret_value_Q9")


async def test_a_server_that_cannot_be_reached_shows_no_key() -> None:
    client = XeroClient(f"http://127.0.0.1:{free_port()}/proj_demo/v1", UNDERSCORE_KEY)
    async with client:
        with pytest.raises(XeroError) as info:
            await client.update_model("m1", ModelUpdate(description="x"))
    texts = [str(info.value), repr(info.value), repr(client.log.records())]
    for text in texts:
        assert_no_secret_run(text, "my_very_secret_value_Q9")
