"""Authenticator: the sandbox's fixed API keys and the `Authorization` checks.

- no header, or not `Bearer xero_...`        -> 401 missing_authorization
- well-formed but unknown, or revoked        -> 401 invalid_api_key
- key of another project than the URL's      -> 403 project_mismatch
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from xerotui.sandbox.errors import MISSING_AUTHORIZATION, PROJECT_MISMATCH, ApiError

MEMBER_KEY = "xero_proj_demo_sandbox-member-key"
ADMIN_KEY = "xero_proj_demo_sandbox-admin-key"
REVOKED_KEY = "xero_proj_demo_sandbox-revoked-key"
OTHER_KEY = "xero_proj_other_sandbox-other-key"
DEMO_PROJECT = "proj_demo"
OTHER_PROJECT = "proj_other"

BEARER = re.compile(r"^[Bb]earer +(xero_[A-Za-z0-9_\-]+)\s*$")


@dataclass(frozen=True)
class ApiKey:
    project: str
    admin: bool = False
    revoked: bool = False


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key, its project and whether it is a workspace admin."""

    key: str
    project: str
    admin: bool


KEYS: dict[str, ApiKey] = {
    MEMBER_KEY: ApiKey(DEMO_PROJECT),
    ADMIN_KEY: ApiKey(DEMO_PROJECT, admin=True),
    REVOKED_KEY: ApiKey(DEMO_PROJECT, revoked=True),
    OTHER_KEY: ApiKey(OTHER_PROJECT),
}

# Only documents the scheme in /openapi.json; the checks below do the real work.
bearer_scheme = HTTPBearer(auto_error=False, description="`Bearer xero_<project>_<secret>`")


class Authenticator:
    """Checks an `Authorization` header against the key table for a project path segment."""

    def __init__(self, keys: dict[str, ApiKey] | None = None) -> None:
        self.keys = dict(KEYS if keys is None else keys)

    def authenticate(self, header: str | None, project: str) -> Caller:
        match = BEARER.match(header or "")
        if match is None:
            raise ApiError(401, "missing_authorization", MISSING_AUTHORIZATION)
        token = match.group(1)
        key = self.keys.get(token)
        if key is None:
            raise ApiError(401, "invalid_api_key", "Invalid API key")
        if key.revoked:
            raise ApiError(401, "invalid_api_key", "API key has been revoked")
        if key.project != project:
            raise ApiError(403, "project_mismatch", PROJECT_MISMATCH)
        return Caller(token, key.project, key.admin)


AUTHENTICATOR = Authenticator()


async def require_caller(
    request: Request,
    project: str,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Caller:
    """FastAPI dependency: the authenticated caller of `/{project}/...` routes."""
    return AUTHENTICATOR.authenticate(request.headers.get("authorization"), project)


CallerDep = Annotated[Caller, Depends(require_caller)]
