"""`python -m xerotui` with the models screen it had before the grid: bench_startup.py starts
this in a pty as the baseline (`benchmarks/baseline_main.py ARGS`).

The start is xerotui's own, step for step (the first page asked on a thread before the
heavy imports); only when `xerotui.tui.app` is imported does its models mode become
baseline_screen.BaselineModelsScreen.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from types import ModuleType

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

APP = "xerotui.tui.app"


class BaselineModes(importlib.abc.MetaPathFinder):
    """Patches XeroApp.MODES["models"] right after xerotui.tui.app is executed."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != APP:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        run = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            from baseline_screen import BaselineModelsScreen

            app = module.XeroApp
            app.MODES = {**app.MODES, "models": BaselineModelsScreen}

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if __name__ == "__main__":
    sys.meta_path.insert(0, BaselineModes())
    from xerotui.__main__ import main

    raise SystemExit(main())
