"""Row -> wire object conversions, all through the pydantic models of api/schema.py.

Three shapes of a model: standard (five keys), extended list item (exactly the seed's list
example keys) and extended detail (everything, as GET ?extended=true and PATCH return).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from xerotui.api.schema import CatalogInfo, Model, ModelVersion
from xerotui.api.units import size_formatted

STANDARD_KEYS = ("id", "object", "created", "owned_by", "name")
LIST_KEYS = (
    *STANDARD_KEYS,
    "format", "size_bytes", "size_formatted", "status", "version", "is_latest",
    "architecture", "quantization", "context_length", "parameter_count", "workload_type",
    "is_shared",
)  # fmt: skip
DETAIL_ONLY_KEYS = (
    "description", "license", "hidden_size", "num_layers", "vocab_size", "torch_dtype",
    "num_experts", "num_experts_per_tok", "pre_quantized", "pre_quantization_method",
    "pre_quantization_bits", "capabilities",
)  # fmt: skip


def capabilities_of(row: sqlite3.Row) -> list[str]:
    raw = row["capabilities"]
    return list(json.loads(raw)) if raw else []


def _fields(row: sqlite3.Row, keys: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {"object": "model", "owned_by": row["project"], "is_latest": True}
    for key in keys:
        if key in out:
            continue
        if key == "size_formatted":
            size = row["size_bytes"]
            out[key] = None if size is None else size_formatted(size)
        elif key == "capabilities":
            out[key] = capabilities_of(row)
        elif key in ("is_shared", "pre_quantized"):
            value = row[key]
            out[key] = None if value is None else bool(value)
        else:
            out[key] = row[key]
    return {key: out[key] for key in keys}


def standard_model(row: sqlite3.Row) -> dict[str, Any]:
    return Model(**_fields(row, STANDARD_KEYS)).wire()


def list_model(row: sqlite3.Row) -> dict[str, Any]:
    return Model(**_fields(row, LIST_KEYS)).wire()


def detail_model(row: sqlite3.Row) -> dict[str, Any]:
    return Model(**_fields(row, LIST_KEYS + DETAIL_ONLY_KEYS)).wire()


def model_object(row: sqlite3.Row, *, extended: bool) -> dict[str, Any]:
    return detail_model(row) if extended else standard_model(row)


def catalog_info(row: sqlite3.Row) -> dict[str, Any]:
    role = row["catalog_role"] or "deployable"
    return CatalogInfo(
        id=row["id"],
        catalog_role=role,
        deployment_count=row["deployment_count"],
        is_on_shared_agents=role == "shared",
        is_public=True,
        featured=bool(row["featured"]),
        shared_at=row["shared_at"],
    ).wire()


def version_object(row: sqlite3.Row, *, latest: str, status: str) -> dict[str, Any]:
    return ModelVersion(
        id=row["id"],
        version=row["version"],
        is_latest=row["version"] == latest,
        created=row["created"],
        version_notes=row["notes"],
        status=status,
    ).wire()
