"""A local emulator of the Xerotier API (real HTTP, SQLite). Never imports textual."""
