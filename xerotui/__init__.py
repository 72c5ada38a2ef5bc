"""xerotui: a keyboard-driven terminal dashboard for Xerotier model management."""

__version__ = "0.1.0"
