"""RequestDetail: one request of the log in full — URL, ids, timing, the error envelope."""

from __future__ import annotations

import json

from rich.console import Group
from rich.syntax import Syntax
from rich.text import Text
from textual.widgets import Static

from xerotui.api.requestlog import RequestRecord
from xerotui.tui.format import datetime_text, http_status_text


class RequestDetail(Static):
    """Presentational: shows the record it is given (or a hint when there is none)."""

    def show(self, record: RequestRecord | None) -> None:
        if record is None:
            self.update(Text("Select a request to see it in full.", style="dim"))
            return
        head = Text.assemble(
            (f"{record.method} ", "bold"),
            http_status_text(record.status),
            ("  request id ", "dim"),
            record.request_id or "-",
            ("  ·  ", "dim"),
            f"{record.latency_ms:.0f} ms",
            ("  ·  attempt ", "dim"),
            str(record.attempt),
        )
        url = Text(record.url + (f"?{record.query}" if record.query else ""))
        facts = Text.assemble(
            ("at ", "dim"),
            datetime_text(record.started),
            ("  ·  key ", "dim"),
            record.key_masked or "-",
            ("  ·  endpoint ", "dim"),
            record.endpoint_key or "-",
        )
        parts: list[Text | Syntax] = [head, url, facts]
        if record.error_body is not None:
            body = json.dumps(record.error_body, indent=2)
            parts.append(Syntax(body, "json", theme="ansi_dark", background_color="default"))
        elif record.error_message:
            parts.append(Text(record.error_message, style="red"))
        self.update(Group(*parts))
