"""Status machine (real revalidation), share / unshare / catalog-info, versions."""

from __future__ import annotations

import httpx
import pytest
from sandbox_helpers import (
    ACME,
    ERROR_MODEL,
    FAILED_BROKEN,
    INVALID_BROKEN,
    LLAMA,
    OTHER_MODEL,
    READY_BROKEN,
    UNSHARED_READY,
    VALIDATING,
    error_of,
    wait_terminal,
)


def status_of(api: httpx.Client, mid: str) -> str:
    return str(api.get(f"/models/{mid}", params={"extended": "true"}).json()["status"])


# ---------------------------------------------------------------------------- revalidate


def test_revalidate_moves_through_validating_to_ready(
    api: httpx.Client, root: httpx.Client
) -> None:
    hold = root.post(f"/_sandbox/models/{ERROR_MODEL}/revalidation", json={"seconds": 3600})
    assert hold.json()["applies_to"] == "next"
    response = api.post(f"/models/{ERROR_MODEL}/revalidate")
    assert response.status_code == 200
    assert response.json() == {
        "id": ERROR_MODEL,
        "status": "validating",
        "message": "Model validation queued",
    }
    assert status_of(api, ERROR_MODEL) == "validating"  # held for an hour: certain
    release = root.post(f"/_sandbox/models/{ERROR_MODEL}/revalidation", json={"seconds": 0})
    assert release.json()["applies_to"] == "pending"
    assert wait_terminal(api, ERROR_MODEL) == "ready"


@pytest.mark.parametrize(
    ("mid", "outcome"),
    [(FAILED_BROKEN, "failed"), (INVALID_BROKEN, "invalid"), (READY_BROKEN, "failed")],
)
def test_revalidating_a_broken_model_fails(api: httpx.Client, mid: str, outcome: str) -> None:
    assert api.post(f"/models/{mid}/revalidate").status_code == 200
    assert wait_terminal(api, mid) == outcome


def test_revalidate_is_refused_while_validating(api: httpx.Client, root: httpx.Client) -> None:
    root.post("/_sandbox/settings", json={"validation_seconds": 60}).raise_for_status()
    assert api.post(f"/models/{LLAMA}/revalidate").status_code == 200
    assert status_of(api, LLAMA) == "validating"
    versions = api.get(f"/models/{LLAMA}/versions").json()["data"]
    assert {v["status"] for v in versions} == {"validating"}  # versions mirror the model
    again = api.post(f"/models/{LLAMA}/revalidate")
    assert again.status_code == 404
    assert error_of(again)["code"] == "model_not_found"
    assert root.get("/_sandbox/health").json()["pending_jobs"] >= 1


def test_a_validating_model_refuses_revalidation_then_finishes(
    api: httpx.Client, root: httpx.Client
) -> None:
    """The seeded validating model (its job: test_jobs_survive_a_reopen), held validating."""
    held = root.post(f"/_sandbox/models/{VALIDATING}/revalidation", json={"seconds": 3600})
    if held.json()["applies_to"] == "next":  # its 0.4 s seed job ended first: start another
        assert api.post(f"/models/{VALIDATING}/revalidate").status_code == 200
    assert status_of(api, VALIDATING) == "validating"
    refused = api.post(f"/models/{VALIDATING}/revalidate")
    assert (refused.status_code, error_of(refused)["code"]) == (404, "model_not_found")
    release = root.post(f"/_sandbox/models/{VALIDATING}/revalidation", json={"seconds": 0})
    assert release.json()["applies_to"] == "pending"
    assert wait_terminal(api, VALIDATING) == "ready"


def test_revalidate_unknown_or_foreign_model(api: httpx.Client) -> None:
    response = api.post(f"/models/{OTHER_MODEL}/revalidate")
    assert response.status_code == 404
    assert error_of(response)["code"] == "model_not_found"


def test_reset_restores_statuses_and_timings(api: httpx.Client, root: httpx.Client) -> None:
    root.post("/_sandbox/settings", json={"validation_seconds": 60}).raise_for_status()
    api.post(f"/models/{LLAMA}/revalidate").raise_for_status()
    api.patch(f"/models/{LLAMA}", json={"description": "changed"}).raise_for_status()
    reset = root.post("/_sandbox/reset")
    assert reset.status_code == 200
    assert reset.json()["models"] == 45
    model = api.get(f"/models/{LLAMA}", params={"extended": "true"}).json()
    assert model["status"] == "ready"
    assert model["description"] != "changed"
    assert root.get("/_sandbox/settings").json()["validation_seconds"] == 0.4


# ---------------------------------------------------------------------------- catalog


def test_share_then_catalog_info_then_unshare(api: httpx.Client) -> None:
    assert api.get(f"/models/{UNSHARED_READY}/catalog-info").status_code == 404
    shared = api.post(f"/models/{UNSHARED_READY}/share")
    assert shared.status_code == 200
    info = shared.json()
    assert set(info) == {
        "id", "catalog_role", "deployment_count", "is_on_shared_agents", "is_public",
        "featured", "shared_at",
    }  # fmt: skip
    assert info["id"] == UNSHARED_READY
    assert info["catalog_role"] == "deployable"
    assert info["is_on_shared_agents"] is False
    assert info["is_public"] is True
    assert info["shared_at"].endswith("Z")
    model = api.get(f"/models/{UNSHARED_READY}", params={"extended": "true"}).json()
    assert model["is_shared"] is True
    assert api.get(f"/models/{UNSHARED_READY}/catalog-info").json() == info
    # idempotent; shared_at is the first share
    assert api.post(f"/models/{UNSHARED_READY}/share").json()["shared_at"] == info["shared_at"]
    unshared = api.post(f"/models/{UNSHARED_READY}/unshare")
    assert unshared.status_code == 200
    assert unshared.json() == {"id": UNSHARED_READY, "object": "model", "is_shared": False}
    assert api.post(f"/models/{UNSHARED_READY}/unshare").status_code == 200
    missing = api.get(f"/models/{UNSHARED_READY}/catalog-info")
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "model_not_found"
    model = api.get(f"/models/{UNSHARED_READY}", params={"extended": "true"}).json()
    assert model["is_shared"] is False
    # re-share keeps the first shared_at
    assert api.post(f"/models/{UNSHARED_READY}/share").json()["shared_at"] == info["shared_at"]


def test_seeded_catalog_entries(api: httpx.Client) -> None:
    info = api.get(f"/models/{LLAMA}/catalog-info").json()
    assert info["featured"] is True
    assert info["deployment_count"] == 12
    assert info["shared_at"] == "2025-06-05T10:30:00Z"
    data = api.get("/models", params={"extended": "true"}).json()["data"]
    bge = next(m for m in data if m["name"] == "bge-m3")
    bge_info = api.get(f"/models/{bge['id']}/catalog-info").json()
    assert bge_info["catalog_role"] == "shared"
    assert bge_info["is_on_shared_agents"] is True
    assert sum(1 for m in data if m["is_shared"]) == 5


@pytest.mark.parametrize("action", ["share", "unshare"])
def test_share_requires_a_ready_model(api: httpx.Client, action: str) -> None:
    response = api.post(f"/models/{FAILED_BROKEN}/{action}")
    assert response.status_code == 409
    assert error_of(response)["code"] == "model_not_ready"


def test_share_unknown_model(api: httpx.Client) -> None:
    response = api.post(f"/models/{OTHER_MODEL}/share")
    assert response.status_code == 404
    assert error_of(response)["code"] == "model_not_found"


# ---------------------------------------------------------------------------- versions


def test_versions_list_newest_semver_first(api: httpx.Client) -> None:
    response = api.get(f"/models/{LLAMA}/versions")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"object", "data"}
    versions = body["data"]
    assert [v["version"] for v in versions] == ["2.1.0", "2.0.0", "1.1.0", "1.0.0"]
    assert [v["is_latest"] for v in versions] == [True, False, False, False]
    first = versions[0]
    assert first["object"] == "model.version"
    assert first["status"] == "ready"
    assert first["version_notes"].startswith("Patched generation_config")
    assert isinstance(first["created"], int)


def test_model_whose_latest_is_not_the_highest_version(api: httpx.Client) -> None:
    versions = api.get(f"/models/{ACME}/versions").json()["data"]
    assert versions[0]["version"] == "2.1.0"
    assert versions[0]["is_latest"] is False
    assert [v["version"] for v in versions if v["is_latest"]] == ["2.0.0"]
    model = api.get(f"/models/{ACME}", params={"extended": "true"}).json()
    assert (model["version"], model["is_latest"]) == ("2.0.0", True)


def test_create_promote_and_rollback(api: httpx.Client) -> None:
    created = api.post(
        f"/models/{LLAMA}/versions", json={"version": "3.0.0-beta.1", "version_notes": "beta"}
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["version"], body["is_latest"], body["version_notes"]) == (
        "3.0.0-beta.1",
        False,
        "beta",
    )
    # creating does not move latest
    assert api.get(f"/models/{LLAMA}", params={"extended": "true"}).json()["version"] == "2.1.0"
    promoted = api.post(f"/models/{LLAMA}/versions/3.0.0-beta.1/promote")
    assert promoted.status_code == 200
    assert promoted.json()["is_latest"] is True
    assert api.get(f"/models/{LLAMA}", params={"extended": "true"}).json()["version"] == (
        "3.0.0-beta.1"
    )
    rolled = api.post(f"/models/{LLAMA}/versions/1.1.0/rollback")
    assert rolled.status_code == 200
    assert (rolled.json()["version"], rolled.json()["is_latest"]) == ("1.1.0", True)
    latest = [v["version"] for v in api.get(f"/models/{LLAMA}/versions").json()["data"]
              if v["is_latest"]]  # fmt: skip
    assert latest == ["1.1.0"]
    # promote may move to any version, including a higher one
    assert api.post(f"/models/{LLAMA}/versions/2.0.0/promote").json()["version"] == "2.0.0"


@pytest.mark.parametrize("version", ["v1.2.0", "1.2", "1.2.3.4", "01.2.3", "latest", "", " 1.2.3"])
def test_create_rejects_non_semver(api: httpx.Client, version: str) -> None:
    response = api.post(f"/models/{LLAMA}/versions", json={"version": version})
    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["param"]) == ("invalid_version", "version")


def test_create_duplicate_and_missing_version(api: httpx.Client) -> None:
    duplicate = api.post(f"/models/{LLAMA}/versions", json={"version": "2.0.0"})
    assert duplicate.status_code == 409
    assert error_of(duplicate)["code"] == "version_exists"
    missing = api.post(f"/models/{LLAMA}/versions", json={"version_notes": "no version"})
    assert missing.status_code == 400
    assert error_of(missing)["code"] == "invalid_version"


def test_rollback_rules(api: httpx.Client) -> None:
    for target in ("2.1.0", "3.0.0"):
        if target == "3.0.0":
            api.post(f"/models/{LLAMA}/versions", json={"version": target}).raise_for_status()
        response = api.post(f"/models/{LLAMA}/versions/{target}/rollback")
        assert response.status_code == 400, target
        assert error_of(response)["code"] == "invalid_rollback"


@pytest.mark.parametrize("action", ["promote", "rollback"])
def test_unknown_version_in_path(api: httpx.Client, action: str) -> None:
    response = api.post(f"/models/{LLAMA}/versions/9.9.9/{action}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "version_not_found"
    response = api.post(f"/models/{OTHER_MODEL}/versions/1.0.0/{action}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "model_not_found"
