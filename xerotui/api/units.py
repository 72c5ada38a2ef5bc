"""How sizes are written on the wire and on screen: `size_formatted` (design.md section 4)."""

from __future__ import annotations

UNITS = ("B", "KB", "MB", "GB", "TB")


def size_formatted(size: int) -> str:
    """1024-based, two decimals: 4294967296 -> '4.00 GB' (the server's `size_formatted`)."""
    value = float(size)
    unit = 0
    while value >= 1024 and unit < len(UNITS) - 1:
        value /= 1024
        unit += 1
    return f"{value:.2f} {UNITS[unit]}"
