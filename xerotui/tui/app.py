"""XeroApp: modes, global keys, g-chords, keymap, themes, the session and its switch."""

from __future__ import annotations

import asyncio
import importlib
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import events, work
from textual.app import App
from textual.binding import BindingType
from textual.reactive import var
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Input
from textual.worker import Worker

from xerotui.api.errors import XeroError
from xerotui.api.requestlog import RequestLog
from xerotui.config.settings import Settings, save_settings
from xerotui.launcher import SandboxProcess
from xerotui.tui.chat_store import ChatStore
from xerotui.tui.chords import APP_BINDINGS, BY_NAME, CHORDS
from xerotui.tui.commands import XeroCommands
from xerotui.tui.host import Host
from xerotui.tui.link import LinkState
from xerotui.tui.link_watch import LinkWatch
from xerotui.tui.model_feed import ModelFeed
from xerotui.tui.safety import SafeApp
from xerotui.tui.sanitize import one_line
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.session import Session
from xerotui.tui.terminal_watch import (
    CHECK_SECONDS,
    HARD_EXIT_SECONDS,
    SIGNAL_EXIT_SECONDS,
    TerminalWatch,
    terminal_fd,
)
from xerotui.tui.terminal_watch import EXIT_CODE as TERMINAL_GONE
from xerotui.tui.theme import DEFAULT_THEME, THEMES

EXIT_SIGNALS = {signal.SIGTERM: 128 + 15, signal.SIGHUP: 128 + 1, signal.SIGINT: 0}
"""Signal -> exit code (SIGINT, e.g. `kill -INT`, is a plain quit: ctrl+c is a key here)."""
FIRST_PAGE_WAIT = 0.3
"""Seconds the first frame may wait for the first page (it is usually there already)."""


def lazy_screen(module: str, name: str) -> Callable[[], Screen[Any]]:
    """A MODES entry that imports its screen the first time the mode is shown."""

    def make() -> Screen[Any]:
        screen: type[Screen[Any]] = getattr(
            importlib.import_module(f"xerotui.tui.screens.{module}"), name
        )
        return screen()

    return make


class XeroApp(SafeApp):
    """The dashboard. Screens do the work; the app routes keys and owns the session."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "xerotui"
    # Screens other than the first are imported when first shown (~70 ms less at start-up).
    MODES: ClassVar[dict[str, Any]] = {
        "overview": lazy_screen("overview", "OverviewScreen"),
        "models": ModelsScreen,
        "log": lazy_screen("api_log", "ApiLogScreen"),
        "scope": lazy_screen("scope", "ScopeScreen"),
        "connection": lazy_screen("connection", "ConnectionScreen"),
    }
    # The models screen is built at start-up as the default mode: no switch_mode (whose
    # 50 ms repaint delay would hold back the first frame). Without a connection yet, the
    # first-run screen covers it.
    DEFAULT_MODE = "models"
    BINDINGS: ClassVar[list[BindingType]] = [*APP_BINDINGS]
    COMMANDS = App.COMMANDS | {XeroCommands}

    # What the header says about the connection; screens watch it. Not drawn by the app
    # itself, so a change must not repaint the whole screen.
    link: var[LinkState] = var(LinkState, always_update=True)

    def __init__(
        self,
        session: Session | None,
        settings: Settings,
        *,
        request_log: RequestLog | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.request_log = session.client.log if session else (request_log or RequestLog())
        self.session_changed: Signal[Session] = Signal(self, "session-changed")
        self.sandboxes: list[SandboxProcess] = []
        """Sandbox children this run started (--demo, the first-run screen): stopped at exit."""
        self._settings_writer = ThreadPoolExecutor(1, thread_name_prefix="xerotui-settings")
        self.feed = ModelFeed(self)
        self.chat = ChatStore(self)
        self.links = LinkWatch(self, self._show_link)
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = settings.theme if settings.theme in self.available_themes else DEFAULT_THEME

    async def on_load(self) -> None:
        """Ask for the first page before the first screen is built (see ModelFeed.prefetch)."""
        self.request_log.subscribe(self.links.on_request)  # the header follows every request
        if self.session is not None:
            self.links.announce(self.session)
            await self.feed.prefetch(FIRST_PAGE_WAIT)

    def _show_link(self, link: LinkState) -> None:
        self.link = link

    def on_mount(self) -> None:
        self.set_keymap(self.settings.keymap)
        self.safety_net = True
        if self.settings.refresh_interval > 0:
            self.set_interval(self.settings.refresh_interval, self.feed.periodic)
        # A terminated or hung-up dashboard exits cleanly (terminal restored, demo sandbox
        # stopped); handled on the loop so a blocked select() wakes up for it.
        loop = asyncio.get_running_loop()
        for signum, code in EXIT_SIGNALS.items():
            loop.add_signal_handler(signum, partial(self.end_now, code, signum != signal.SIGHUP))
        fd = terminal_fd()
        if fd is not None and not self.is_headless:
            watch = TerminalWatch(fd, partial(self.end_now, TERMINAL_GONE, False))
            self.set_interval(CHECK_SECONDS, watch.check, name="terminal-watch")
        if self.session is None:
            from xerotui.tui.screens.first_run import FirstRunScreen

            self.push_screen(FirstRunScreen())
        else:
            self.call_after_refresh(self.chat.start)  # `--chat SLUG`

    # ------------------------------------------------------------------ session

    def connect(self, session: Session) -> Worker[None]:
        """Switch to a new session (profile switch, first run). Runs as the app's own worker:
        the screen that asked may close meanwhile without cutting the switch in half."""
        worker: Worker[None] = self.run_worker(
            self._switch(session), group="connect", exit_on_error=False, description="Switching"
        )
        return worker

    async def _switch(self, session: Session) -> None:
        old, self.session = self.session, session
        self.feed.reset()  # the old session's loads stop before its client closes
        self.chat.reset()  # and its chat answer
        self.links.announce(session)
        self.session_changed.publish(session)
        # The models screen, nothing pushed on it; every other screen is rebuilt on demand
        # for the new session (a detail of the old project must not survive the switch).
        await self.action_goto("models")
        for mode, factory in self.MODES.items():
            if mode != "models":
                await self.remove_mode(mode)
                self.add_mode(mode, factory)
        self.feed.ensure_loaded()
        if old is not None and old.client is not session.client:
            await old.client.aclose()

    # ------------------------------------------------------------------ navigation

    async def action_goto(self, mode: str) -> None:
        """Show a mode's own screen (a detail pushed on it is closed)."""
        await self.switch_mode(mode)
        while len(self.screen_stack) > 1 and not self.screen.is_modal:
            self.pop_screen()

    async def show_log(self, query: str = "") -> None:
        """The API log, filtered to `query` (e.g. an endpoint key from the scope table)."""
        from xerotui.tui.screens.api_log import ApiLogScreen

        await self.action_goto("log")
        if isinstance(self.screen, ApiLogScreen):
            self.screen.filter_to(query)

    def open_detail(self, model_id: str) -> None:
        from xerotui.tui.screens.model_detail import ModelDetailScreen

        async def go() -> None:
            await self.action_goto("models")
            self.push_screen(ModelDetailScreen(model_id))

        self.call_later(go)

    def action_open_detail(self) -> None:
        if self.feed.highlighted is None:
            self.notify("Highlight a model in the list first (g l).", severity="warning")
        else:
            self.open_detail(self.feed.highlighted)

    def on_key(self, event: events.Key) -> None:
        """A burst like `/llama` arrives before `/` has moved focus to the filter; the letters
        bubble up here (an Input stops the keys it types). Type them into the focused input
        instead of letting them fire bindings."""
        focused = self.focused
        if isinstance(focused, Input) and event.is_printable and event.character:
            focused.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "chord":
            return self.session is not None  # nothing to go to before the first connection
        return True

    def action_chord(self) -> None:
        from xerotui.tui.screens.which_key import WhichKeyScreen

        self.push_screen(
            WhichKeyScreen(has_model=self.feed.highlighted is not None), self._chord_chosen
        )

    async def _chord_chosen(self, name: str | None) -> None:
        if name == "help":
            self.action_help()
        elif name in BY_NAME:
            await self.run_action(BY_NAME[name].action)

    def action_chat(self) -> None:
        """g i: the chat pane beside the current screen, focused."""
        self.chat.show()

    def chord_keys(self) -> dict[str, str]:
        return {c.name: self.settings.keymap.get(c.binding_id, c.key) for c in CHORDS}

    def action_help(self) -> None:
        from xerotui.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.screen, self.chord_keys()))

    # ------------------------------------------------------------------ services

    def copy(self, text: str, *, what: str) -> None:
        """Copy to the clipboard (OSC 52 works over SSH and tmux) and say what was copied."""
        self.copy_to_clipboard(text)
        preview = one_line(text, limit=60)
        self.notify(preview, title=f"Copied {what}", timeout=4, markup=False)

    def adopt_sandbox(self, process: SandboxProcess) -> None:
        self.sandboxes.append(process)

    def stop_sandboxes(self) -> None:
        for process in self.sandboxes:
            process.stop()

    def end_now(self, return_code: int, terminal_alive: bool) -> None:
        """A signal, or the terminal went away: exit, and if the shutdown stalls (it may
        write to a dead terminal), end the process anyway — within about a second when the
        terminal is gone."""
        seconds = SIGNAL_EXIT_SECONDS if terminal_alive else HARD_EXIT_SECONDS
        TerminalWatch.arm_hard_exit(self.stop_sandboxes, return_code, seconds)
        self.exit(return_code=return_code)

    def show_problem(self, error: XeroError, retry: Callable[[], object]) -> None:
        self.links.problem(error, retry)

    def save_settings(self, **changes: Any) -> None:
        self.settings = self.settings.model_copy(update=changes)
        self._write_settings(self.settings)

    @work(group="settings", exit_on_error=False, description="Saving settings")
    async def _write_settings(self, settings: Settings) -> None:
        # One writer thread: writes land in the order they were made, so the file ends with
        # the last choice (the theme picker changes the theme on every row it passes).
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._settings_writer, save_settings, settings)

    def watch_theme(self, theme: str) -> None:
        if self.safety_net and theme != self.settings.theme:
            self.save_settings(theme=theme)

    async def on_unmount(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in EXIT_SIGNALS:
            loop.remove_signal_handler(signum)
        self._settings_writer.shutdown(wait=True)  # the last choice is on disk before exit
        self.feed.close()
        if self.session is not None:
            await self.session.client.aclose()


def _implements_host(app: XeroApp) -> Host:
    return app  # mypy checks here that XeroApp is a Host
