"""First run: nothing configured. Start the local sandbox, or enter a base URL and API key."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from xerotui.config import paths
from xerotui.launcher import SandboxProcess, SandboxStartError
from xerotui.tui.host import Host, host
from xerotui.tui.profile_flow import adopt_profile
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean
from xerotui.tui.widgets.footer import XeroFooter
from xerotui.tui.widgets.profile_form import ProfileForm, ProfileValues

WELCOME = (
    "[b]Welcome to xerotui[/b]\n\n"
    "No Xerotier connection is configured yet: no xerotui profile, no xeroctl deployment "
    "([dim]~/.config/xeroctl/config.toml[/dim]) and no XEROTIER_BASE_URL / XEROTIER_API_KEY."
)

SANDBOX = (
    "[b]Try it offline[/b]\n\n"
    "Start the local sandbox: an emulator of the Xerotier API with about 40 demo models, "
    "running on 127.0.0.1. Nothing leaves this machine; its data is kept between runs."
)


class FirstRunScreen(SafeDispatch, Screen[None]):
    """Shown instead of the dashboard until a connection works."""

    TITLE = "First run"
    DEFAULT_CSS = """
    FirstRunScreen #first-run {
        padding: 1 2;
    }
    FirstRunScreen #first-run-welcome {
        margin-bottom: 1;
    }
    FirstRunScreen #first-run-choices {
        height: auto;
    }
    FirstRunScreen #first-run-choices > .dialog {
        width: 1fr;
        height: auto;
        margin: 0 1 0 0;
    }
    FirstRunScreen #first-run-sandbox Button {
        margin-top: 1;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "sandbox", "Start the local sandbox", id="first_run.sandbox"),
        Binding("ctrl+q", "app.quit", "Quit", id="first_run.quit"),
    ]

    @property
    def host(self) -> Host:
        return host(self)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="first-run"):
            yield Static(WELCOME, id="first-run-welcome")
            with Horizontal(id="first-run-choices"):
                with Vertical(classes="dialog", id="first-run-sandbox"):
                    yield Static(SANDBOX)
                    yield Button("Start the local sandbox", id="start-sandbox", variant="success")
                    yield Static(id="sandbox-message")
                with Vertical(classes="dialog", id="first-run-profile"):
                    yield Static("[b]Connect to Xerotier[/b]  [dim]tested before it is saved[/dim]")
                    yield ProfileForm(id="profile-form")
        yield XeroFooter()

    def on_mount(self) -> None:
        self.query_one("#start-sandbox").focus()

    @on(Button.Pressed, "#start-sandbox")
    def action_sandbox(self) -> None:
        button = self.query_one("#start-sandbox", Button)
        if button.disabled:  # starting already: a second press must not start another
            return
        button.disabled = True
        self.start_sandbox()

    @work(group="sandbox", exclusive=True, exit_on_error=False, description="Starting sandbox")
    async def start_sandbox(self) -> None:
        note = self.query_one("#sandbox-message", Static)
        button = self.query_one("#start-sandbox", Button)
        button.disabled = True
        note.update("[yellow]starting the sandbox…[/yellow]")
        process = SandboxProcess(paths.demo_db())
        try:
            info = await asyncio.to_thread(process.start)
        except (SandboxStartError, OSError) as error:
            button.disabled = False
            note.update(Text(clean(str(error)), style="red"))
            return
        self.host.adopt_sandbox(process)
        self.host.connect(self.host.opener.demo(info))

    @on(ProfileForm.Submitted)
    def _submitted(self, event: ProfileForm.Submitted) -> None:
        self.save(event.values)

    @work(group="profile-save", exclusive=True, exit_on_error=False, description="Saving profile")
    async def save(self, values: ProfileValues) -> None:
        adopted = await adopt_profile(self.host, self.query_one(ProfileForm), values)
        if adopted is not None:
            self.host.connect(adopted[0])
