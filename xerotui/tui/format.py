"""How values look on screen: status colours, sizes, counts, dates. Pure functions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from rich.text import Text

from xerotui.api.schema import FAILURE_STATUSES, SUCCESS_STATUSES
from xerotui.tui.sanitize import one_line

V = TypeVar("V")

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def status_kind(status: str | None) -> str:
    if status in SUCCESS_STATUSES:
        return "success"
    if status in FAILURE_STATUSES:
        return "failure"
    return "progress"


def status_text(status: str | None, frame: int | None = None) -> Text:
    """A status coloured by meaning; an in-progress status gets a spinner glyph.

    Colours use plain names so they read on every theme: green for success, red for
    failure, yellow for work in progress.
    """
    label = one_line(status, "unknown", limit=40)
    kind = status_kind(status)
    if kind == "success":
        return Text(f"● {label}", style="green")
    if kind == "failure":
        return Text(f"✖ {label}", style="bold red")
    glyph = SPINNER[frame % len(SPINNER)] if frame is not None else "◌"
    return Text(f"{glyph} {label}", style="bold yellow")


def human_count(value: int | None) -> str:
    """7000000000 -> 7.0B, 335000000 -> 335M, 8192 -> 8.2K."""
    if value is None:
        return "-"
    for limit, suffix in ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K")):
        if value >= limit:
            scaled = value / limit
            return f"{scaled:.1f}{suffix}" if scaled < 100 else f"{scaled:.0f}{suffix}"
    return str(value)


def context_text(value: int | None) -> str:
    """32768 -> 32K, 131072 -> 128K (1024-based, as context windows are quoted)."""
    if value is None:
        return "-"
    if value >= 1024 and value % 1024 == 0:
        return f"{value // 1024}K"
    return f"{value:,}"


def date_text(epoch: int | float | None) -> str:
    if epoch is None:
        return "-"
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d")


def minute_text(epoch: int | float) -> str:
    """Local date and time to the minute (versions, stored completions)."""
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M")


def datetime_text(epoch: int | float | None) -> str:
    if epoch is None:
        return "-"
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")


def clock_text(epoch: float) -> str:
    """Time of day with milliseconds, for the request log."""
    stamp = datetime.fromtimestamp(epoch)
    return stamp.strftime("%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}"


def http_status_text(status: int | None) -> Text:
    if status is None:
        return Text("—", style="bold red")
    style = "green" if status < 300 else "yellow" if status < 400 else "bold red"
    return Text(str(status), style=style)


def or_unknown(format_value: Callable[[V], str], value: V) -> str:
    """`format_value(value)`, or `? (value)` when the value cannot be shown (a date out of
    range): the rest of the screen is still drawn."""
    try:
        return format_value(value)
    except (ValueError, OverflowError, OSError, TypeError):
        return f"? ({one_line(repr(value), limit=40)})"


def yes_no(value: bool | None) -> str:
    if value is None:
        return "-"
    return "yes" if value else "no"


def time_text(epoch: float) -> str:
    """Time of day to the second (the Jobs screen's status history)."""
    return datetime.fromtimestamp(epoch).strftime("%H:%M:%S")


def duration_text(seconds: float) -> str:
    """2.4 s, 42 s, 1 min 05 s, 1 h 02 min: how long a watch ran."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"
