"""The endpoint scope table: every route the client calls, with its method, path and auth.

The first twelve rows are the seed's scope table (Model Management REST); the rest are the
routes design.md section 4 decided. The request log tags each request with the row it hit,
so the scope screen can say what this server last answered for each one.

Each row also declares its ``effect``, the one place that says which requests change
anything (:mod:`xerotui.api.guard` holds and refuses requests by it): ``read`` (every GET),
``mutation`` (changes server data: PATCH, DELETE, the POST actions, deleting a stored
completion) and ``chat`` (asks a model for an answer; changes no model). A request that
matches no row counts as a ``mutation`` unless it is a GET.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Effect = Literal["read", "mutation", "chat"]


@dataclass(frozen=True)
class Endpoint:
    """One row of the scope table. ``path`` is relative to the project root ``/{P}``."""

    key: str
    method: str
    path: str
    auth: str
    summary: str
    source: str = "seed"
    effect: Effect = "mutation"
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.method == "GET":
            object.__setattr__(self, "effect", "read")
        regex = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(self.path))
        object.__setattr__(self, "pattern", re.compile(f"^{regex}$"))


PROJECT_KEY = "project key"
ADMIN_KEY = "project key (admin)"

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("models.list", "GET", "/v1/models", PROJECT_KEY, "List models"),
    Endpoint("models.get", "GET", "/v1/models/{id}", PROJECT_KEY, "Get model details"),
    Endpoint("models.update", "PATCH", "/v1/models/{id}", PROJECT_KEY, "Update model metadata"),
    Endpoint("models.delete", "DELETE", "/v1/models/{id}", PROJECT_KEY, "Delete model"),
    Endpoint(
        "models.revalidate", "POST", "/v1/models/{id}/revalidate", PROJECT_KEY, "Revalidate model"
    ),
    Endpoint("models.share", "POST", "/v1/models/{id}/share", PROJECT_KEY, "Share model"),
    Endpoint("models.unshare", "POST", "/v1/models/{id}/unshare", PROJECT_KEY, "Unshare model"),
    Endpoint("versions.list", "GET", "/v1/models/{id}/versions", PROJECT_KEY, "List versions"),
    Endpoint("versions.create", "POST", "/v1/models/{id}/versions", PROJECT_KEY, "Create version"),
    Endpoint(
        "versions.promote",
        "POST",
        "/v1/models/{id}/versions/{version}/promote",
        PROJECT_KEY,
        "Promote version",
    ),
    Endpoint(
        "versions.rollback",
        "POST",
        "/v1/models/{id}/versions/{version}/rollback",
        PROJECT_KEY,
        "Roll back version",
    ),
    Endpoint(
        "models.catalog_info", "GET", "/v1/models/{id}/catalog-info", PROJECT_KEY, "Catalog info"
    ),
    Endpoint(
        "models.set_capabilities",
        "PATCH",
        "/v1/models/{id}/capabilities",
        ADMIN_KEY,
        "Set capabilities",
        source="decided",
    ),
    Endpoint("models.probe", "GET", "/v1/models/{id}/probe", PROJECT_KEY, "Probe model", "decided"),
    Endpoint(
        "workspaces.recommendations",
        "GET",
        "/v1/workspaces/{workspace}/model-recommendations",
        PROJECT_KEY,
        "Recommend models for a workspace",
        source="decided",
    ),
    Endpoint(
        "endpoint.models",
        "GET",
        "/{slug}/v1/models",
        PROJECT_KEY,
        "Models an endpoint serves",
        source="decided",
    ),
    Endpoint(
        "chat.create",
        "POST",
        "/{slug}/v1/chat/completions",
        PROJECT_KEY,
        "Chat completion",
        source="decided",
        effect="chat",
    ),
    Endpoint(
        "completions.list",
        "GET",
        "/{slug}/v1/chat/completions",
        PROJECT_KEY,
        "List stored completions",
        source="decided",
    ),
    Endpoint(
        "completions.get",
        "GET",
        "/{slug}/v1/chat/completions/{completion}",
        PROJECT_KEY,
        "Get stored completion",
        source="decided",
    ),
    Endpoint(
        "completions.delete",
        "DELETE",
        "/{slug}/v1/chat/completions/{completion}",
        PROJECT_KEY,
        "Delete stored completion",
        source="decided",
    ),
)

BY_KEY: dict[str, Endpoint] = {e.key: e for e in ENDPOINTS}


def match(method: str, project_path: str) -> Endpoint | None:
    """The scope-table row for a request; ``project_path`` is the URL path after ``/{P}``."""
    method = method.upper()
    for endpoint in ENDPOINTS:
        if endpoint.method == method and endpoint.pattern.match(project_path):
            return endpoint
    return None


def effect(method: str, project_path: str) -> Effect:
    """What a request does, from its row; an unknown non-GET request counts as a mutation."""
    endpoint = match(method, project_path)
    if endpoint is not None:
        return endpoint.effect
    return "read" if method.upper() == "GET" else "mutation"
