"""XeroClient against the sandbox: versions, probe, capabilities, workspace recommendations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
import semver

from xerotui.api.client import XeroClient
from xerotui.api.errors import (
    ConflictError,
    NotFoundError,
    NotImplementedByServerError,
    PermissionDeniedError,
    ValidationError,
)
from xerotui.api.schema import ModelVersion, ProbeResult, RecommendationList, VersionList
from xerotui.launcher import SandboxInfo

Faults = Callable[..., Awaitable[dict[str, Any]]]
WORKSPACE = "ws_0123456789abcdef"


# ---------------------------------------------------------------- versions


async def test_list_versions_newest_first_one_latest(
    client: XeroClient, sandbox: SandboxInfo
) -> None:
    model_id = sandbox.endpoints["llama-chat"]
    versions = await client.list_versions(model_id)
    assert isinstance(versions, VersionList)
    assert len(versions.data) >= 2
    names = [v.version for v in versions.data]
    # semver order from the semver library itself, not from the sandbox's own key
    assert names == sorted(names, key=semver.Version.parse, reverse=True)
    latest = [v for v in versions.data if v.is_latest]
    assert len(latest) == 1
    model = await client.get_model(model_id)
    assert model.version == latest[0].version
    assert all(v.object == "model.version" and v.created > 0 for v in versions.data)


async def test_create_promote_rollback(client: XeroClient, sandbox: SandboxInfo) -> None:
    model_id = sandbox.endpoints["qwen-coder"]
    before = await client.get_model(model_id)
    created = await client.create_version(model_id, "9.0.0", notes="Distilled on new data")
    assert isinstance(created, ModelVersion)
    assert (created.version, created.version_notes, created.is_latest) == (
        "9.0.0",
        "Distilled on new data",
        False,
    )
    assert (await client.get_model(model_id)).version == before.version  # create keeps latest
    bare = await client.create_version(model_id, "9.1.0")
    assert bare.version_notes is None

    promoted = await client.promote_version(model_id, "9.1.0")
    assert (promoted.version, promoted.is_latest) == ("9.1.0", True)
    model = await client.get_model(model_id)
    assert (model.version, model.is_latest) == ("9.1.0", True)

    rolled = await client.rollback_version(model_id, "9.0.0")
    assert (rolled.version, rolled.is_latest) == ("9.0.0", True)
    latest = [v.version for v in (await client.list_versions(model_id)).data if v.is_latest]
    assert latest == ["9.0.0"]


async def test_version_with_build_metadata_survives_the_path(
    client: XeroClient, sandbox: SandboxInfo
) -> None:
    model_id = sandbox.endpoints["mixtral-moe"]
    await client.create_version(model_id, "7.0.0+build.5")
    promoted = await client.promote_version(model_id, "7.0.0+build.5")
    assert promoted.version == "7.0.0+build.5"
    assert promoted.is_latest


async def test_version_create_is_201_on_the_wire_and_in_the_log(
    client: XeroClient, sandbox: SandboxInfo
) -> None:
    """The one success that is not 200 (design.md section 4), pinned where the client saw it
    (its request log) and where the server sent it (its journal, and a raw request)."""
    model_id = sandbox.endpoints["llama-chat"]
    client.log.clear()
    created = await client.create_version(model_id, "12.0.0")
    assert created.version == "12.0.0"
    (record,) = client.log.records()
    assert (record.method, record.endpoint_key, record.status) == ("POST", "versions.create", 201)
    async with httpx.AsyncClient(base_url=sandbox.root_url, timeout=10) as http:
        journal = (await http.get("/_sandbox/requests", params={"method": "POST"})).json()
        assert [e["status"] for e in journal["data"]] == [201]
        assert journal["data"][0]["request_id"] == record.request_id
        raw = await http.post(
            f"/proj_demo/v1/models/{model_id}/versions",
            json={"version": "12.1.0"},
            headers={"Authorization": f"Bearer {sandbox.api_key}"},
        )
        assert raw.status_code == 201
        assert raw.json()["version"] == "12.1.0"


@pytest.mark.parametrize("bad", ["v2.0.0", "2.0", "1.0.0.0", "01.0.0", "latest"])
async def test_invalid_version(client: XeroClient, sandbox: SandboxInfo, bad: str) -> None:
    with pytest.raises(ValidationError) as info:
        await client.create_version(sandbox.endpoints["llama-chat"], bad)
    assert (info.value.status, info.value.code) == (400, "invalid_version")


async def test_duplicate_version_conflicts(client: XeroClient, sandbox: SandboxInfo) -> None:
    model_id = sandbox.endpoints["llama-chat"]
    existing = (await client.list_versions(model_id)).data[-1].version
    with pytest.raises(ConflictError) as info:
        await client.create_version(model_id, existing)
    assert (info.value.status, info.value.code) == (409, "version_exists")


async def test_unknown_version_is_version_not_found(
    client: XeroClient, sandbox: SandboxInfo
) -> None:
    model_id = sandbox.endpoints["llama-chat"]
    for call in (client.promote_version, client.rollback_version):
        with pytest.raises(NotFoundError) as info:
            await call(model_id, "42.0.0")
        assert (info.value.status, info.value.code) == (404, "version_not_found")


async def test_rollback_only_goes_down(client: XeroClient, sandbox: SandboxInfo) -> None:
    model_id = sandbox.endpoints["llama-chat"]
    current = (await client.get_model(model_id)).version
    assert current is not None
    await client.create_version(model_id, "99.0.0")
    for target in ("99.0.0", current):
        with pytest.raises(ValidationError) as info:
            await client.rollback_version(model_id, target)
        assert (info.value.status, info.value.code) == (400, "invalid_rollback")


# ---------------------------------------------------------------- probe


async def test_probe_a_deployed_model(client: XeroClient, sandbox: SandboxInfo) -> None:
    model_id = sandbox.endpoints["llama-chat"]
    result = await client.probe_model(model_id)
    assert isinstance(result, ProbeResult)
    assert result.id == model_id
    assert result.object == "model.capabilities"
    assert result.capabilities["chat"] is True


async def test_probe_a_model_without_endpoint_conflicts(
    client: XeroClient, sandbox: SandboxInfo
) -> None:
    deployed = set(sandbox.endpoints.values())
    page = await client.list_models()
    model = next(m for m in page.data if m.id not in deployed)
    with pytest.raises(ConflictError) as info:
        await client.probe_model(model.id)
    assert (info.value.status, info.value.code) == (409, "model_not_deployed")


async def test_probe_disabled_is_501(
    client: XeroClient, sandbox: SandboxInfo, faults: Faults
) -> None:
    await faults(probe_disabled=True)
    with pytest.raises(NotImplementedByServerError) as info:
        await client.probe_model(sandbox.endpoints["llama-chat"])
    assert (info.value.status, info.value.code) == (501, "not_implemented")
    assert len(client.log.records()) == 1  # 501 is not retried


# ---------------------------------------------------------------- capabilities


async def test_set_capabilities_as_admin_replaces_the_list(
    make_client: Callable[..., XeroClient], sandbox: SandboxInfo
) -> None:
    admin = make_client(sandbox.admin_api_key)
    model_id = sandbox.endpoints["qwen-coder"]
    model = await admin.set_capabilities(model_id, ["chat", "tool-use"])
    assert model.capabilities == ["chat", "tool-use"]
    assert model.status is not None  # the extended model comes back
    again = await admin.set_capabilities(model_id, ["embeddings"])
    assert again.capabilities == ["embeddings"]
    assert (await admin.get_model(model_id)).capabilities == ["embeddings"]


async def test_set_capabilities_needs_an_admin_key(
    client: XeroClient, sandbox: SandboxInfo
) -> None:
    with pytest.raises(PermissionDeniedError) as info:
        await client.set_capabilities(sandbox.endpoints["qwen-coder"], ["chat"])
    assert (info.value.status, info.value.code) == (403, "admin_required")


async def test_set_capabilities_empty_is_invalid(
    make_client: Callable[..., XeroClient], sandbox: SandboxInfo
) -> None:
    admin = make_client(sandbox.admin_api_key)
    with pytest.raises(ValidationError) as info:
        await admin.set_capabilities(sandbox.endpoints["qwen-coder"], [])
    assert (info.value.status, info.value.code) == (400, "invalid_capabilities")


# ---------------------------------------------------------------- recommendations


async def test_recommendations_sorted_by_score(client: XeroClient) -> None:
    result = await client.recommendations(WORKSPACE)
    assert isinstance(result, RecommendationList)
    assert result.workspace_id == WORKSPACE
    assert result.data
    scores = [r.score for r in result.data]
    assert scores == sorted(scores, reverse=True)
    known = {m.id async for page in client.iter_models() for m in page.data}
    assert {r.model_id for r in result.data} <= known
    assert all(r.name and r.reason for r in result.data)


async def test_unknown_workspace(client: XeroClient) -> None:
    with pytest.raises(NotFoundError) as info:
        await client.recommendations("ws_ffffffffffffffff")
    assert (info.value.status, info.value.code) == (404, "workspace_not_found")
