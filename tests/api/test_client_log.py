"""The request log as the client fills it: one record per attempt, never the whole key."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from xerotui.api.client import XeroClient
from xerotui.api.endpoints import BY_KEY
from xerotui.api.errors import NotFoundError, StreamInterruptedError, ValidationError
from xerotui.api.masking import mask_key
from xerotui.api.requestlog import RequestLog, RequestRecord
from xerotui.api.schema import ChatMessage, ChatRequest, Model, ModelUpdate
from xerotui.launcher import SandboxInfo

Faults = Callable[..., Awaitable[dict[str, Any]]]
Pick = Callable[..., Awaitable[Model]]


async def test_a_successful_get_is_recorded(
    client: XeroClient, sandbox: SandboxInfo, pick: Pick
) -> None:
    model = await pick(status="ready")
    client.log.clear()
    before = time.time()
    await client.get_model(model.id)
    (record,) = client.log.records()
    assert record.method == "GET"
    assert record.path == f"/v1/models/{model.id}"
    assert record.url == f"{sandbox.base_url}/models/{model.id}"
    assert record.query == "extended=true"
    assert record.target == f"/v1/models/{model.id}?extended=true"
    assert record.status == 200
    assert record.request_id is not None
    assert record.request_id.startswith("req_")
    assert record.endpoint_key == "models.get"
    assert record.attempt == 1
    assert record.streamed is False
    assert record.key_masked == mask_key(sandbox.api_key) == client.api_key_masked
    assert record.error_code is None
    assert record.error_body is None
    assert record.latency_ms >= 0
    assert record.started >= before - 1
    assert client.log.last_for("models.get") is record


async def test_an_error_is_recorded_with_its_envelope(client: XeroClient, pick: Pick) -> None:
    model = await pick(status="ready")
    with pytest.raises(ValidationError) as info:
        await client.update_model(model.id, ModelUpdate(quantization="fp4"))
    record = client.log.records()[-1]
    assert (record.method, record.status, record.endpoint_key) == ("PATCH", 400, "models.update")
    assert record.error_code == "invalid_quantization"
    assert record.error_message == "Invalid quantization method: fp4"
    assert record.error_body == info.value.body
    assert record.error_body is not None
    assert record.error_body["error"]["code"] == "invalid_quantization"
    assert record.request_id == info.value.request_id
    assert client.log.errors()[-1] is record


async def test_every_endpoint_key_is_tagged(
    make_client: Callable[..., XeroClient], sandbox: SandboxInfo, pick: Pick
) -> None:
    admin = make_client(sandbox.admin_api_key)
    model_id = sandbox.endpoints["qwen-coder"]
    shareable = await pick(status="ready", is_shared=False)
    request = ChatRequest(messages=[ChatMessage(role="user", content="hi")], max_tokens=4)
    calls: list[Callable[[], Awaitable[object]]] = [
        lambda: admin.list_models(limit=1),
        lambda: admin.get_model(model_id),
        lambda: admin.update_model(model_id, ModelUpdate(license="MIT")),
        lambda: admin.share_model(shareable.id),
        lambda: admin.catalog_info(shareable.id),
        lambda: admin.unshare_model(shareable.id),
        lambda: admin.list_versions(model_id),
        lambda: admin.create_version(model_id, "8.0.0"),
        lambda: admin.promote_version(model_id, "8.0.0"),
        lambda: admin.create_version(model_id, "0.0.1"),
        lambda: admin.rollback_version(model_id, "0.0.1"),
        lambda: admin.probe_model(model_id),
        lambda: admin.set_capabilities(model_id, ["chat"]),
        lambda: admin.recommendations("ws_0123456789abcdef"),
        lambda: admin.chat_completion("qwen-coder", request.model_copy(update={"store": True})),
        lambda: admin.list_stored_completions("qwen-coder"),
        lambda: admin.list_endpoint_models("qwen-coder"),
        lambda: admin.revalidate_model(model_id),
    ]
    for call in calls:
        await call()
    stored = (await admin.list_stored_completions("qwen-coder")).data[0].id
    await admin.get_stored_completion("qwen-coder", stored)
    await admin.delete_stored_completion("qwen-coder", stored)
    await admin.delete_model(shareable.id)
    tagged = {r.endpoint_key for r in admin.log.records()}
    assert tagged == set(BY_KEY)  # every scope-table row was hit and recognised
    assert all(r.status is not None and r.status < 300 for r in admin.log.records())


async def test_subscribers_see_every_attempt(
    client: XeroClient, faults: Faults, slept: list[float]
) -> None:
    seen: list[RequestRecord] = []
    unsubscribe = client.log.subscribe(seen.append)
    await faults(fail_next=1, error_status=502, methods=["GET"])
    await client.list_models(limit=1)
    assert [(r.attempt, r.status) for r in seen] == [(1, 502), (2, 200)]
    unsubscribe()
    await client.list_models(limit=1)
    assert len(seen) == 2


async def test_a_shared_log_collects_from_several_clients(
    make_client: Callable[..., XeroClient], sandbox: SandboxInfo
) -> None:
    log = RequestLog(maxlen=10)
    member = make_client(log=log)
    admin = make_client(sandbox.admin_api_key, log=log)
    assert member.log is log
    await member.list_models(limit=1)
    await admin.list_models(limit=1)
    assert [r.key_masked for r in log.records()] == [
        mask_key(sandbox.api_key),
        mask_key(sandbox.admin_api_key),
    ]


async def test_the_whole_key_never_reaches_a_record_or_an_error(
    make_client: Callable[..., XeroClient], sandbox: SandboxInfo, faults: Faults
) -> None:
    keys = [sandbox.api_key, sandbox.admin_api_key, sandbox.other_api_key]
    clients = [make_client(key) for key in keys]
    request = ChatRequest(messages=[ChatMessage(role="user", content="hi")], max_tokens=30)
    errors: list[Exception] = []
    for client in clients:
        for call in (
            client.list_models(limit=2),
            client.get_model("00000000-1111-0000-1111-000000000000"),
            client.chat_completion("llama-chat", request),
        ):
            try:
                await call
            except Exception as exc:  # collected to check their text too
                errors.append(exc)
        await faults(stream_cut_after=3)
        try:
            async for _ in client.stream_chat("llama-chat", request):
                pass
        except Exception as exc:
            errors.append(exc)
        await faults(stream_cut_after=None)
    assert any(isinstance(e, NotFoundError) for e in errors)
    assert any(isinstance(e, StreamInterruptedError) for e in errors)
    for client in clients:
        records = client.log.records()
        assert len(records) == 4
        for record in records:
            text = repr(dataclasses.asdict(record))
            for key in keys:
                assert key not in text
    for err in errors:
        for key in keys:
            assert key not in str(err)
            assert key not in repr(getattr(err, "body", None))
