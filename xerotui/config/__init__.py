"""Paths, profiles and settings. Never imports textual."""
