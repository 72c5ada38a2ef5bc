"""api/, config/ and sandbox/ never import textual (design.md section 2, rules of the house)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "xerotui"
LAYERS = ("api", "config", "sandbox")


def imported_modules(path: Path) -> set[str]:
    """Every module an `import` / `from ... import` statement in the file names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "__import__"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def layer_files() -> list[Path]:
    return sorted(f for layer in LAYERS for f in (PACKAGE / layer).rglob("*.py"))


def test_layers_exist() -> None:
    files = layer_files()
    assert any(f.parent.name == "sandbox" for f in files)
    assert any(f.parent.name == "api" for f in files)
    assert any(f.parent.name == "config" for f in files)


@pytest.mark.parametrize("path", layer_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_textual_import(path: Path) -> None:
    offending = {
        name for name in imported_modules(path) if name == "textual" or name.startswith("textual.")
    }
    assert not offending, f"{path.relative_to(PACKAGE)} imports {sorted(offending)}"


def test_the_checker_finds_textual_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nfrom textual.app import App\nimport textual\n__import__('textual.widgets')\n"
    )
    assert {"textual", "textual.app", "textual.widgets"} <= imported_modules(sample)


def test_the_layers_do_not_load_textual_even_indirectly() -> None:
    """Importing the service layer, config and the sandbox's CLI pulls in no textual at all."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import xerotui.api.client, xerotui.api.inventory, xerotui.api.prefetch\n"
        "import xerotui.config.connection, xerotui.config.settings\n"
        "import xerotui.sandbox.cli, xerotui.sandbox.app\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
