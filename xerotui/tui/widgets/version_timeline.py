"""VersionTimeline: a model's versions as a vertical timeline, newest on top. Presentational.

Each version is one option — Version, ID, Latest, Status, Notes, Created, as in
`xeroctl models versions` — with a line below it for the time between it and the older
version beneath (`│ ↑ 12 days`). The latest is marked `◆ latest`. The cursor moves by
version; the screen acts on `highlighted_version`. Notes are server text: sanitised, never
markup, cut to the width.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from xerotui.api.schema import ModelVersion
from xerotui.api.versions import gap_text
from xerotui.tui.format import minute_text, or_unknown, status_text
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import one_line

# Fixed columns (cells): marker, Version, ID, Latest, Status; Notes takes the rest; Created.
WIDTHS = (1, 14, 8, 8, 12)
CREATED_WIDTH = 16


def _grid(*, narrow: bool) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    for width in WIDTHS:
        grid.add_column(width=width, no_wrap=True, overflow="ellipsis")
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")  # Notes
    if not narrow:
        grid.add_column(width=CREATED_WIDTH, no_wrap=True)
    return grid


def header(*, narrow: bool) -> Table:
    """The column labels, aligned with the options."""
    grid = _grid(narrow=narrow)
    labels = ["", "Version", "ID", "Latest", "Status", "Notes"]
    if not narrow:
        labels.append("Created")
    grid.add_row(*(Text(label, style="bold") for label in labels))
    return grid


def version_row(version: ModelVersion, older: ModelVersion | None, *, narrow: bool) -> Table:
    """One version and, when there is an older one, the gap down to it."""
    grid = _grid(narrow=narrow)
    latest = version.is_latest
    cells: list[Text] = [
        Text("◆" if latest else "●", style="bold cyan" if latest else "dim"),
        Text(one_line(version.version, limit=40), style="bold" if latest else ""),
        Text(one_line(version.id[:8]), style="dim"),
        Text("latest", style="bold cyan") if latest else Text("-", style="dim"),
        status_text(version.status),
        Text(one_line(version.version_notes, limit=300)),
    ]
    if not narrow:
        cells.append(Text(or_unknown(minute_text, version.created), style="dim"))
    grid.add_row(*cells)
    if older is not None:
        gap = Text(f"↑ {gap_text(version.created - older.created)}", style="dim italic")
        grid.add_row(Text("│", style="dim"), gap)
    return grid


class VersionTimeline(SafeDispatch, OptionList):
    """Versions newest first (the order given); the highlighted one is what keys act on."""

    DEFAULT_CSS = """
    VersionTimeline {
        height: 1fr;
        max-height: 100%;
        border: none;
        padding: 0 1;
    }
    VersionTimeline:focus {
        border: none;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.versions: list[ModelVersion] = []

    def show(
        self, versions: Sequence[ModelVersion], *, narrow: bool, keep: str | None = None
    ) -> None:
        """Draw `versions` (newest first); the cursor stays on `keep` (a version string)."""
        self.versions = list(versions)
        options: list[Option] = []
        for index, version in enumerate(self.versions):
            older = self.versions[index + 1] if index + 1 < len(self.versions) else None
            options.append(Option(version_row(version, older, narrow=narrow), id=str(index)))
        if not options:
            options.append(Option(Text("No versions.", style="dim"), disabled=True))
        self.set_options(options)
        target = next((i for i, v in enumerate(self.versions) if v.version == keep), 0)
        if self.versions:
            self.highlighted = target

    @property
    def highlighted_version(self) -> ModelVersion | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.versions):
            return None
        return self.versions[index]
