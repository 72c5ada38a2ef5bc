"""`/openapi.json` documents every route with the shared wire models."""

from __future__ import annotations

import json
from typing import Any

import httpx

EXPECTED = {
    ("get", "/{project}/v1/models"),
    ("get", "/{project}/v1/models/{model_id}"),
    ("patch", "/{project}/v1/models/{model_id}"),
    ("delete", "/{project}/v1/models/{model_id}"),
    ("post", "/{project}/v1/models/{model_id}/revalidate"),
    ("post", "/{project}/v1/models/{model_id}/share"),
    ("post", "/{project}/v1/models/{model_id}/unshare"),
    ("get", "/{project}/v1/models/{model_id}/catalog-info"),
    ("get", "/{project}/v1/models/{model_id}/versions"),
    ("post", "/{project}/v1/models/{model_id}/versions"),
    ("post", "/{project}/v1/models/{model_id}/versions/{version}/promote"),
    ("post", "/{project}/v1/models/{model_id}/versions/{version}/rollback"),
    ("get", "/{project}/v1/models/{model_id}/probe"),
    ("patch", "/{project}/v1/models/{model_id}/capabilities"),
    ("get", "/{project}/v1/workspaces/{workspace_id}/model-recommendations"),
    ("post", "/{project}/{slug}/v1/chat/completions"),
    ("get", "/{project}/{slug}/v1/chat/completions"),
    ("get", "/{project}/{slug}/v1/chat/completions/{completion_id}"),
    ("post", "/{project}/{slug}/v1/chat/completions/{completion_id}"),
    ("delete", "/{project}/{slug}/v1/chat/completions/{completion_id}"),
    ("get", "/{project}/{slug}/v1/chat/completions/{completion_id}/messages"),
    ("get", "/{project}/{slug}/v1/models"),
    ("post", "/_sandbox/reset"),
    ("get", "/_sandbox/faults"),
    ("post", "/_sandbox/faults"),
    ("delete", "/_sandbox/faults"),
    ("post", "/_sandbox/settings"),
    ("get", "/_sandbox/requests"),
    ("post", "/_sandbox/models/{model_id}/raw"),
    ("post", "/_sandbox/models/{model_id}/revalidation"),
}


def test_openapi_lists_every_route(root: httpx.Client) -> None:
    response = root.get("/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["info"]["title"] == "Xerotier sandbox"
    operations = {(method, path) for path, ops in spec["paths"].items() for method in ops}
    assert operations >= EXPECTED


def test_openapi_uses_the_wire_models(root: httpx.Client) -> None:
    spec = root.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    names = ("Model", "ModelList", "ModelVersion", "CatalogInfo", "ProbeResult",
             "RecommendationList", "ChatCompletion", "ErrorEnvelope", "VersionList")  # fmt: skip
    for name in names:
        assert name in schemas, name
    patch = spec["paths"]["/{project}/v1/models/{model_id}"]["patch"]
    body = patch["requestBody"]["content"]["application/json"]["schema"]
    assert body["title"] == "ModelUpdate"
    assert "quantization" in body["properties"]
    list_op = spec["paths"]["/{project}/v1/models"]["get"]
    ok = list_op["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/ModelList"}
    assert list_op["responses"]["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorEnvelope"
    }
    created = spec["paths"]["/{project}/v1/models/{model_id}/versions"]["post"]["responses"]
    assert "201" in created


def refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(refs(item) for item in node))
    return set()


def body_schema(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    schema: dict[str, Any] = spec["paths"][path][method]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    return schema


def non_null(prop: dict[str, Any]) -> dict[str, Any]:
    branches: list[dict[str, Any]] = [
        b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"
    ]
    assert len(branches) == 1
    return branches[0]


def test_every_reference_resolves_and_no_422_is_promised(root: httpx.Client) -> None:
    spec = root.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for ref in refs(spec):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in schemas, ref
    assert "$defs" not in json.dumps(spec)
    for ops in spec["paths"].values():
        for op in ops.values():
            assert "422" not in op.get("responses", {})


def test_openapi_declares_the_enforced_limits(root: httpx.Client) -> None:
    spec = root.get("/openapi.json").json()
    models = spec["paths"]["/{project}/v1/models"]["get"]["parameters"]
    params = {p["name"]: non_null(p["schema"]) for p in models}
    assert params["limit"]["minimum"] == 1
    assert "maximum" not in params["limit"]  # larger values are cut to 100, not refused
    assert (params["offset"]["minimum"], params["offset"]["maximum"]) == (0, 2**31 - 1)

    patch = body_schema(spec, "/{project}/v1/models/{model_id}", "patch")
    props = patch["properties"]
    assert patch["additionalProperties"] is True  # unknown keys are ignored
    assert non_null(props["description"])["maxLength"] == 10_000
    assert non_null(props["license"])["maxLength"] == 256
    assert non_null(props["context_length"])["maximum"] == 16_777_216
    assert non_null(props["num_layers"])["minimum"] == 1
    assert "" in non_null(props["quantization"])["enum"]
    assert non_null(props["pre_quantization_bits"])["enum"] == [4, 8]

    version = body_schema(spec, "/{project}/v1/models/{model_id}/versions", "post")
    assert version["properties"]["version"]["minLength"] >= 1
    assert version["properties"]["version"]["pattern"].startswith("^(0|[1-9]")
    caps = body_schema(spec, "/{project}/v1/models/{model_id}/capabilities", "patch")
    assert caps["properties"]["capabilities"]["maxItems"] == 64

    stored = spec["paths"]["/{project}/{slug}/v1/chat/completions"]["get"]["parameters"]
    stored_params = {p["name"]: non_null(p["schema"]) for p in stored}
    assert (stored_params["limit"]["minimum"], stored_params["limit"]["maximum"]) == (1, 100)
    assert stored_params["order"]["enum"] == ["asc", "desc"]
    chat = spec["paths"]["/{project}/{slug}/v1/chat/completions"]["post"]
    assert set(chat["responses"]["200"]["content"]) == {"application/json", "text/event-stream"}
    for status in ("400", "413", "429"):
        assert status in chat["responses"]
    assert "1 MiB" in spec["info"]["description"]


def test_openapi_documents_the_knobs(root: httpx.Client) -> None:
    spec = root.get("/openapi.json").json()
    paths = spec["paths"]
    assert "get" in paths["/_sandbox/requests"]
    raw = body_schema(spec, "/_sandbox/models/{model_id}/raw", "post")
    assert {"name", "description", "created"} <= set(raw["properties"])
    plan = body_schema(spec, "/_sandbox/models/{model_id}/revalidation", "post")
    assert {"outcome", "seconds"} <= set(plan["properties"])
    settings = body_schema(spec, "/_sandbox/settings", "post")
    assert non_null(settings["properties"]["tokens_per_second"])["minimum"] == 1
