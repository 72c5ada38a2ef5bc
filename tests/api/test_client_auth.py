"""Authentication errors from the sandbox, mapped by code, never retried, key never leaked."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from xerotui.api.client import XeroClient
from xerotui.api.errors import AuthError, ProjectMismatchError, XeroError
from xerotui.api.schema import ChatMessage, ChatRequest
from xerotui.launcher import SandboxInfo

Factory = Callable[..., XeroClient]
REVOKED_KEY = "xero_proj_demo_sandbox-revoked-key"
UNKNOWN_KEY = "xero_proj_demo_0123456789abcdef0123"


def assert_key_hidden(client: XeroClient, key: str, err: XeroError) -> None:
    assert key not in str(err)
    assert key not in repr(err.body)
    assert client.log.records()
    for record in client.log.records():
        assert key not in repr(record)


@pytest.mark.parametrize("key", ["", "not-a-xero-key", "xero_", "Bearer"])
async def test_missing_or_malformed_key(make_client: Factory, key: str) -> None:
    client = make_client(key)
    with pytest.raises(AuthError) as info:
        await client.list_models()
    err = info.value
    assert (err.status, err.code) == (401, "missing_authorization")
    assert err.message == "Missing or invalid Authorization header"
    assert err.title == "Authentication failed"
    assert len(client.log.records()) == 1  # never retried


@pytest.mark.parametrize("key", [UNKNOWN_KEY, REVOKED_KEY])
async def test_unknown_or_revoked_key(make_client: Factory, key: str) -> None:
    client = make_client(key)
    with pytest.raises(AuthError) as info:
        await client.get_model("anything")
    assert (info.value.status, info.value.code) == (401, "invalid_api_key")
    assert info.value.request_id
    assert len(client.log.records()) == 1
    assert_key_hidden(client, key, info.value)


async def test_key_of_another_project(make_client: Factory, sandbox: SandboxInfo) -> None:
    client = make_client(sandbox.other_api_key)
    with pytest.raises(ProjectMismatchError) as info:
        await client.list_models()
    err = info.value
    assert (err.status, err.code) == (403, "project_mismatch")
    assert err.message == "API key does not authorize access to this project"
    assert len(client.log.records()) == 1
    assert_key_hidden(client, sandbox.other_api_key, err)


async def test_chat_with_another_projects_key(make_client: Factory, sandbox: SandboxInfo) -> None:
    client = make_client(sandbox.other_api_key)
    request = ChatRequest(messages=[ChatMessage(role="user", content="hi")], max_tokens=5)
    with pytest.raises(ProjectMismatchError):
        await client.chat_completion("llama-chat", request)
    with pytest.raises(ProjectMismatchError):
        async for _ in client.stream_chat("llama-chat", request):
            pass
    assert [r.streamed for r in client.log.records()] == [False, True]
    assert client.log.records()[-1].status == 403


async def test_admin_key_reads_too(make_client: Factory, sandbox: SandboxInfo) -> None:
    admin = make_client(sandbox.admin_api_key)
    assert (await admin.list_models(limit=1)).data
