"""Probe, set capabilities (admin only) and workspace recommendations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from sandbox_helpers import (
    DEEPSEEK,
    LLAMA,
    OTHER_MODEL,
    UNSHARED_READY,
    WORKSPACE,
    client,
    error_of,
)

from xerotui.launcher import SandboxInfo


def test_probe_a_deployed_model(api: httpx.Client) -> None:
    response = api.get(f"/models/{LLAMA}/probe")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "object", "capabilities"}
    assert (body["id"], body["object"]) == (LLAMA, "model.capabilities")
    caps = body["capabilities"]
    assert caps["chat"] is True
    assert caps["tool-use"] is True
    assert caps["streaming"] is True
    assert caps["max_context"] == 131072
    assert caps["modalities"] == ["text"]
    assert caps["endpoint"] == "llama-chat"
    reasoning = api.get(f"/models/{DEEPSEEK}/probe").json()["capabilities"]
    assert reasoning["reasoning"] is True
    assert reasoning["tool-use"] is False


def test_probe_undeployed_and_unknown_models(api: httpx.Client) -> None:
    response = api.get(f"/models/{UNSHARED_READY}/probe")
    assert response.status_code == 409
    assert error_of(response)["code"] == "model_not_deployed"
    response = api.get(f"/models/{OTHER_MODEL}/probe")
    assert response.status_code == 404
    assert error_of(response)["code"] == "model_not_found"


def test_probe_disabled_is_501(api: httpx.Client, faults: Callable[..., dict[str, Any]]) -> None:
    faults(probe_disabled=True)
    response = api.get(f"/models/{LLAMA}/probe")
    assert response.status_code == 501
    error = error_of(response)
    assert error["code"] == "not_implemented"
    assert error["message"] == "Model probing is not available on this router deployment"
    # other routes are unaffected
    assert api.get(f"/models/{LLAMA}").status_code == 200


def test_admin_sets_capabilities(admin: httpx.Client, api: httpx.Client) -> None:
    response = admin.patch(
        f"/models/{LLAMA}/capabilities", json={"capabilities": ["chat", "vision", "chat"]}
    )
    assert response.status_code == 200
    model = response.json()
    assert model["capabilities"] == ["chat", "vision"]
    assert model["id"] == LLAMA
    assert "size_formatted" in model  # the extended model
    stored = api.get(f"/models/{LLAMA}", params={"extended": "true"}).json()
    assert stored["capabilities"] == ["chat", "vision"]
    probe = api.get(f"/models/{LLAMA}/probe").json()["capabilities"]
    assert probe["vision"] is True
    assert probe["tool-use"] is False


def test_member_may_not_set_capabilities(api: httpx.Client) -> None:
    response = api.patch(f"/models/{LLAMA}/capabilities", json={"capabilities": ["chat"]})
    assert response.status_code == 403
    assert error_of(response)["code"] == "admin_required"
    model = api.get(f"/models/{LLAMA}", params={"extended": "true"}).json()
    assert "tool-use" in model["capabilities"]


def test_invalid_capabilities(admin: httpx.Client) -> None:
    bodies: list[dict[str, Any]] = [
        {"capabilities": []},
        {"capabilities": "chat"},
        {"capabilities": [""]},
        {},
    ]
    for body in bodies:
        response = admin.patch(f"/models/{LLAMA}/capabilities", json=body)
        assert response.status_code == 400, body
        error = error_of(response)
        assert (error["code"], error["param"]) == ("invalid_capabilities", "capabilities")
    response = admin.patch(f"/models/{OTHER_MODEL}/capabilities", json={"capabilities": ["x"]})
    assert response.status_code == 404


def test_recommendations_sorted_by_score(api: httpx.Client) -> None:
    response = api.get(f"/workspaces/{WORKSPACE}/model-recommendations")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"object", "workspace_id", "data"}
    assert (body["object"], body["workspace_id"]) == ("list", WORKSPACE)
    data = body["data"]
    assert 3 <= len(data) <= 8
    for item in data:
        assert set(item) == {"model_id", "name", "score", "reason"}
        assert 0 < item["score"] < 1
        assert item["reason"]
    scores = [item["score"] for item in data]
    assert scores == sorted(scores, reverse=True)
    listed = {m["id"] for m in api.get("/models").json()["data"]}
    assert {item["model_id"] for item in data} <= listed
    # deterministic
    assert api.get(f"/workspaces/{WORKSPACE}/model-recommendations").json() == body


def test_recommendations_unknown_workspace(api: httpx.Client, sandbox: SandboxInfo) -> None:
    for wid in ("ws_ffffffffffffffff", "ws_8f2c1a04b9e7"):  # unknown, and another project's
        response = api.get(f"/workspaces/{wid}/model-recommendations")
        assert response.status_code == 404
        assert error_of(response)["code"] == "workspace_not_found"
    with client(f"{sandbox.root_url}/proj_other/v1", sandbox.other_api_key) as other:
        own = other.get("/workspaces/ws_8f2c1a04b9e7/model-recommendations")
    assert own.status_code == 200
    assert own.json()["data"][0]["name"].startswith("orbit-")
