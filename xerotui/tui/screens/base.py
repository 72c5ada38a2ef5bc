"""XeroScreen: header + body + footer and the connection line (SafeDispatch: the error net)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from xerotui.tui.host import Host, host
from xerotui.tui.link import LinkState
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.widgets.footer import XeroFooter
from xerotui.tui.widgets.status_header import StatusHeader

if TYPE_CHECKING:
    from xerotui.tui.session import Session


class XeroScreen(SafeDispatch, Screen[None]):
    """Base of the full screens. Subclasses implement `compose_body`. Each can show the
    chat pane (a dock the chat store mounts at its right; `g i`, ctrl+o)."""

    TITLE: ClassVar[str] = ""
    MODE: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "chat_focus", "Chat", id="chat.focus"),
    ]

    @property
    def host(self) -> Host:
        return host(self)

    @property
    def session(self) -> Session:
        session = self.host.session
        if session is None:  # screens are only shown once connected
            raise RuntimeError("no session")
        return session

    def compose(self) -> ComposeResult:
        yield StatusHeader(self.MODE, self.host.chord_keys(), on_first_layout=self.repaint)
        yield from self.compose_body()
        yield XeroFooter()

    def repaint(self) -> None:
        """Every widget of the screen redraws, in the frame the screen's next layout writes.

        Called when the screen is first laid out. The first screen of the app is laid out
        and drawn while Textual mounts the app, and that frame is never written (Textual
        holds every write until the mount is over); the next frame writes only what changed
        since, and the rest would wait for Textual's next update tick (up to 1/60 s) and a
        second full render. Refreshing each widget here puts all of it in the frame written
        right after the mount (~20-30 ms sooner at start-up, benchmarks/bench_startup.py).
        Any other time it costs one redraw of lines that are cached."""
        for child in self.children:
            child.refresh()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.watch(self.app, "link", self._show_link, init=True)
        self.host.jobs.changed.subscribe(self, self._show_jobs)
        self._show_jobs(None)

    def _show_jobs(self, _: object) -> None:
        """The header's Jobs count follows the watches (any screen, any mode)."""
        self.query_one(StatusHeader).show_jobs(len(self.host.jobs.running()))

    def _show_link(self, link: LinkState) -> None:
        self.query_one(StatusHeader).show_link(link)

    @on(events.ScreenResume)
    def _place_chat(self) -> None:
        """Back on screen: show the chat pane as the chat store has it now."""
        self.host.chat.place(self)

    def action_chat_focus(self) -> None:
        """ctrl+o: into the chat pane (opening it) and back."""
        self.host.chat.switch_focus(self)
