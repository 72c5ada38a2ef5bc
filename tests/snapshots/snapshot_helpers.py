"""Make time-dependent screen content repeatable for snapshots."""

from __future__ import annotations

import dataclasses

from xerotui.tui.app import XeroApp

FROZEN_EPOCH = 1_795_000_000.0  # 2026-11-18 08:53:20 UTC


def freeze_log(app: XeroApp) -> None:
    """Give every request of the session a fixed time, latency and request id."""
    records = app.request_log.records()
    app.request_log.clear()
    for index, record in enumerate(records):
        app.request_log.append(
            dataclasses.replace(
                record,
                started=FROZEN_EPOCH + index * 0.25,
                latency_ms=11.0 + index % 5,
                request_id=f"req_{index + 1:024d}" if record.request_id else None,
            )
        )
