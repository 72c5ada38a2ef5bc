"""RequestGuard: the one check every request passes before it leaves the client.

Two modes, chosen when the client is built (``--dry-run``, ``--read-only``); screens never
check a mode themselves, they call the client and handle what it raises:

- **dry run**: nothing but reads goes out. A mutation or a chat request (streamed or not)
  raises :class:`~xerotui.api.errors.DryRun` carrying the request that would have been sent
  (method, URL, JSON body, curl with the key masked).
- **read-only**: every mutation raises :class:`~xerotui.api.errors.ReadOnlyError`, whose
  message says why and how to leave the mode. Chat is not a model mutation: it passes.

Which request is which comes from the endpoint table (:func:`xerotui.api.endpoints.effect`).
Both kinds of held request are written to the request log with ``held`` set, so the API log
shows what was planned or refused, and they never count as the server's answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from xerotui.api import endpoints
from xerotui.api.errors import DryRun, PlannedRequest, ReadOnlyError

Mode = Literal["normal", "dry-run", "read-only"]


@dataclass(frozen=True)
class RequestGuard:
    """The client's mode. ``dry_run`` wins when both are set (nothing is sent at all)."""

    dry_run: bool = False
    read_only: bool = False

    @property
    def mode(self) -> Mode:
        if self.dry_run:
            return "dry-run"
        return "read-only" if self.read_only else "normal"

    def check(self, method: str, path: str, plan: Callable[[], PlannedRequest]) -> None:
        """Return if ``method path`` (project-relative) may go out; else raise DryRun or
        ReadOnlyError carrying ``plan()``, the request as it would have been sent."""
        if not (self.dry_run or self.read_only):
            return
        effect = endpoints.effect(method, path)
        if effect == "read" or (effect == "chat" and not self.dry_run):
            return
        row = endpoints.match(method, path)
        what = f"{method} {path}" + (f" ({row.summary})" if row else "")
        planned = plan()
        if self.dry_run:
            message = f"{what} was not sent (dry run). It would be: {planned.curl}"
            raise DryRun(message, planned=planned, method=method, path=path)
        raise ReadOnlyError(
            f"xerotui was started with --read-only, so {what} was not sent: read-only mode "
            "refuses every change to models, versions and stored completions. Restart "
            "xerotui without --read-only to make changes.",
            planned=planned,
            method=method,
            path=path,
        )
