"""Wire: the base of every wire object (schema.py and metadata.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Wire(BaseModel):
    """Base of every wire object: unknown fields are kept, unset optionals omitted."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    def wire(self) -> dict[str, Any]:
        """The JSON body as the server sends it: unset optionals left out."""
        return self.model_dump(mode="json", exclude_none=True)
