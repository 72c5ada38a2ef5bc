"""The dashboard as a real program on a pseudo-terminal, when things go wrong around it: the
terminal goes away under it, or it fails while starting."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from pty_terminal import DemoRuns, Terminal, cli_env, gone, wait_for

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds the sandbox child through /proc"
)
SEED_MODELS = 43


@pytest.fixture
def demo() -> Iterator[DemoRuns]:
    with DemoRuns() as runs:
        yield runs


@linux_only
def test_a_terminal_that_goes_away_ends_the_app_and_its_sandbox(demo: DemoRuns) -> None:
    """A killed tmux session or a dropped SSH connection hangs up the pty: reads return EOF
    at once and writes fail. The app notices by itself (no signal needed) and exits, and its
    sandbox child goes with it. (The time it takes, under 2 s, is a figure for benchmarks;
    the bound here only keeps a broken build from hanging the suite.)"""
    terminal = demo.start()
    child = demo.sandbox_child(terminal)
    wait_for(lambda: f" of {SEED_MODELS} · sort" in terminal.text(), 60, "table")
    terminal.hang_up()
    assert terminal.proc.wait(30) == 128 + 1
    wait_for(lambda: gone(child), 30, "the sandbox child to stop")


BROKEN_START = """
import sys
from xerotui.tui.app import XeroApp

def broken_mount(self):
    raise RuntimeError("planted failure while mounting")

XeroApp.on_mount = broken_mount
from xerotui.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_an_error_while_starting_ends_with_a_clear_message_and_code_1() -> None:
    """Before the app is up, the safety net is not armed: a failure ends the start (never a
    half-started dashboard behind an error modal) with a one-line reason and exit code 1."""
    terminal = Terminal(
        "--base-url",
        "http://127.0.0.1:9/proj_demo/v1",
        "--api-key",
        "xero_proj_demo_not-a-real-key",
        env=cli_env(),
        argv=[sys.executable, "-c", BROKEN_START],
    )
    try:
        assert terminal.proc.wait(60) == 1
        wait_for(lambda: "could not start" in terminal.text(), 10, "the message")
        text = terminal.text()
        assert (
            "xerotui: the dashboard could not start: RuntimeError: planted failure while mounting"
            in text
        )
        assert "Unexpected error" not in text  # no error modal of a half-started app
    finally:
        terminal.close()
