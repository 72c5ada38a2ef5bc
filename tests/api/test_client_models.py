"""XeroClient against the sandbox: list, pagination, get, update, delete, revalidate, share."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from xerotui.api.client import XeroClient
from xerotui.api.errors import ConflictError, NotFoundError, ValidationError
from xerotui.api.schema import (
    CatalogInfo,
    DeleteResult,
    Model,
    ModelList,
    ModelUpdate,
    RevalidateResult,
    UnshareResult,
)
from xerotui.launcher import SandboxInfo

Pick = Callable[..., Awaitable[Model]]
MISSING_ID = "00000000-1111-0000-1111-000000000000"
STANDARD_KEYS = {"id", "object", "created", "owned_by", "name"}


async def raw_get(sandbox: SandboxInfo, path: str, **params: str) -> Any:
    """The server's JSON, read without the client, to compare the client's objects with."""
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    async with httpx.AsyncClient(headers=headers) as http:
        response = await http.get(f"{sandbox.base_url}{path}", params=params)
        response.raise_for_status()
        return response.json()


# ---------------------------------------------------------------- list


async def test_list_extended_has_counters_and_xerotier_fields(client: XeroClient) -> None:
    page = await client.list_models(limit=5)
    assert isinstance(page, ModelList)
    assert len(page.data) == 5
    assert page.has_more is True
    assert page.total is not None
    assert page.total > 5
    for model in page.data:
        assert model.owned_by == "proj_demo"
        assert model.status
        assert model.size_formatted
        assert model.size_bytes is not None
        assert model.format in ("safetensors", "gguf")
    created = [m.created for m in page.data]
    assert created == sorted(created, reverse=True)  # created descending


async def test_list_standard_has_the_five_openai_keys_only(client: XeroClient) -> None:
    page = await client.list_models(limit=5, extended=False)
    assert len(page.data) == 5
    assert page.has_more is None
    assert page.total is None
    for model in page.data:
        assert set(model.model_dump(exclude_none=True)) == STANDARD_KEYS
        assert model.status is None
        assert model.format is None


async def test_list_matches_the_wire_exactly(client: XeroClient, sandbox: SandboxInfo) -> None:
    raw = await raw_get(sandbox, "/models", extended="true", limit="20")
    page = await client.list_models(limit=20)
    assert page.wire() == raw  # nothing invented, nothing lost; omitted optionals stay None


async def test_offset_past_the_end_is_an_empty_last_page(client: XeroClient) -> None:
    page = await client.list_models(limit=10, offset=10_000)
    assert page.data == []
    assert page.has_more is False
    assert page.total is not None
    assert page.total > 0


async def test_offset_moves_through_the_list(client: XeroClient) -> None:
    first = await client.list_models(limit=4)
    second = await client.list_models(limit=4, offset=2)
    assert [m.id for m in second.data[:2]] == [m.id for m in first.data[2:]]


async def test_iter_models_visits_every_model_once(client: XeroClient) -> None:
    pages = [page async for page in client.iter_models(page_size=10)]
    ids = [m.id for page in pages for m in page.data]
    total = pages[0].total
    assert total is not None
    assert len(ids) == total
    assert len(set(ids)) == total
    assert len(pages) == -(-total // 10)
    assert pages[-1].has_more is False


async def test_iter_models_standard_stops_on_a_short_or_empty_page(client: XeroClient) -> None:
    extended = [m.id async for page in client.iter_models() for m in page.data]
    count = len(extended)
    for page_size in (7, count):  # a short last page; an exact multiple (empty page after)
        pages = [page async for page in client.iter_models(extended=False, page_size=page_size)]
        ids = [m.id for page in pages for m in page.data]
        assert ids == extended
        assert all(page.data for page in pages)


async def test_limit_above_the_ceiling_gets_100_rows(big_sandbox: SandboxInfo) -> None:
    async with XeroClient(big_sandbox.base_url, big_sandbox.api_key) as client:
        page = await client.list_models(limit=500)
        assert len(page.data) == 100
        assert page.has_more is True
        assert page.total is not None
        assert 150 < page.total < 200
        for page_size in (100, 500):  # 500 is cut to 100 by the server: has_more drives it
            pages = [p async for p in client.iter_models(page_size=page_size)]
            ids = [m.id for p in pages for m in p.data]
            assert len(ids) == len(set(ids)) == page.total
            assert [len(p.data) for p in pages] == [100, page.total - 100]
        standard = [m.id async for p in client.iter_models(extended=False) for m in p.data]
        assert len(standard) == len(set(standard)) == page.total


# ---------------------------------------------------------------- get


async def test_get_extended_and_standard(
    client: XeroClient, sandbox: SandboxInfo, pick: Pick
) -> None:
    listed = await pick(status="ready", is_shared=True)
    model = await client.get_model(listed.id)
    assert isinstance(model, Model)
    assert model.id == listed.id
    assert model.description  # the extended GET has the description, the list does not
    assert listed.description is None
    assert model.wire() == await raw_get(sandbox, f"/models/{listed.id}", extended="true")
    standard = await client.get_model(listed.id, extended=False)
    assert set(standard.model_dump(exclude_none=True)) == STANDARD_KEYS
    assert standard.description is None
    assert standard.name == model.name


async def test_omitted_optionals_stay_none(client: XeroClient, sandbox: SandboxInfo) -> None:
    raw = await raw_get(sandbox, "/models", extended="true", limit="100")
    page = await client.list_models()
    missing_seen = 0
    for item, model in zip(raw["data"], page.data, strict=True):
        for name in Model.model_fields:
            if name not in item:
                missing_seen += 1
                assert getattr(model, name) is None, (model.name, name)
    assert missing_seen > 0


# ---------------------------------------------------------------- update


async def test_update_sends_only_the_fields_set(client: XeroClient, pick: Pick) -> None:
    before = await client.get_model((await pick(status="ready")).id)
    update = ModelUpdate(description="Tuned for support tickets", context_length=65536)
    after = await client.update_model(before.id, update)
    assert after.description == "Tuned for support tickets"
    assert after.context_length == 65536
    unchanged = before.wire() | {"description": after.description, "context_length": 65536}
    assert after.wire() == unchanged  # nothing else moved (no nulls were sent)
    assert (await client.get_model(before.id)).wire() == after.wire()


async def test_update_with_empty_quantization_changes_nothing(
    client: XeroClient, pick: Pick
) -> None:
    before = await client.get_model((await pick(status="ready")).id)
    after = await client.update_model(before.id, ModelUpdate(quantization=""))
    assert after.quantization == before.quantization


async def test_update_new_fields_round_trip(client: XeroClient, pick: Pick) -> None:
    model = await pick(status="ready")
    update = ModelUpdate(
        license="MIT",
        torch_dtype="bfloat16",
        num_experts=8,
        num_experts_per_tok=2,
        pre_quantized=True,
        pre_quantization_method="awq",
        pre_quantization_bits=4,
        workload_type="code",
    )
    after = await client.update_model(model.id, update)
    for name, value in update.patch_body().items():
        assert getattr(after, name) == value, name


@pytest.mark.parametrize(
    ("update", "code", "param", "message"),
    [
        (ModelUpdate(quantization="fp4"), "invalid_quantization", "quantization", "fp4"),
        (ModelUpdate(workload_type="inference"), "invalid_workload_type", "workload_type", ""),
        (ModelUpdate(torch_dtype="float8"), "invalid_torch_dtype", "torch_dtype", ""),
        (ModelUpdate(pre_quantization_bits=3), "invalid_pre_quantization", None, ""),
        (ModelUpdate(pre_quantization_method="exl2"), "invalid_pre_quantization", None, ""),
        (ModelUpdate(context_length=0), "invalid_value", "context_length", ""),
        (ModelUpdate(num_layers=-4), "invalid_value", "num_layers", ""),
    ],
)
async def test_update_validation_errors(
    client: XeroClient,
    pick: Pick,
    update: ModelUpdate,
    code: str,
    param: str | None,
    message: str,
) -> None:
    model = await client.get_model((await pick(status="ready")).id)
    with pytest.raises(ValidationError) as info:
        await client.update_model(model.id, update)
    err = info.value
    assert (err.status, err.code) == (400, code)
    if param is not None:
        assert err.param == param
    else:
        assert err.param in update.patch_body()
    assert message in err.message
    assert err.body is not None
    assert err.body["error"]["code"] == code
    assert err.request_id
    assert (err.method, err.path) == ("PATCH", f"/v1/models/{model.id}")
    assert (await client.get_model(model.id)).wire() == model.wire()  # nothing applied


async def test_invalid_quantization_has_the_documented_message(
    client: XeroClient, pick: Pick
) -> None:
    model = await pick(status="ready")
    with pytest.raises(ValidationError) as info:
        await client.update_model(model.id, ModelUpdate(quantization="fp4"))
    assert info.value.message == "Invalid quantization method: fp4"


# ---------------------------------------------------------------- unknown ids


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get_model(MISSING_ID),
        lambda c: c.update_model(MISSING_ID, ModelUpdate(description="x")),
        lambda c: c.delete_model(MISSING_ID),
        lambda c: c.revalidate_model(MISSING_ID),
        lambda c: c.share_model(MISSING_ID),
        lambda c: c.unshare_model(MISSING_ID),
        lambda c: c.catalog_info(MISSING_ID),
        lambda c: c.list_versions(MISSING_ID),
        lambda c: c.create_version(MISSING_ID, "9.9.9"),
        lambda c: c.probe_model(MISSING_ID),
    ],
)
async def test_unknown_model_is_model_not_found(
    client: XeroClient, call: Callable[[XeroClient], Awaitable[object]]
) -> None:
    with pytest.raises(NotFoundError) as info:
        await call(client)
    assert (info.value.status, info.value.code) == (404, "model_not_found")
    assert info.value.message == "Model not found"


async def test_model_of_another_project_is_not_found(
    make_client: Callable[..., XeroClient], sandbox: SandboxInfo, client: XeroClient
) -> None:
    other_base = sandbox.base_url.replace("/proj_demo/", "/proj_other/")
    other = make_client(sandbox.other_api_key, base_url=other_base)
    foreign = (await other.list_models(limit=1)).data[0]
    with pytest.raises(NotFoundError):
        await client.get_model(foreign.id)


# ---------------------------------------------------------------- delete, revalidate


async def test_delete_then_gone(client: XeroClient, pick: Pick) -> None:
    model = await pick(status="ready")
    result = await client.delete_model(model.id)
    assert result == DeleteResult(id=model.id, object="model", deleted=True)
    with pytest.raises(NotFoundError):
        await client.get_model(model.id)
    with pytest.raises(NotFoundError):
        await client.delete_model(model.id)


async def test_revalidate_queues_and_refuses_while_validating(
    client: XeroClient, pick: Pick
) -> None:
    model = await pick(status="failed")
    result = await client.revalidate_model(model.id)
    assert result == RevalidateResult(
        id=model.id, status="validating", message="Model validation queued"
    )
    assert (await client.get_model(model.id)).status == "validating"
    with pytest.raises(NotFoundError) as info:
        await client.revalidate_model(model.id)
    assert info.value.code == "model_not_found"


# ---------------------------------------------------------------- share, unshare, catalog


async def test_share_catalog_unshare_cycle(client: XeroClient, pick: Pick) -> None:
    model = await pick(status="ready", is_shared=False)
    with pytest.raises(NotFoundError):
        await client.catalog_info(model.id)
    info = await client.share_model(model.id)
    assert isinstance(info, CatalogInfo)
    assert info.id == model.id
    assert info.catalog_role == "deployable"
    assert info.is_on_shared_agents is False
    assert info.shared_at
    assert (await client.get_model(model.id)).is_shared is True
    assert await client.catalog_info(model.id) == info
    again = await client.share_model(model.id)  # idempotent, first share time kept
    assert again.shared_at == info.shared_at
    result = await client.unshare_model(model.id)
    assert result == UnshareResult(id=model.id, object="model", is_shared=False)
    assert (await client.get_model(model.id)).is_shared is False
    with pytest.raises(NotFoundError) as gone:
        await client.catalog_info(model.id)
    assert gone.value.code == "model_not_found"
    assert await client.unshare_model(model.id) == result  # idempotent


async def test_catalog_info_of_a_shared_seed_model(client: XeroClient, pick: Pick) -> None:
    model = await pick(is_shared=True)
    info = await client.catalog_info(model.id)
    assert info.catalog_role in ("deployable", "shared")
    assert info.is_on_shared_agents == (info.catalog_role == "shared")
    assert info.deployment_count >= 0


@pytest.mark.parametrize("status", ["failed", "invalid", "validating"])
async def test_share_a_model_that_is_not_ready_conflicts(
    client: XeroClient, pick: Pick, status: str
) -> None:
    model = await pick(status=status)
    with pytest.raises(ConflictError) as info:
        await client.share_model(model.id)
    assert (info.value.status, info.value.code) == (409, "model_not_ready")
