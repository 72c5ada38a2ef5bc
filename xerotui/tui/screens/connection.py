"""Connection (`g b`): base URL, project, masked key, profiles, switch, test connection."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from xerotui.api.errors import XeroError
from xerotui.api.health import check_connection
from xerotui.config.errors import ConfigError
from xerotui.config.profiles import Profile, ProfileStore
from xerotui.tui.errors import report
from xerotui.tui.sanitize import one_line
from xerotui.tui.screens.base import XeroScreen
from xerotui.tui.screens.profile_form_screen import ProfileFormScreen
from xerotui.tui.widgets.field_list import FieldList, Row


class ConnectionScreen(XeroScreen):
    """Where the session points and which profiles exist (xeroctl's and xerotui's)."""

    TITLE = "Connection"
    DEFAULT_CSS = """
    ConnectionScreen #conn-profiles-title {
        height: auto;
        padding: 0 1;
    }
    ConnectionScreen #conn-profiles {
        height: 1fr;
    }
    """
    MODE = "connection"
    BINDINGS = [
        Binding("enter", "use", "Use profile", id="connection.use"),
        Binding("t", "test", "Test connection", id="connection.test"),
        Binding("a", "add", "Add profile", id="connection.add"),
        Binding("k", "reveal", "Reveal key", id="connection.reveal"),
        Binding("ctrl+r", "reload", "Reload profiles", id="connection.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.profiles: list[Profile] = []
        self.current_name: str | None = None
        self.reveal = False
        self.test_result: Text = Text("not tested yet — press t", style="dim")

    def compose_body(self) -> ComposeResult:
        yield FieldList(id="conn-current", classes="panel")
        yield Static(id="conn-profiles-title")
        yield DataTable(id="conn-profiles", cursor_type="row", zebra_stripes=True)

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#conn-profiles", DataTable)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#conn-current").border_title = "Current connection"
        for key, label in (
            ("current", " "),
            ("name", "Profile"),
            ("source", "Source"),
            ("url", "Base URL"),
            ("key", "API key"),
        ):
            self.table.add_column(label, key=key)
        self.host.session_changed.subscribe(self, self._on_session_changed)
        self.redraw()
        self.load_profiles()
        self.table.focus()

    def _on_session_changed(self, _: object) -> None:
        self.redraw()
        self.load_profiles()  # the ● follows the profile in use

    def redraw(self) -> None:
        session = self.session
        key = session.api_key if self.reveal else session.masked_key
        rows: list[Row] = [
            ("Profile", one_line(session.profile)),
            ("Origin", one_line(session.origin)),
            ("Base URL", one_line(session.base_url)),
            ("Project", one_line(session.project)),
            ("API key", Text(key, style="bold yellow") if self.reveal else key),
            ("Chat URL", one_line(session.client.chat_url("SLUG").replace("SLUG", "<endpoint>"))),
            ("Test", self.test_result),
        ]
        self.query_one("#conn-current", FieldList).show(rows)

    @work(group="profiles", exclusive=True, exit_on_error=False, description="Reading profiles")
    async def load_profiles(self) -> None:
        store = ProfileStore()
        try:
            profiles, current = await asyncio.to_thread(
                lambda: (store.profiles(), store.current_name())
            )
        except ConfigError as error:
            report(self, error, doing="Reading profiles")
            profiles, current = [], None
        self.profiles, self.current_name = profiles, current
        table = self.table
        table.clear()
        for profile in profiles:
            mark = Text("●", style="green") if profile.name == self.session.profile else " "
            key = (
                f"keychain: {profile.api_key_keychain}"
                if profile.key_origin == "keychain"
                else profile.masked_key
            )
            table.add_row(
                mark,
                Text(one_line(profile.name)),
                Text(one_line(profile.source)),
                Text(one_line(profile.base_url)),
                Text(one_line(key)),
            )
        count = len(profiles)
        title = Text.assemble(
            ("Profiles", "bold"),
            (f"  {count} from xerotui's config.toml and xeroctl's config.toml", "dim"),
        )
        if not profiles:
            title.append("  — none yet: press a to add one", style="yellow")
        self.query_one("#conn-profiles-title", Static).update(title)

    def selected(self) -> Profile | None:
        row = self.table.cursor_row
        return self.profiles[row] if 0 <= row < len(self.profiles) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "use":
            return True if self.selected() else None
        return True

    @on(DataTable.RowSelected, "#conn-profiles")
    def _selected(self) -> None:
        self.action_use()

    def action_use(self) -> None:
        profile = self.selected()
        if profile is not None:
            self.use(profile)

    @work(group="connect", exclusive=True, exit_on_error=False, description="Switching profile")
    async def use(self, profile: Profile) -> None:
        try:
            profile = await asyncio.to_thread(ProfileStore().with_key, profile)
            session = self.host.opener.open(
                profile.base_url,
                profile.api_key or "",
                profile=profile.name,
                origin=f"profile {profile.name} ({profile.source})",
            )
        except (ConfigError, ValueError) as error:
            report(self, error, doing=f"Using profile {profile.name}")
            return
        try:
            await check_connection(session.client)
        except XeroError as error:
            await session.client.aclose()
            report(self, error, doing=f"Testing profile {profile.name}")
            return
        except asyncio.CancelledError:  # enter again, on another profile
            await session.client.aclose()
            raise
        self.app.notify(
            f"Now using profile {one_line(profile.name)}", title="Profile switched", markup=False
        )
        self.host.connect(session)

    @work(group="test", exclusive=True, exit_on_error=False, description="Testing connection")
    async def action_test(self) -> None:
        self.test_result = Text("testing…", style="yellow")
        self.redraw()
        try:
            check = await check_connection(self.session.client)
        except XeroError as error:
            self.test_result = Text(
                one_line(f"{error.title}: {error.message} · {error.detail}", limit=400), "bold red"
            )
        else:
            models = f" · {check.models:,} models" if check.models is not None else ""
            self.test_result = Text(
                f"OK · {check.latency_ms:.0f} ms · key accepted for {check.project}{models}",
                style="green",
            )
        self.redraw()

    def action_add(self) -> None:
        self.app.push_screen(ProfileFormScreen())

    def action_reveal(self) -> None:
        self.reveal = not self.reveal
        self.redraw()

    def action_reload(self) -> None:
        self.load_profiles()
