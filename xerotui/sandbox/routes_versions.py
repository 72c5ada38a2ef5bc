"""Version routes: list, create (201), promote, roll back. Strict semver 2.0.0."""

from __future__ import annotations

import re
import sqlite3

import semver
from fastapi import APIRouter, Request

from xerotui.api.schema import ModelVersion, VersionCreate, VersionList
from xerotui.sandbox.auth import CallerDep
from xerotui.sandbox.deps import StateDep, doc, json_body, json_body_doc, load_model
from xerotui.sandbox.errors import ApiError
from xerotui.sandbox.limits import (
    MAX_NOTES_LENGTH,
    MAX_VERSION_LENGTH,
    SEMVER_PATTERN,
    VERSION_CONSTRAINTS,
)
from xerotui.sandbox.patch import quote
from xerotui.sandbox.responses import JSONResponse
from xerotui.sandbox.wire import version_object

router = APIRouter(tags=["versions"])

SEMVER = re.compile(SEMVER_PATTERN)


def parse_semver(text: str) -> semver.Version | None:
    """A strict semver 2.0.0 version (no leading `v`, all three numbers, ASCII digits only,
    as /openapi.json declares it), else None."""
    if len(text) > MAX_VERSION_LENGTH or SEMVER.fullmatch(text) is None:
        return None
    try:
        return semver.Version.parse(text)
    except (ValueError, TypeError):
        return None


def _version_row(state: StateDep, model_id: str, version: str) -> sqlite3.Row:
    row = state.models.version(model_id, version)
    if row is None:
        raise ApiError(
            404, "version_not_found", f"Version not found: {quote(version)}", param="version"
        )
    return row


@router.get(
    "/{project}/v1/models/{model_id}/versions",
    summary="List versions (newest semver first)",
    responses=doc(VersionList, 404),
    response_class=JSONResponse,
)
async def list_versions(model_id: str, state: StateDep, caller: CallerDep) -> JSONResponse:
    model = load_model(state, caller, model_id)
    data = [
        version_object(row, latest=model["version"], status=model["status"])
        for row in state.models.versions(model_id)
    ]
    return JSONResponse({"object": "list", "data": data})


@router.post(
    "/{project}/v1/models/{model_id}/versions",
    summary="Create a version (does not move latest)",
    status_code=201,
    responses=doc(ModelVersion, 400, 404, 409, success=201),
    openapi_extra=json_body_doc(VersionCreate, VERSION_CONSTRAINTS),
    response_class=JSONResponse,
)
async def create_version(
    model_id: str, request: Request, state: StateDep, caller: CallerDep
) -> JSONResponse:
    model = load_model(state, caller, model_id)
    body = await json_body(request)
    version = body.get("version")
    if not isinstance(version, str) or parse_semver(version) is None:
        shown = quote(version) if isinstance(version, str) else "(missing)"
        raise ApiError(
            400,
            "invalid_version",
            f"Invalid version: {shown} (expected a semantic version such as 2.0.0)",
            param="version",
        )
    notes = body.get("version_notes", body.get("versionNotes"))
    if notes is not None and (not isinstance(notes, str) or len(notes) > MAX_NOTES_LENGTH):
        raise ApiError.invalid_value(
            "version_notes", f"version_notes must be a string of at most {MAX_NOTES_LENGTH} chars"
        )
    if state.models.version(model_id, version) is not None:
        raise ApiError(409, "version_exists", f"Version {version} already exists", param="version")
    row = state.models.add_version(model_id, version, notes)
    body_out = version_object(row, latest=model["version"], status=model["status"])
    return JSONResponse(body_out, status_code=201)


@router.post(
    "/{project}/v1/models/{model_id}/versions/{version}/promote",
    summary="Promote a version to latest",
    responses=doc(ModelVersion, 404),
    response_class=JSONResponse,
)
async def promote_version(
    model_id: str, version: str, state: StateDep, caller: CallerDep
) -> JSONResponse:
    model = load_model(state, caller, model_id)
    row = _version_row(state, model_id, version)
    state.models.set_latest(model_id, version)
    return JSONResponse(version_object(row, latest=version, status=model["status"]))


@router.post(
    "/{project}/v1/models/{model_id}/versions/{version}/rollback",
    summary="Roll back to an older version",
    responses=doc(ModelVersion, 400, 404),
    response_class=JSONResponse,
)
async def rollback_version(
    model_id: str, version: str, state: StateDep, caller: CallerDep
) -> JSONResponse:
    model = load_model(state, caller, model_id)
    row = _version_row(state, model_id, version)
    current = parse_semver(model["version"])
    target = parse_semver(version)
    if current is None or target is None or not target < current:
        raise ApiError(
            400,
            "invalid_rollback",
            f"Cannot roll back to {quote(version)}: it is not lower than the current latest "
            f"version {quote(model['version'])}",
            param="version",
        )
    state.models.set_latest(model_id, version)
    return JSONResponse(version_object(row, latest=version, status=model["status"]))
