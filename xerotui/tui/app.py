"""XeroApp: modes, global keys, g-chords, keymap, themes, the session and its switch."""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeGuard

from textual import events
from textual.app import App
from textual.binding import BindingType
from textual.reactive import var
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Input
from textual.worker import Worker

from xerotui.api.errors import XeroError
from xerotui.api.requestlog import RequestLog
from xerotui.config.settings import Settings
from xerotui.tui import heap
from xerotui.tui.app_shell import AppShell
from xerotui.tui.chat_store import ChatStore
from xerotui.tui.chords import APP_BINDINGS, BY_NAME, CHORDS
from xerotui.tui.host import Host
from xerotui.tui.jobs_store import JobsStore
from xerotui.tui.link import LinkState
from xerotui.tui.link_watch import LinkWatch
from xerotui.tui.model_actions import ModelActions
from xerotui.tui.model_feed import ModelFeed
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.session import Session, SessionOpener
from xerotui.tui.theme import DEFAULT_THEME, THEMES

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.widget import Widget

    from xerotui.tui.widgets.chat_input import ChatInput

CHAT_INPUT = "xerotui.tui.widgets.chat_input"
FIRST_PAGE_WAIT = 0.3
"""Seconds the first frame may wait for the first page (it is usually there already)."""


def commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (Textual takes a
    callable for that): textual.command and its widgets are not needed at start-up."""
    from xerotui.tui.commands import XeroCommands

    return XeroCommands


def lazy_screen(module: str, name: str) -> Callable[[], Screen[Any]]:
    """A MODES entry that imports its screen the first time the mode is shown."""

    def make() -> Screen[Any]:
        screen: type[Screen[Any]] = getattr(
            importlib.import_module(f"xerotui.tui.screens.{module}"), name
        )
        return screen()

    return make


class XeroApp(AppShell):
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
        "jobs": lazy_screen("jobs", "JobsScreen"),
    }
    # The models screen is built at start-up as the default mode: no switch_mode (whose
    # 50 ms repaint delay would hold back the first frame). Without a connection yet, the
    # first-run screen covers it.
    DEFAULT_MODE = "models"
    BINDINGS: ClassVar[list[BindingType]] = [*APP_BINDINGS]
    COMMANDS = App.COMMANDS | {commands}

    # What the header says about the connection; screens watch it. Not drawn by the app
    # itself, so a change must not repaint the whole screen.
    link: var[LinkState] = var(LinkState, always_update=True)

    def __init__(
        self,
        session: Session | None,
        settings: Settings,
        *,
        opener: SessionOpener | None = None,
    ) -> None:
        super().__init__(settings)
        self.session = session
        self.opener = opener or SessionOpener(session.client.log if session else RequestLog())
        """How sessions of this run are opened (its request log, --dry-run, --read-only)."""
        self.request_log = self.opener.log
        self.session_changed: Signal[Session] = Signal(self, "session-changed")
        self._switching = asyncio.Lock()
        # Before any screen is built, so the first footer already shows the user's keys.
        self.set_keymap(settings.keymap)
        self.feed = ModelFeed(self)
        self.actions = ModelActions(self)
        self.jobs = JobsStore(self)
        self.chat = ChatStore(self)
        self.links = LinkWatch(self, self._show_link)
        self.feed.on_busy = self.links.busy
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
        self.safety_net = True
        self.call_after_refresh(heap.settle)  # the start is over (`heap.hold`)
        if self.settings.refresh_interval > 0:
            self.set_interval(self.settings.refresh_interval, self.feed.periodic)
        self.arm_exits()
        if self.settings.keymap:  # after the first frame: it imports every screen
            self.set_timer(0.5, self._check_keymap)
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
        async with self._switching:  # one switch at a time: the last one asked wins
            await self._switch_to(session)

    async def _switch_to(self, session: Session) -> None:
        old, self.session = self.session, session
        self.feed.reset()  # the old session's loads stop before its client closes
        await self.jobs.switch(old, session)  # and its watches end, saying why
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

    def open_on_models(self, screen: Screen[Any]) -> None:
        """Show `screen` in the models mode, whatever mode asked: over the screen shown there
        (a detail, versions, the catalog...: esc comes back to it), or over the table."""

        async def go() -> None:
            if self.current_mode != "models":
                await self.action_goto("models")
            self.push_screen(screen)

        self.call_later(go)

    def open_detail(self, model_id: str) -> None:
        from xerotui.tui.screens.model_detail import ModelDetailScreen

        self.open_on_models(ModelDetailScreen(model_id))

    def action_open_detail(self) -> None:
        self._on_highlighted(self.open_detail)

    def _on_highlighted(self, open_screen: Callable[[str], object]) -> None:
        if self.feed.highlighted is None:
            self.notify("Highlight a model in the list first (g l).", severity="warning")
        else:
            open_screen(self.feed.highlighted)

    def open_versions(self, model_id: str) -> None:
        """The version timeline, over the models mode (and over a detail shown there)."""
        from xerotui.tui.screens.versions import VersionsScreen

        self.open_on_models(VersionsScreen(model_id))

    def action_open_versions(self) -> None:
        self._on_highlighted(self.open_versions)

    def action_revalidate(self) -> None:
        self.jobs.revalidate.targets()

    def action_top(self) -> None:
        """`g g`: the first row of the focused list (the model grid, a DataTable, a scroll)."""
        focused = self.focused
        for name in ("action_top", "action_scroll_top", "action_scroll_home"):
            top = getattr(focused, name, None)
            if callable(top):
                top()
                return

    def on_key(self, event: events.Key) -> None:
        """A burst like `/llama` arrives before `/` has moved focus to the filter; the letters
        bubble up here (an Input stops the keys it types). Type them into the focused input
        instead of letting them fire bindings."""
        focused = self.focused
        if not (event.is_printable and event.character):
            return
        if isinstance(focused, Input):
            focused.insert_text_at_cursor(event.character)
        elif focused is not None and self._is_chat_input(focused):
            focused.insert(event.character)  # the chat prompt, right after g i or ctrl+o
        else:
            return
        event.stop()
        event.prevent_default()

    @staticmethod
    def _is_chat_input(widget: Widget) -> TypeGuard[ChatInput]:
        """The chat prompt (a TextArea) is imported with the chat pane, not at start-up
        (TextArea is ~4 ms of the start): before that, nothing focused can be one."""
        if CHAT_INPUT not in sys.modules:
            return False
        from xerotui.tui.widgets.chat_input import ChatInput

        return isinstance(widget, ChatInput)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "chord":
            return self.session is not None  # nothing to go to before the first connection
        if action == "undo":
            return self.actions.undo is not None  # shown only while an undo is offered
        return True

    def action_act(self, name: str) -> None:
        """A model action by name (chords and the palette): see ModelActions."""
        getattr(self.actions, name)()

    def action_undo(self) -> None:
        self.actions.action_undo()

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

    def show_problem(self, error: XeroError, retry: Callable[[], object]) -> None:
        self.links.problem(error, retry)

    async def on_unmount(self) -> None:
        self.close_shell()
        self.feed.close()
        await self.jobs.aclose()
        if self.session is not None:
            await self.session.client.aclose()
        heap.release()


def _implements_host(app: XeroApp) -> Host:
    return app  # mypy checks here that XeroApp is a Host
