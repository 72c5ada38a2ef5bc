"""Command line: `xerotui [options]` runs the TUI; `xerotui sandbox ...` runs the emulator."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "sandbox":
        from xerotui.sandbox.cli import main as sandbox_main

        return sandbox_main(args[1:])
    raise SystemExit("the TUI is not wired yet")


if __name__ == "__main__":
    sys.exit(main())
