"""RequestDetail: one request of the log in full — URL, ids, timing, the error envelope."""

from __future__ import annotations

import json

from rich.console import Group
from rich.syntax import Syntax
from rich.text import Text
from textual.widgets import Static

from xerotui.api.requestlog import RequestRecord
from xerotui.tui.format import datetime_text, http_status_text
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean, one_line

JSON_LIMIT = 20_000
"""Characters of an error body shown (a huge body is cut, never rendered whole)."""


class RequestDetail(SafeDispatch, Static):
    """Presentational: shows the record it is given (or a hint when there is none).
    Everything the server sent is sanitised and never read as markup."""

    DEFAULT_CSS = """
    RequestDetail {
        height: auto;
        max-height: 50%;
    }
    """

    def show(self, record: RequestRecord | None) -> None:
        if record is None:
            self.update(Text("Select a request to see it in full.", style="dim"))
            return
        status = http_status_text(record.status)
        if record.held:
            status = Text(f"not sent ({record.held})", style="bold yellow")
        head = Text.assemble(
            (f"{record.method} ", "bold"),
            status,
            ("  request id ", "dim"),
            one_line(record.request_id),
            ("  ·  ", "dim"),
            f"{record.latency_ms:.0f} ms",
            ("  ·  attempt ", "dim"),
            str(record.attempt),
        )
        url = Text(one_line(record.url + (f"?{record.query}" if record.query else ""), limit=400))
        facts = Text.assemble(
            ("at ", "dim"),
            datetime_text(record.started),
            ("  ·  key ", "dim"),
            one_line(record.key_masked),
            ("  ·  endpoint ", "dim"),
            record.endpoint_key or "-",
        )
        parts: list[Text | Syntax] = [head, url, facts]
        if record.error_body is not None:
            body = json.dumps(record.error_body, indent=2, ensure_ascii=False)
            if len(body) > JSON_LIMIT:
                body = body[:JSON_LIMIT] + f"\n… ({len(body) - JSON_LIMIT:,} more characters)"
            body = clean(body)
            parts.append(Syntax(body, "json", theme="ansi_dark", background_color="default"))
        elif record.error_message:
            parts.append(Text(clean(record.error_message[:JSON_LIMIT]), style="red"))
        self.update(Group(*parts))
