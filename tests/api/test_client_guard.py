"""Dry run and read-only: one guard in the client's request path, against the sandbox.

Every mutation of the client is tried in both modes; the server state read back afterwards
shows nothing changed. Dry run returns the planned request (method, URL, body, masked curl,
checked as literal strings); read-only refuses with a message saying how to leave the mode.
Chat passes read-only and is held by dry run (streamed too); reads always pass.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from key_leaks import assert_no_secret_run

from xerotui.api import endpoints
from xerotui.api.client import XeroClient
from xerotui.api.errors import DryRun, HeldRequestError, ReadOnlyError, XeroError
from xerotui.api.schema import ChatMessage, ChatRequest, ModelUpdate
from xerotui.launcher import SandboxInfo

MASKED = "xero_proj_demo_••••-key"
ClientFactory = Callable[..., XeroClient]
CID = "chatcmpl-0000"


@dataclass(frozen=True)
class Mutation:
    name: str
    call: Callable[[XeroClient, str], Awaitable[Any]]
    method: str
    path: str  # after the base URL; {id} is the model id
    body: dict[str, Any] | None
    endpoint: str


MUTATIONS = [
    Mutation(
        "update",
        lambda c, m: c.update_model(m, ModelUpdate(description="dry", context_length=8192)),
        "PATCH",
        "/models/{id}",
        {"description": "dry", "context_length": 8192},
        "models.update",
    ),
    Mutation(
        "delete", lambda c, m: c.delete_model(m), "DELETE", "/models/{id}", None, "models.delete"
    ),
    Mutation(
        "revalidate",
        lambda c, m: c.revalidate_model(m),
        "POST",
        "/models/{id}/revalidate",
        None,
        "models.revalidate",
    ),
    Mutation(
        "share", lambda c, m: c.share_model(m), "POST", "/models/{id}/share", None, "models.share"
    ),
    Mutation(
        "unshare",
        lambda c, m: c.unshare_model(m),
        "POST",
        "/models/{id}/unshare",
        None,
        "models.unshare",
    ),
    Mutation(
        "create version",
        lambda c, m: c.create_version(m, "9.9.9", notes="n"),
        "POST",
        "/models/{id}/versions",
        {"version": "9.9.9", "version_notes": "n"},
        "versions.create",
    ),
    Mutation(
        "promote",
        lambda c, m: c.promote_version(m, "1.0.0"),
        "POST",
        "/models/{id}/versions/1.0.0/promote",
        None,
        "versions.promote",
    ),
    Mutation(
        "rollback",
        lambda c, m: c.rollback_version(m, "1.0.0"),
        "POST",
        "/models/{id}/versions/1.0.0/rollback",
        None,
        "versions.rollback",
    ),
    Mutation(
        "capabilities",
        lambda c, m: c.set_capabilities(m, ["chat"]),
        "PATCH",
        "/models/{id}/capabilities",
        {"capabilities": ["chat"]},
        "models.set_capabilities",
    ),
    Mutation(
        "delete completion",
        lambda c, m: c.delete_stored_completion("llama-chat", CID),
        "DELETE",
        f"/../llama-chat/v1/chat/completions/{CID}",
        None,
        "completions.delete",
    ),
]


def url_of(sandbox: SandboxInfo, mutation: Mutation, model_id: str) -> str:
    path = mutation.path.format(id=model_id)
    if path.startswith("/../"):  # an endpoint route: /{P}/{slug}/v1/...
        return f"{sandbox.root_url}/{sandbox.project}/{path[len('/../') :]}"
    return f"{sandbox.base_url}{path}"


async def server_state(client: XeroClient, model_id: str) -> tuple[Any, ...]:
    model = await client.get_model(model_id)
    versions = await client.list_versions(model_id)
    stored = await client.list_stored_completions("llama-chat")
    return (
        model.model_dump(),
        [v.model_dump() for v in versions.data],
        [c.id for c in stored.data],
    )


def ask() -> ChatRequest:
    return ChatRequest(messages=[ChatMessage(role="user", content="Say hi")], max_tokens=8, seed=1)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.name for m in MUTATIONS])
async def test_dry_run_plans_every_mutation_and_sends_none(
    make_client: ClientFactory, sandbox: SandboxInfo, mutation: Mutation
) -> None:
    normal = make_client()
    dry = make_client(dry_run=True)
    model_id = sandbox.endpoints["qwen-coder"]
    before = await server_state(normal, model_id)
    with pytest.raises(DryRun) as info:
        await mutation.call(dry, model_id)
    planned = info.value.planned
    url = url_of(sandbox, mutation, model_id)
    assert (planned.method, planned.url, planned.body) == (mutation.method, url, mutation.body)
    curl = f"curl -X {mutation.method} {url} -H 'Authorization: Bearer {MASKED}'"
    if mutation.body is not None:
        data = ",".join(f'"{k}":{v!r}'.replace("'", '"') for k, v in mutation.body.items())
        curl += f" -H 'Content-Type: application/json' -d '{{{data}}}'"
    assert planned.curl == curl
    assert info.value.title == "Dry run: not sent"
    assert f"was not sent (dry run). It would be: {curl}" in info.value.message
    assert_no_secret_run(repr(info.value) + str(info.value) + repr(planned), "sandbox-member-key")
    assert await server_state(normal, model_id) == before
    (record,) = dry.log.records()
    assert (record.method, record.status, record.held, record.endpoint_key) == (
        mutation.method,
        None,
        "dry-run",
        mutation.endpoint,
    )
    assert not record.is_error
    assert not record.sent
    assert dry.log.last_for(mutation.endpoint) is None  # never "what the server answered"


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.name for m in MUTATIONS])
async def test_read_only_refuses_every_mutation(
    make_client: ClientFactory, sandbox: SandboxInfo, mutation: Mutation
) -> None:
    normal = make_client()
    locked = make_client(read_only=True)
    assert locked.mode == "read-only"
    model_id = sandbox.endpoints["qwen-coder"]
    before = await server_state(normal, model_id)
    with pytest.raises(ReadOnlyError) as info:
        await mutation.call(locked, model_id)
    message = info.value.message
    assert message.startswith("xerotui was started with --read-only, so ")
    assert message.endswith("Restart xerotui without --read-only to make changes.")
    assert f"{mutation.method} " in message
    assert str(info.value).startswith("Read-only mode: ")
    assert info.value.planned.url == url_of(sandbox, mutation, model_id)
    assert await server_state(normal, model_id) == before
    (record,) = locked.log.records()
    assert (record.held, record.status, record.is_error) == ("read-only", None, False)


@pytest.mark.parametrize("flags", [{"dry_run": True}, {"read_only": True}])
async def test_reads_always_pass(
    make_client: ClientFactory, sandbox: SandboxInfo, flags: dict[str, bool]
) -> None:
    client = make_client(**flags)
    model_id = sandbox.endpoints["llama-chat"]
    page = await client.list_models(limit=3)
    assert len(page.data) == 3
    assert (await client.get_model(model_id)).id == model_id
    await client.list_versions(model_id)
    await client.catalog_info(page.data[0].id) if page.data[0].is_shared else None
    await client.probe_model(model_id)
    await client.list_stored_completions("llama-chat")
    await client.list_endpoint_models("llama-chat")
    assert all(r.status == 200 and not r.held for r in client.log.records())


async def test_read_only_lets_chat_through(make_client: ClientFactory) -> None:
    client = make_client(read_only=True)
    result = await client.chat_completion("llama-chat", ask())
    assert result.text
    chunks = [chunk async for chunk in client.stream_chat("llama-chat", ask())]
    assert chunks[-1].usage is not None
    assert [(r.status, r.held) for r in client.log.records()] == [(200, ""), (200, "")]


async def chat_once(client: XeroClient, streamed: bool) -> None:
    if not streamed:
        await client.chat_completion("llama-chat", ask())
        return
    async for _chunk in client.stream_chat("llama-chat", ask()):
        pytest.fail("a dry run streamed a chunk")


@pytest.mark.parametrize("streamed", [False, True], ids=["completion", "stream"])
async def test_dry_run_shows_the_chat_request_instead_of_sending_it(
    make_client: ClientFactory, sandbox: SandboxInfo, streamed: bool
) -> None:
    client = make_client(dry_run=True)
    with pytest.raises(DryRun) as info:
        await chat_once(client, streamed)
    planned = info.value.planned
    url = f"{sandbox.root_url}/{sandbox.project}/llama-chat/v1/chat/completions"
    body: dict[str, Any] = {
        "model": "default",
        "messages": [{"role": "user", "content": "Say hi"}],
        "max_tokens": 8,
        "seed": 1,
    }
    if streamed:
        body |= {"stream": True, "stream_options": {"include_usage": True}}
    assert (planned.method, planned.url, planned.body) == ("POST", url, body)
    assert planned.curl.startswith(f"curl -X POST {url} -H 'Authorization: Bearer {MASKED}' ")
    (record,) = client.log.records()
    assert (record.held, record.streamed, record.endpoint_key) == (
        "dry-run",
        streamed,
        "chat.create",
    )


async def test_dry_run_wins_over_read_only(
    make_client: ClientFactory, sandbox: SandboxInfo
) -> None:
    client = make_client(dry_run=True, read_only=True)
    assert client.mode == "dry-run"
    with pytest.raises(DryRun):
        await client.delete_model(sandbox.endpoints["qwen-coder"])
    assert make_client().mode == "normal"


def test_held_requests_are_xero_errors() -> None:
    assert issubclass(DryRun, HeldRequestError)
    assert issubclass(ReadOnlyError, HeldRequestError)
    assert issubclass(HeldRequestError, XeroError)


def test_the_endpoint_table_declares_what_mutates() -> None:
    effects = {e.key: e.effect for e in endpoints.ENDPOINTS}
    assert {k for k, v in effects.items() if v == "read"} == {
        e.key for e in endpoints.ENDPOINTS if e.method == "GET"
    }
    assert {k for k, v in effects.items() if v == "chat"} == {"chat.create"}
    assert {k for k, v in effects.items() if v == "mutation"} == {m.endpoint for m in MUTATIONS}
    assert endpoints.effect("POST", "/v1/something/new") == "mutation"
    assert endpoints.effect("PUT", "/v1/models/x") == "mutation"
    assert endpoints.effect("GET", "/v1/something/new") == "read"
