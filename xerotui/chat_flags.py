"""`xerotui --chat SLUG [xeroctl chat options]`: open the dashboard with the chat pane on
that endpoint, the options preset — checked exactly as the pane's options panel checks them
(``ChatOptions.parse``), before anything starts.

The flags are `xeroctl chat`'s: ``--model --system --from-file --max-tokens --temperature
--top-p --frequency-penalty --presence-penalty --seed --store --show-usage``. A bad value
ends the command line like any argparse error, naming the flag:
``xerotui: error: argument --temperature: temperature must be between 0.0 and 2.0 (got 3)``.
Nothing heavy is imported unless a chat flag is given: the command line is parsed before
the start-up prefetch begins, and pydantic alone would delay it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from xerotui.api.chat_flag_names import XEROCTL_FLAGS

if TYPE_CHECKING:
    from xerotui.api.chat_options import ChatOptions

__all__ = ["FLAGS", "add_chat_flags", "chat_options"]

# xeroctl chat's flags, by ChatOptions field; here the endpoint is --chat.
FLAGS: dict[str, str] = {**XEROCTL_FLAGS, "endpoint": "--chat"}

# Option field -> (flag, help); the values are checked by ChatOptions, so all are text here.
VALUED: tuple[tuple[str, str], ...] = (
    ("model", "model name, shown in the status bar (informational: the endpoint decides)"),
    ("system", "system message"),
    ("system_file", "read the system prompt from a file (wins over --system)"),
    ("max_tokens", "maximum tokens to generate (default 4096)"),
    ("temperature", "sampling temperature, 0.0 to 2.0"),
    ("top_p", "nucleus sampling threshold, 0.0 to 1.0"),
    ("frequency_penalty", "frequency penalty, -2.0 to 2.0"),
    ("presence_penalty", "presence penalty, -2.0 to 2.0"),
    ("seed", "random seed for reproducible output"),
)
SWITCHES: tuple[tuple[str, str], ...] = (
    ("store", "ask the server to store each completion"),
    ("show_usage", "show token usage and the response id after each answer"),
)


def add_chat_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "chat", "open the chat pane on an endpoint (as `xeroctl chat --interactive`)"
    )
    group.add_argument(
        "--chat", metavar="SLUG", dest="chat_endpoint", help="endpoint slug to chat with"
    )
    for field, text in VALUED:
        metavar = "PATH" if field == "system_file" else field.split("_")[-1].upper()
        group.add_argument(FLAGS[field], dest=f"chat_{field}", metavar=metavar, help=text)
    for field, text in SWITCHES:
        group.add_argument(FLAGS[field], dest=f"chat_{field}", action="store_true", help=text)


def chat_options(args: argparse.Namespace, parser: argparse.ArgumentParser) -> ChatOptions | None:
    """The pane's options from the command line; None without ``--chat``. A bad value (or
    a chat flag without ``--chat``) is an argparse error (exit code 2)."""
    values: dict[str, Any] = {}
    for field, _ in (*VALUED, *SWITCHES):
        value = getattr(args, f"chat_{field}", None)
        if value is not None and value is not False:
            values[field] = value
    endpoint = getattr(args, "chat_endpoint", None)
    if endpoint is None:
        if values:
            first = next(iter(values))
            parser.error(f"argument {FLAGS[first]}: needs --chat SLUG (the endpoint)")
        return None
    from xerotui.api.chat_options import ChatOptions, ChatOptionsError

    try:
        options = ChatOptions.parse(values, endpoint=endpoint)
        options.system_prompt()  # a --from-file that cannot be read fails now
    except ChatOptionsError as exc:
        parser.error("; ".join(f"argument {FLAGS[k]}: {m}" for k, m in exc.problems.items()))
    return options
