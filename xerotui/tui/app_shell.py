"""AppShell: what the dashboard needs of any terminal program, apart from its screens.

Settings written in order, clipboard copies that say what was copied, screenshots saved where
they can be, sandbox children stopped at exit, and an exit that always happens: on SIGTERM,
SIGHUP, SIGINT, or a terminal that went away (see terminal_watch.py). XeroApp builds on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from xerotui.config import paths
from xerotui.config.settings import Settings, save_settings
from xerotui.launcher import SandboxProcess
from xerotui.tui.safety import SafeApp
from xerotui.tui.sanitize import one_line
from xerotui.tui.terminal_watch import (
    CHECK_SECONDS,
    HARD_EXIT_SECONDS,
    SIGNAL_EXIT_SECONDS,
    TerminalWatch,
    terminal_fd,
)
from xerotui.tui.terminal_watch import EXIT_CODE as TERMINAL_GONE

EXIT_SIGNALS = {signal.SIGTERM: 128 + 15, signal.SIGHUP: 128 + 1, signal.SIGINT: 0}
"""Signal -> exit code (SIGINT, e.g. `kill -INT`, is a plain quit: ctrl+c is a key here)."""


class AppShell(SafeApp):
    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.sandboxes: list[SandboxProcess] = []
        """Sandbox children this run started (--demo, the first-run screen): stopped at exit."""
        self._settings_writer = ThreadPoolExecutor(1, thread_name_prefix="xerotui-settings")

    def arm_exits(self) -> None:
        """Signals end the app cleanly (terminal restored, sandbox stopped), handled on the
        loop so a blocked select() wakes up for them; so does a terminal that went away."""
        loop = asyncio.get_running_loop()
        for signum, code in EXIT_SIGNALS.items():
            loop.add_signal_handler(signum, partial(self.end_now, code, signum != signal.SIGHUP))
        fd = terminal_fd()
        if fd is not None and not self.is_headless:
            watch = TerminalWatch(fd, partial(self.end_now, TERMINAL_GONE, False))
            self.set_interval(CHECK_SECONDS, watch.check, name="terminal-watch")

    def end_now(self, return_code: int, terminal_alive: bool) -> None:
        """A signal, or the terminal went away: exit, and if the shutdown stalls (it may
        write to a dead terminal), end the process anyway — within about a second when the
        terminal is gone."""
        seconds = SIGNAL_EXIT_SECONDS if terminal_alive else HARD_EXIT_SECONDS
        TerminalWatch.arm_hard_exit(self.stop_sandboxes, return_code, seconds)
        self.exit(return_code=return_code)

    def adopt_sandbox(self, process: SandboxProcess) -> None:
        self.sandboxes.append(process)

    def stop_sandboxes(self) -> None:
        for process in self.sandboxes:
            process.stop()

    def close_shell(self) -> None:
        """On unmount: signal handlers off, the last settings write on disk."""
        loop = asyncio.get_running_loop()
        for signum in EXIT_SIGNALS:
            loop.remove_signal_handler(signum)
        self._settings_writer.shutdown(wait=True)

    def _check_keymap(self) -> None:
        """A keymap id that names no binding does nothing (Textual ignores it): say so."""
        from xerotui.config.keymap import unknown_ids
        from xerotui.tui.keytable import binding_ids

        unknown = unknown_ids(self.settings.keymap, binding_ids())
        if unknown:
            self.notify(
                f"These ids in [settings.keymap] name no key of xerotui: {', '.join(unknown)}. "
                "? lists every binding id.",
                title="Configuration problem",
                severity="warning",
                timeout=12,
                markup=False,
            )

    # ------------------------------------------------------------------ settings

    def save_settings(self, **changes: Any) -> None:
        """Change settings now, write them behind: one writer thread, so writes land in the
        order they were made and the file ends with the last choice (the theme picker
        changes the theme on every row it passes); handed over at once, so quitting right
        after still writes it (unmount waits for the writer)."""
        self.settings = self.settings.model_copy(update=changes)
        loop = asyncio.get_running_loop()
        future = self._settings_writer.submit(save_settings, self.settings)

        def written(done: Future[None]) -> None:
            with contextlib.suppress(RuntimeError):  # the app (and its loop) ended meanwhile
                loop.call_soon_threadsafe(self._written, done)

        future.add_done_callback(written)

    def _written(self, future: Future[None]) -> None:
        """Back on the app's loop: a write that failed is reported."""
        error = future.exception()
        if error is not None and self.is_running:
            from xerotui.tui.errors import report

            report(self, error, doing="Saving settings")

    def watch_theme(self, theme: str) -> None:
        if self.safety_net and theme != self.settings.theme:
            self.save_settings(theme=theme)

    # ------------------------------------------------------------------ clipboard, screenshots

    def copy(self, text: str, *, what: str, preview: str | None = None) -> None:
        """Copy to the clipboard (OSC 52 works over SSH and tmux) and say what was copied."""
        self.copy_to_clipboard(text)
        shown = one_line(text if preview is None else preview, limit=60)
        self.notify(shown, title=f"Copied {what}", timeout=4, markup=False)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's "Screenshot": an SVG in xerotui's screenshots folder (made if
        missing); the toast says where it went, or why it could not be saved."""
        folder = Path(path) if path else paths.screenshots_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            saved = self.save_screenshot(filename, str(folder), time_format)
        except OSError as error:
            reason = error.strerror or str(error)
            self.notify(
                f"Could not save the screenshot in {folder}: {reason}.",
                title="Screenshot",
                severity="error",
                markup=False,
            )
            return None
        self.notify(f"Saved to {saved}", title="Screenshot", markup=False)
        return None
