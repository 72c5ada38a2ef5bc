"""`xeroctl chat`'s flag for each chat option: one table for the options' messages
(:mod:`xerotui.api.chat_options`) and for ``xerotui --chat`` (:mod:`xerotui.chat_flags`).
It imports nothing: the command line is parsed before pydantic is imported at start-up."""

from __future__ import annotations

XEROCTL_FLAGS: dict[str, str] = {
    "endpoint": "--endpoint",
    "model": "--model",
    "system": "--system",
    "system_file": "--from-file",
    "max_tokens": "--max-tokens",
    "temperature": "--temperature",
    "top_p": "--top-p",
    "frequency_penalty": "--frequency-penalty",
    "presence_penalty": "--presence-penalty",
    "seed": "--seed",
    "store": "--store",
    "show_usage": "--show-usage",
}
