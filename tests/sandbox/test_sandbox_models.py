"""Model routes: list shapes, get, PATCH validation, DELETE, auth and error envelopes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sandbox_helpers import (
    CODER,
    LLAMA,
    OTHER_MODEL,
    client,
    error_of,
    fresh_rate_window,
)

from xerotui.launcher import SandboxInfo

STANDARD_KEYS = {"id", "object", "created", "owned_by", "name"}
LIST_KEYS = STANDARD_KEYS | {
    "format", "size_bytes", "size_formatted", "status", "version", "is_latest",
    "architecture", "quantization", "context_length", "parameter_count", "workload_type",
    "is_shared",
}  # fmt: skip
DETAIL_ONLY = {
    "description", "license", "hidden_size", "num_layers", "vocab_size", "torch_dtype",
    "num_experts", "num_experts_per_tok", "pre_quantized", "pre_quantization_method",
    "pre_quantization_bits", "capabilities",
}  # fmt: skip


def no_nulls(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, dict):
        return all(no_nulls(v) for v in value.values())
    if isinstance(value, list):
        return all(no_nulls(v) for v in value)
    return True


# ---------------------------------------------------------------------------- list


def test_standard_list_has_only_the_five_keys(api: httpx.Client) -> None:
    response = api.get("/models")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"object", "data"}
    assert body["object"] == "list"
    assert len(body["data"]) == 43
    for item in body["data"]:
        assert set(item) == STANDARD_KEYS
        assert item["object"] == "model"
        assert item["owned_by"] == "proj_demo"


def test_extended_list_items_carry_exactly_the_seed_example_keys(api: httpx.Client) -> None:
    body = api.get("/models", params={"extended": "true"}).json()
    assert set(body) == {"object", "data", "has_more", "total"}
    assert body["total"] == 43
    assert body["has_more"] is False
    for item in body["data"]:
        assert set(item) <= LIST_KEYS
        assert not set(item) & DETAIL_ONLY
        assert no_nulls(item)
    full = [item for item in body["data"] if set(item) == LIST_KEYS]
    assert len(full) == 43  # every seeded model sets every list field


def test_list_order_is_created_desc_then_id(api: httpx.Client) -> None:
    data = api.get("/models").json()["data"]
    keys = [(-item["created"], item["id"]) for item in data]
    assert keys == sorted(keys)


def test_created_timestamps_are_fixed_within_2025_06_to_2026_11(api: httpx.Client) -> None:
    data = api.get("/models").json()["data"]
    assert min(i["created"] for i in data) >= 1748736000  # 2025-06-01
    assert max(i["created"] for i in data) < 1796083200  # 2026-12-01
    llama = next(i for i in data if i["id"] == LLAMA)
    assert llama["name"] == "llama-3.1-8b-instruct"


def test_pagination_with_limit_and_offset(api: httpx.Client) -> None:
    everything = api.get("/models").json()["data"]
    first = api.get("/models", params={"limit": 10, "extended": "true"}).json()
    second = api.get("/models", params={"limit": 10, "offset": 10, "extended": "true"}).json()
    assert [i["id"] for i in first["data"]] == [i["id"] for i in everything[:10]]
    assert [i["id"] for i in second["data"]] == [i["id"] for i in everything[10:20]]
    assert first["has_more"] is True
    last = api.get("/models", params={"limit": 10, "offset": 40, "extended": "true"}).json()
    assert len(last["data"]) == 3
    assert last["has_more"] is False


def test_offset_past_the_end_is_empty(api: httpx.Client) -> None:
    body = api.get("/models", params={"offset": 500, "extended": "true"}).json()
    assert body["data"] == []
    assert body["has_more"] is False
    assert body["total"] == 43
    assert api.get("/models", params={"offset": 500}).json() == {"object": "list", "data": []}


@pytest.mark.parametrize(("params", "param"), [({"limit": 0}, "limit"), ({"offset": -1}, "offset"),
                                               ({"limit": "ten"}, "limit")])  # fmt: skip
def test_bad_paging_values_are_invalid_value(
    api: httpx.Client, params: dict[str, Any], param: str
) -> None:
    response = api.get("/models", params=params)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_value"
    assert error["param"] == param


# ---------------------------------------------------------------------------- get


def test_get_standard_and_extended(api: httpx.Client) -> None:
    standard = api.get(f"/models/{LLAMA}").json()
    assert set(standard) == STANDARD_KEYS
    extended = api.get(f"/models/{LLAMA}", params={"extended": "true"}).json()
    assert set(extended) >= LIST_KEYS | {"description", "license", "capabilities"}
    assert no_nulls(extended)
    assert extended["architecture"] == "LlamaForCausalLM"
    assert extended["context_length"] == 131072
    assert extended["version"] == "2.1.0"
    assert extended["is_latest"] is True
    assert extended["is_shared"] is True
    assert extended["size_formatted"] == "14.97 GB"
    assert len(extended["description"]) > 120
    assert "tool-use" in extended["capabilities"]
    assert "broken" not in extended
    assert "synthetic" not in extended


def test_moe_and_pre_quantized_fields(api: httpx.Client) -> None:
    mixtral = api.get("/models", params={"extended": "true"}).json()["data"]
    moe = next(m for m in mixtral if m["name"] == "mixtral-8x7b-instruct-v0.1")
    detail = api.get(f"/models/{moe['id']}", params={"extended": "true"}).json()
    assert (detail["num_experts"], detail["num_experts_per_tok"]) == (8, 2)
    awq = next(m for m in mixtral if m["name"] == "llama-3.1-70b-instruct-awq")
    detail = api.get(f"/models/{awq['id']}", params={"extended": "true"}).json()
    assert detail["pre_quantized"] is True
    assert (detail["pre_quantization_method"], detail["pre_quantization_bits"]) == ("awq", 4)
    assert detail["status"] == "active"
    # a model without MoE fields omits them rather than sending null
    plain = api.get(f"/models/{LLAMA}", params={"extended": "true"}).json()
    assert "num_experts" not in plain
    assert "pre_quantized" not in plain


def test_unknown_and_foreign_models_are_not_found(api: httpx.Client) -> None:
    for mid in ("00000000-1111-0000-1111-000000000000", OTHER_MODEL):
        response = api.get(f"/models/{mid}")
        assert response.status_code == 404
        error = error_of(response)
        assert error == {
            "message": "Model not found",
            "type": "invalid_request_error",
            "code": "model_not_found",
        }


# ---------------------------------------------------------------------------- auth


@pytest.mark.parametrize("header", [None, "xero_proj_demo_sandbox-member-key", "Basic abc",
                                    "Bearer sk-123", "Bearer xero_"])  # fmt: skip
def test_missing_or_malformed_authorization(sandbox: SandboxInfo, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = httpx.get(f"{sandbox.base_url}/models", headers=headers)
    assert response.status_code == 401
    assert error_of(response) == {
        "message": "Missing or invalid Authorization header",
        "type": "invalid_request_error",
        "code": "missing_authorization",
    }


@pytest.mark.parametrize(
    "key", ["xero_proj_demo_not-a-real-key", "xero_proj_demo_sandbox-revoked-key"]
)
def test_unknown_or_revoked_key_is_invalid_api_key(sandbox: SandboxInfo, key: str) -> None:
    with client(sandbox.base_url, key) as http:
        response = http.get("/models")
    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_api_key"


def test_other_projects_key_is_project_mismatch(sandbox: SandboxInfo) -> None:
    with client(sandbox.base_url, sandbox.other_api_key) as http:
        response = http.get(f"/models/{LLAMA}")
    assert response.status_code == 403
    assert error_of(response) == {
        "message": "API key does not authorize access to this project",
        "type": "invalid_request_error",
        "code": "project_mismatch",
    }
    with client(f"{sandbox.root_url}/proj_other/v1", sandbox.other_api_key) as http:
        own = http.get("/models").json()["data"]
    assert {m["name"] for m in own} == {"orbit-llama-3.1-8b-instruct", "orbit-bge-small-en-v1.5"}
    assert all(m["owned_by"] == "proj_other" for m in own)


def test_demo_key_on_another_project_path_is_project_mismatch(sandbox: SandboxInfo) -> None:
    with client(f"{sandbox.root_url}/ws_8f2c1a04b9e7/v1", sandbox.api_key) as http:
        response = http.get("/models")
    assert response.status_code == 403
    assert error_of(response)["code"] == "project_mismatch"


# ---------------------------------------------------------------------------- patch


def test_patch_updates_fields_and_returns_the_extended_model(api: httpx.Client) -> None:
    body = {
        "description": "Fine-tuned for code generation tasks",
        "context_length": 8192,
        "quantization": "gptq",
        "workload_type": "code",
        "torch_dtype": "float16",
        "num_experts": 64,
        "num_experts_per_tok": 2,
        "pre_quantized": True,
        "pre_quantization_method": "compressed-tensors",
        "pre_quantization_bits": 8,
        "license": "MIT",
        "something_unknown": "ignored",
    }
    response = api.patch(f"/models/{CODER}", json=body)
    assert response.status_code == 200
    model = response.json()
    assert "something_unknown" not in model
    for key, value in body.items():
        if key != "something_unknown":
            assert model[key] == value, key
    assert set(model) >= LIST_KEYS
    again = api.get(f"/models/{CODER}", params={"extended": "true"}).json()
    assert again["description"] == "Fine-tuned for code generation tasks"
    assert again["num_experts"] == 64


def test_patch_empty_quantization_means_no_change(api: httpx.Client) -> None:
    model = api.patch(f"/models/{LLAMA}", json={"quantization": "", "num_layers": 33}).json()
    assert model["quantization"] == "native"
    assert model["num_layers"] == 33


@pytest.mark.parametrize(
    ("body", "code", "param", "message"),
    [
        ({"quantization": "fp4"}, "invalid_quantization", "quantization",
         "Invalid quantization method: fp4"),
        ({"workload_type": "inference"}, "invalid_workload_type", "workload_type", None),
        ({"torch_dtype": "int8"}, "invalid_torch_dtype", "torch_dtype", None),
        ({"pre_quantization_method": "bnb"}, "invalid_pre_quantization",
         "pre_quantization_method", None),
        ({"pre_quantization_bits": 3}, "invalid_pre_quantization", "pre_quantization_bits", None),
        ({"context_length": 0}, "invalid_value", "context_length", None),
        ({"parameter_count": -5}, "invalid_value", "parameter_count", None),
        ({"hidden_size": "4096"}, "invalid_value", "hidden_size", None),
        ({"vocab_size": True}, "invalid_value", "vocab_size", None),
        ({"description": 12}, "invalid_value", "description", None),
        ({"pre_quantized": "yes"}, "invalid_value", "pre_quantized", None),
    ],
)  # fmt: skip
def test_patch_validation_errors(
    api: httpx.Client, body: dict[str, Any], code: str, param: str, message: str | None
) -> None:
    before = api.get(f"/models/{LLAMA}", params={"extended": "true"}).json()
    response = api.patch(f"/models/{LLAMA}", json={"description": "changed?", **body})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == code
    assert error["param"] == param
    assert error["type"] == "invalid_request_error"
    if message:
        assert error["message"] == message
    # nothing was applied
    assert api.get(f"/models/{LLAMA}", params={"extended": "true"}).json() == before


def test_patch_bad_json_and_non_object_bodies(api: httpx.Client) -> None:
    response = api.patch(
        f"/models/{LLAMA}", content=b"{bad json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "json_parse_error"
    response = api.patch(f"/models/{LLAMA}", json=["a", "list"])
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_body"


def test_patch_unknown_model_is_404(api: httpx.Client) -> None:
    response = api.patch(f"/models/{OTHER_MODEL}", json={"description": "x"})
    assert response.status_code == 404
    assert error_of(response)["code"] == "model_not_found"


# ---------------------------------------------------------------------------- delete


def test_delete_removes_the_model_and_its_endpoint(api: httpx.Client, root: httpx.Client) -> None:
    response = api.delete(f"/models/{LLAMA}")
    assert response.status_code == 200
    assert response.json() == {"id": LLAMA, "object": "model", "deleted": True}
    assert api.get(f"/models/{LLAMA}").status_code == 404
    assert api.get("/models", params={"extended": "true"}).json()["total"] == 42
    again = api.delete(f"/models/{LLAMA}")
    assert again.status_code == 404
    assert error_of(again)["code"] == "model_not_found"
    chat = root.post(
        "/proj_demo/llama-chat/v1/chat/completions",
        json={"model": "x", "messages": [{"role": "user", "content": "hi"}]},
    )
    assert chat.status_code == 404
    assert error_of(chat)["code"] == "endpoint_not_found"


# ---------------------------------------------------------------------------- envelopes


def test_unknown_route_and_method_use_the_envelope(api: httpx.Client) -> None:
    response = api.get("/no-such-route/at/all")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    response = api.put(f"/models/{LLAMA}", json={})
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_every_response_has_request_id_and_rate_limit_headers(api: httpx.Client) -> None:
    window = fresh_rate_window()
    first = api.get("/models", params={"limit": 1})
    second = api.get(f"/models/{OTHER_MODEL}")
    for response in (first, second):
        assert response.headers["X-Request-ID"].startswith("req_")
        assert int(response.headers["X-RateLimit-Limit"]) == 240
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    assert fresh_rate_window(0) == window  # both counted in one window
    assert int(first.headers["X-RateLimit-Remaining"]) == 239  # the reset cleared the counts
    assert int(second.headers["X-RateLimit-Remaining"]) == 238
