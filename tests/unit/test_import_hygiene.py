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


def tui_files() -> list[Path]:
    return sorted((PACKAGE / "tui").rglob("*.py"))


@pytest.mark.parametrize("path", tui_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_tui_sees_the_app_only_through_the_host(path: Path) -> None:
    """No module of tui/ but app.py imports app.py (screens reach it through tui/host.py),
    and tui/ never imports the emulator (the --demo launcher is xerotui/launcher.py)."""
    names = imported_modules(path)
    if path.name != "app.py" or path.parent.name != "tui":
        assert "xerotui.tui.app" not in names
    assert not {n for n in names if n == "xerotui.sandbox" or n.startswith("xerotui.sandbox.")}


@pytest.mark.parametrize(
    "path",
    sorted((PACKAGE / "tui" / "widgets").glob("*.py")),
    ids=lambda p: p.name,
)
def test_widgets_do_no_io(path: Path) -> None:
    """Widgets are presentational: they never import the client (screens do the IO)."""
    names = imported_modules(path)
    assert not {n for n in names if n.startswith("xerotui.api.client") or n == "httpx"}


def test_the_host_rules_catch_an_offender(tmp_path: Path) -> None:
    sample = tmp_path / "screen.py"
    sample.write_text("from xerotui.tui.app import XeroApp\nimport xerotui.sandbox.store\n")
    assert {"xerotui.tui.app", "xerotui.sandbox.store"} <= imported_modules(sample)


def test_every_widget_and_screen_carries_the_safety_net_and_its_own_css() -> None:
    """Each widget and screen class of xerotui mixes in SafeDispatch (an error in its handler
    opens the error modal and it keeps working) and brings its own DEFAULT_CSS."""
    import importlib
    import inspect

    from textual.dom import DOMNode

    from xerotui.tui.safety import SafeDispatch

    checked = []
    for folder in ("widgets", "screens"):
        for path in sorted((PACKAGE / "tui" / folder).glob("*.py")):
            module = importlib.import_module(f"xerotui.tui.{folder}.{path.stem}")
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ != module.__name__ or not issubclass(cls, DOMNode):
                    continue
                checked.append(cls.__name__)
                assert issubclass(cls, SafeDispatch), f"{cls.__name__} lacks SafeDispatch"
                own_css = "DEFAULT_CSS" in vars(cls) or cls.__name__.endswith("Screen")
                assert own_css, f"{cls.__name__} has no DEFAULT_CSS"
    assert "ModelGrid" in checked
    assert "ModelsScreen" in checked
