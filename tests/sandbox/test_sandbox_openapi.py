"""`/openapi.json` documents every route with the shared wire models."""

from __future__ import annotations

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
