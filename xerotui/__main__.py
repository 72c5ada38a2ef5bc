"""Command line: `xerotui [options]` runs the TUI; `xerotui sandbox ...` runs the emulator.

Imports are deferred so `xerotui sandbox` never loads textual and the TUI never loads
the sandbox's web framework.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from xerotui import __version__

if TYPE_CHECKING:
    from xerotui.api.chat_options import ChatOptions


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="xerotui",
        description="Keyboard-driven terminal dashboard for Xerotier model management.",
        epilog="`xerotui sandbox --help` for the local Xerotier emulator.",
    )
    p.add_argument("--demo", action="store_true", help="run against a local sandbox with demo data")
    p.add_argument("--reset", action="store_true", help="with --demo: reseed the demo data")
    p.add_argument("--profile", help="profile to use (xerotui's or xeroctl's)")
    p.add_argument("--base-url", help="base URL, e.g. https://api.xerotier.ai/proj_ABC123/v1")
    p.add_argument(
        "--api-key",
        help="API key (xero_<project>_<secret>); other users can see it in `ps`: prefer a "
        "profile or XEROTIER_API_KEY",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="show every change (and chat request) that would be sent, send none",
    )
    p.add_argument(
        "--read-only", action="store_true", help="refuse every change to models and versions"
    )
    p.add_argument("--version", action="version", version=f"xerotui {__version__}")
    from xerotui.chat_flags import add_chat_flags

    add_chat_flags(p)
    return p


def fail(message: str) -> int:
    sys.stderr.write(f"xerotui: {message}\n")
    return 2


def without_httpx_cli() -> None:
    """`import httpx` also imports httpx's own command-line client (click, pygments,
    rich.syntax: ~20 ms of xerotui's start, encode/httpx#3547), which xerotui never runs.
    An empty module in its place makes httpx define its fallback `main` instead (its
    `__init__` catches the ImportError); nothing else of httpx changes."""
    if "httpx" not in sys.modules:
        import types

        sys.modules.setdefault("httpx._main", types.ModuleType("httpx._main"))


def run_tui(args: argparse.Namespace, chat: ChatOptions | None = None) -> int:
    from xerotui.tui import heap

    heap.hold()  # no cyclic GC during the imports: the app's first frame turns it back on
    try:
        return _run_tui(args, chat)
    finally:
        heap.release()


def _run_tui(args: argparse.Namespace, chat: ChatOptions | None) -> int:
    # Cheap first (stdlib and our config code): find the connection and put the network to
    # work — the first page request, or the demo sandbox starting — while the heavy imports
    # (Textual, httpx, pydantic: ~0.3 s) run.
    without_httpx_cli()
    from xerotui.api.prefetch import Prefetch
    from xerotui.config import paths
    from xerotui.config.connection import Connection, ConnectionFlags, resolve
    from xerotui.config.errors import ConfigError
    from xerotui.launcher import SandboxProcess, SandboxStartError

    demo: SandboxProcess | None = None
    connection: Connection | None = None
    prefetch: Prefetch | None = None
    try:
        if args.demo:
            demo = SandboxProcess(paths.demo_db(), reset=args.reset)
            demo.launch()
        else:
            connection = resolve(ConnectionFlags(args.profile, args.base_url, args.api_key))
            if connection is not None:
                prefetch = Prefetch.first_page(connection.base_url, connection.api_key)

        from xerotui.api.requestlog import RequestLog
        from xerotui.config.settings import load_settings
        from xerotui.tui.session import Session, SessionOpener

        opener = SessionOpener(RequestLog(), dry_run=args.dry_run, read_only=args.read_only)
        settings = load_settings()
        session: Session | None = None
        announced: list[str] = []
        if demo is not None:
            info = demo.wait_ready()
            announced = list(info.endpoints)
            session = opener.demo(info)
        elif connection is not None:
            session = opener.open(
                connection.base_url,
                connection.api_key,
                profile=connection.profile.name if connection.profile else "custom",
                origin=connection.describe(),
                prefetch=prefetch,
            )
    except (ConfigError, SandboxStartError, ValueError, OSError) as error:
        if demo is not None:
            demo.stop()
        return fail(str(error))

    from xerotui.tui.app import XeroApp

    app = XeroApp(session, settings, opener=opener)
    if demo is not None:
        app.adopt_sandbox(demo)
    app.chat.announce(announced)

    if chat is not None:
        app.chat.start_with(chat)
    try:
        app.run()
    finally:
        app.stop_sandboxes()
    failure = app.startup_error
    if failure is not None:
        sys.stderr.write(
            f"xerotui: the dashboard could not start: {type(failure).__name__}: {failure}\n"
            "This is a bug in xerotui; the traceback above says where it happened.\n"
        )
        return 1
    return app.return_code or 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "sandbox":
        from xerotui.sandbox.cli import main as sandbox_main

        return sandbox_main(args[1:])
    from xerotui.chat_flags import chat_options

    cli = parser()
    parsed = cli.parse_args(args)
    return run_tui(parsed, chat_options(parsed, cli))


if __name__ == "__main__":
    sys.exit(main())
