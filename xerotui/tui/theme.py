"""The xerotier themes, registered beside Textual's own."""

from __future__ import annotations

from textual.theme import Theme

XEROTIER_DARK = Theme(
    name="xerotier-dark",
    primary="#8B7CFF",
    secondary="#38BDF8",
    accent="#F472B6",
    warning="#FBBF24",
    error="#F87171",
    success="#34D399",
    foreground="#E6E8EE",
    background="#0F1218",
    surface="#161B24",
    panel="#1E2533",
    dark=True,
)

XEROTIER_LIGHT = Theme(
    name="xerotier-light",
    primary="#5B4BDB",
    secondary="#0284C7",
    accent="#DB2777",
    warning="#B45309",
    error="#DC2626",
    success="#059669",
    foreground="#1F2430",
    background="#F7F8FA",
    surface="#FFFFFF",
    panel="#E9ECF2",
    dark=False,
)

THEMES = (XEROTIER_DARK, XEROTIER_LIGHT)
DEFAULT_THEME = XEROTIER_DARK.name
