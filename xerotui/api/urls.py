"""The shape of a Xerotier base URL: `{root}/{project}/v1` (design.md section 3)."""

from __future__ import annotations

from urllib.parse import urlsplit

SHAPE = "https://api.xerotier.ai/proj_ABC123/v1"


def split_base_url(base_url: str) -> tuple[str, str]:
    """`https://host/prefix/proj_X/v1` -> (`https://host/prefix`, `proj_X`); ValueError else.

    The root may carry a path prefix (custom domains keep `/{project}/v1` at the end).
    """
    text = base_url.strip()
    parts = urlsplit(text)
    segments = [s for s in parts.path.split("/") if s]
    problem = ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problem = "it must start with http:// or https:// and name a host"
    elif parts.username is not None or parts.password is not None:
        problem = "it must not contain credentials (the API key is sent as a header)"
    elif parts.query or parts.fragment:
        problem = "it must not have a query or a fragment"
    elif len(segments) < 2 or segments[-1] != "v1":
        problem = "it must end in /{project}/v1"
    if problem:
        raise ValueError(f"base URL must look like {SHAPE} (got {text!r}: {problem})")
    prefix = "".join(f"/{s}" for s in segments[:-2])
    return f"{parts.scheme}://{parts.netloc}{prefix}", segments[-2]
