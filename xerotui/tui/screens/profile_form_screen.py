"""Add a profile from the Connection screen: the same form and flow as the first run."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from xerotui.tui.host import host
from xerotui.tui.profile_flow import adopt_profile
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import one_line
from xerotui.tui.widgets.profile_form import ProfileForm, ProfileValues


class ProfileFormScreen(SafeDispatch, ModalScreen[None]):
    """Test, save (0600) and switch to a new profile; on failure the values stay."""

    DEFAULT_CSS = """
    ProfileFormScreen {
        align: center middle;
    }
    ProfileFormScreen #profile-modal {
        width: 84;
        max-width: 95%;
        height: auto;
        max-height: 95%;
    }
    """
    BINDINGS = [Binding("escape", "dismiss", "Cancel", id="profile_form.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="profile-modal", classes="dialog"):
            yield Static("[b]Add a profile[/b]  [dim]tested before it is saved[/dim]")
            yield ProfileForm(name="", id="profile-form")

    def on_mount(self) -> None:
        self.query_one("#pf-name").focus()

    @on(ProfileForm.Submitted)
    def _submitted(self, event: ProfileForm.Submitted) -> None:
        self.save(event.values)

    @work(group="profile-save", exclusive=True, exit_on_error=False, description="Saving profile")
    async def save(self, values: ProfileValues) -> None:
        app = host(self)
        adopted = await adopt_profile(app, self.query_one(ProfileForm), values)
        if adopted is None:
            return
        session, check = adopted
        self.dismiss()
        app.connect(session)
        self.app.notify(
            one_line(
                f"Saved profile {values.name} ({check.latency_ms:.0f} ms) and switched to it.",
                limit=200,
            ),
            title="Profile added",
            markup=False,
        )
