"""The README key table is generated from the live bindings; it must not drift."""

from __future__ import annotations

from pathlib import Path

from xerotui.tui.keytable import markdown, replace_in

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_key_table_matches_the_bindings() -> None:
    text = README.read_text()
    assert replace_in(text) == text, "the README key table is stale: run `make readme-keys`"


def test_every_binding_in_the_table_has_an_id() -> None:
    rows = [line for line in markdown().splitlines() if line.startswith("| `")]
    assert rows
    missing = [row for row in rows if row.endswith("| `` |") or row.endswith("|  |")]
    # Only the palette row (Textual's own binding) has no id of ours.
    assert all("Command palette" in row for row in missing), missing
