"""The async service layer every screen calls. Never imports textual."""
