"""ChatStoredScreen: the completions an endpoint stored (``store``), listed and opened.

Asked with the chat option ``store``, an answer is kept by the server and can be fetched
later (`xeroctl completions`). This lists the endpoint's newest stored completions
(id, when, model, tokens, the start of the answer); Enter fetches the one highlighted and
shows its answer, usage and metadata below; ``y`` copies its id; ``ctrl+r`` reloads.
Everything shown is server text: cleaned, never read as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from xerotui.api.errors import XeroError
from xerotui.api.schema import ChatCompletion
from xerotui.tui.format import minute_text, or_unknown
from xerotui.tui.host import host
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean, one_line

PAGE = 50


class ChatStoredScreen(SafeDispatch, ModalScreen[None]):
    DEFAULT_CSS = """
    ChatStoredScreen {
        align: center middle;
    }
    ChatStoredScreen > #stored {
        width: 110;
        max-width: 95%;
        height: 90%;
        background: $surface;
        border: round $primary;
        padding: 0 1;
    }
    ChatStoredScreen #stored-title {
        text-style: bold;
        height: 1;
    }
    ChatStoredScreen #stored-status {
        color: $text-muted;
        height: auto;
    }
    ChatStoredScreen #stored-table {
        height: 1fr;
        min-height: 5;
    }
    ChatStoredScreen #stored-detail {
        height: 1fr;
        border-top: solid $panel-lighten-2;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="stored.close"),
        Binding("enter", "open", "Open", id="stored.open"),
        Binding("y", "copy_id", "Copy id", id="stored.copy_id"),
        Binding("ctrl+r", "reload", "Reload", id="stored.reload"),
    ]

    def __init__(self, endpoint: str) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.completions: list[ChatCompletion] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="stored"):
            title = f"Stored completions · {one_line(self.endpoint, limit=60)}"
            yield Static(Text(title), id="stored-title")
            yield Static("Loading…", id="stored-status")
            yield DataTable(id="stored-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="stored-detail"):
                yield Static(id="stored-body")

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#stored-table", DataTable)

    def on_mount(self) -> None:
        self.table.add_columns("id", "created", "model", "tokens", "answer")
        self.table.focus()
        self.action_reload()

    def _status(self, text: str) -> None:
        self.query_one("#stored-status", Static).update(Text(text))

    def action_reload(self) -> None:
        self._load()

    @work(group="stored-completions", exclusive=True, exit_on_error=False, description="Listing")
    async def _load(self) -> None:
        session = host(self).session
        if session is None:
            return
        self._status("Loading…")
        try:
            page = await session.client.list_stored_completions(self.endpoint, limit=PAGE)
        except XeroError as error:
            self._status(f"{error.title}: {clean(error.message, newlines=False)}")
            return
        self.completions = page.data
        table = self.table
        table.clear()
        for completion in page.data:
            tokens = completion.usage.total_tokens if completion.usage else "-"
            table.add_row(
                Text(one_line(completion.id, limit=40)),
                _when(completion.created),
                Text(one_line(completion.model, limit=30)),
                str(tokens),
                Text(one_line(completion.text, limit=60)),
                key=completion.id,
            )
        more = " (newest first; more exist)" if page.has_more else " (newest first)"
        if page.data:
            self._status(f"{len(page.data)} stored completions{more} · enter opens one")
        else:
            self._status(
                "No stored completions. Turn on “Store the completion” in the options "
                "(ctrl+t) and ask again."
            )

    def _highlighted(self) -> str | None:
        table = self.table
        if not self.completions or table.cursor_row < 0:
            return None
        return self.completions[min(table.cursor_row, len(self.completions) - 1)].id

    @on(DataTable.RowSelected, "#stored-table")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        completion_id = self._highlighted()
        if completion_id is not None:
            self._open(completion_id)

    @work(group="stored-open", exclusive=True, exit_on_error=False, description="Opening")
    async def _open(self, completion_id: str) -> None:
        session = host(self).session
        if session is None:
            return
        body = self.query_one("#stored-body", Static)
        try:
            completion = await session.client.get_stored_completion(self.endpoint, completion_id)
        except XeroError as error:
            body.update(Text(f"{error.title}: {clean(error.message)}", style="red"))
            return
        lines = [f"{completion.id} · {_when(completion.created)} · model {completion.model}"]
        if completion.usage is not None:
            u = completion.usage
            lines.append(
                f"prompt {u.prompt_tokens} · completion {u.completion_tokens} · "
                f"total {u.total_tokens}"
            )
        if completion.metadata:
            pairs = (f"{key}={value}" for key, value in completion.metadata.items())
            lines.append("metadata " + ", ".join(pairs))
        lines += ["", completion.text]
        body.update(Text(clean("\n".join(lines))))

    def action_copy_id(self) -> None:
        completion_id = self._highlighted()
        if completion_id is not None:
            host(self).copy(completion_id, what="stored completion id")

    def action_close(self) -> None:
        self.dismiss(None)


def _when(created: int) -> str:
    return or_unknown(minute_text, created)
