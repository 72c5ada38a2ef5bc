"""ChatOptions: what `xeroctl chat` lets you set, checked before anything is sent.

One validation for both the chat pane's options form and the command-line flags
(`--max-tokens` ...): :meth:`ChatOptions.parse` takes typed values or the text a person typed
and raises :class:`ChatOptionsError` with one message per bad option, each naming the option
(``temperature must be between 0.0 and 2.0 (got 3)``), so a form can put it on the field and
a command line can print it after the flag (:data:`FLAGS`).

Defaults follow the seed's interactive mode: ``max_tokens`` 4096 when unset, streaming on.
The system prompt comes from a file when one is given (the file wins over the text, as
documented); it is read by :meth:`ChatOptions.system_prompt`, whose read errors are
ChatOptionsError too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from xerotui.api.chat_flag_names import XEROCTL_FLAGS
from xerotui.api.schema import ChatMessage, ChatRequest

__all__ = ["DEFAULT_MAX_TOKENS", "FLAGS", "LABELS", "ChatOptions", "ChatOptionsError"]

DEFAULT_MAX_TOKENS = 4096  # "Defaults to 4096 in interactive mode when not specified."
SYSTEM_FILE_MAX_BYTES = 256 * 1024
SEED_MIN, SEED_MAX = -(2**63), 2**63 - 1
ENDPOINT_REQUIRED = "is required (the slug of the endpoint to chat with)"
SLUG_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,127}")

# How each option is named to a person (messages) and on the command line.
LABELS: dict[str, str] = {
    "endpoint": "endpoint",
    "model": "model",
    "system": "system prompt",
    "system_file": "system prompt file",
    "max_tokens": "max tokens",
    "temperature": "temperature",
    "top_p": "top-p",
    "frequency_penalty": "frequency penalty",
    "presence_penalty": "presence penalty",
    "seed": "seed",
    "store": "store",
    "show_usage": "show usage",
    "stream": "stream",
}
FLAGS: dict[str, str] = {**XEROCTL_FLAGS, "stream": "--stream"}
RANGES: dict[str, tuple[float, float]] = {
    "temperature": (0.0, 2.0),
    "top_p": (0.0, 1.0),
    "frequency_penalty": (-2.0, 2.0),
    "presence_penalty": (-2.0, 2.0),
}
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class ChatOptionsError(ValueError):
    """One or more bad options. ``problems`` maps the option (field name) to its message."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(self.problems.values()))

    @property
    def option(self) -> str:
        """The first bad option (field name)."""
        return next(iter(self.problems))


def _problem(field: str, reason: str) -> PydanticCustomError:
    return PydanticCustomError("chat_option", "{message}", {"message": f"{LABELS[field]} {reason}"})


def _shown(value: Any) -> str:
    """A number as the person typed it (text unquoted, other values as Python shows them)."""
    return value.strip() if isinstance(value, str) else repr(value)


def _quoted(value: Any) -> str:
    """Something that is not what was asked for, quoted when it is text."""
    return repr(value.strip()) if isinstance(value, str) else repr(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class ChatOptions(BaseModel):
    """The chat settings of one pane (or one `xerotui --chat` command line)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    endpoint: str
    model: str | None = None
    system: str | None = None
    system_file: str | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None
    seed: int | None = None
    store: bool = False
    show_usage: bool = False
    stream: bool = True

    @classmethod
    def parse(cls, values: Mapping[str, Any] | None = None, /, **more: Any) -> ChatOptions:
        """Options from typed values or typed-in text; ChatOptionsError lists every problem."""
        data = {**(values or {}), **more}
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems: dict[str, str] = {}
            for error in exc.errors():
                field = str(error["loc"][0]) if error["loc"] else "options"
                if error["type"] == "missing" and field == "endpoint":
                    message = f"endpoint {ENDPOINT_REQUIRED}"
                elif error["type"] == "extra_forbidden":
                    message = f"unknown option {field!r}"
                else:
                    message = error["msg"]
                problems.setdefault(field, message)
            raise ChatOptionsError(problems) from None

    def replace(self, **changes: Any) -> ChatOptions:
        """A copy with some options changed, validated like :meth:`parse`."""
        return ChatOptions.parse(self.model_dump(), **changes)

    # ------------------------------------------------------------------ validation

    @field_validator("endpoint", mode="before")
    @classmethod
    def _slug(cls, value: Any) -> str:
        if _blank(value):
            raise _problem("endpoint", ENDPOINT_REQUIRED)
        if not isinstance(value, str):
            raise _problem("endpoint", f"must be text (got {_quoted(value)})")
        slug = value.strip()
        if not SLUG_RE.fullmatch(slug):
            raise _problem(
                "endpoint",
                "must be one URL path segment of letters, digits and - _ . ~ "
                f"(up to 128 characters) (got {slug!r})",
            )
        return slug

    @field_validator("model", "system", "system_file", mode="before")
    @classmethod
    def _text(cls, value: Any, info: Any) -> str | None:
        if _blank(value):
            return None
        if not isinstance(value, str):
            raise _problem(info.field_name, f"must be text (got {_quoted(value)})")
        text = value.strip() if info.field_name != "system" else value.strip("\n")
        if info.field_name == "model" and not text.isprintable():
            raise _problem("model", f"must be printable text (got {text!r})")
        return text

    @field_validator("max_tokens", "seed", mode="before")
    @classmethod
    def _whole(cls, value: Any, info: Any) -> int | None:
        field = info.field_name
        if _blank(value):
            return None
        number = _as_int(value)
        if number is None:
            raise _problem(field, f"must be a whole number (got {_quoted(value)})")
        if field == "max_tokens" and number < 1:
            raise _problem(field, f"must be at least 1 (got {_shown(value)})")
        if field == "seed" and not SEED_MIN <= number <= SEED_MAX:
            raise _problem(field, f"must fit in 64 bits (got {_shown(value)})")
        return number

    @field_validator("temperature", "top_p", "frequency_penalty", "presence_penalty", mode="before")
    @classmethod
    def _ranged(cls, value: Any, info: Any) -> float | None:
        field = info.field_name
        if _blank(value):
            return None
        number = _as_float(value)
        if number is None or not math.isfinite(number):
            raise _problem(field, f"must be a number (got {_quoted(value)})")
        low, high = RANGES[field]
        if not low <= number <= high:
            raise _problem(field, f"must be between {low} and {high} (got {_shown(value)})")
        return number

    @field_validator("store", "show_usage", "stream", mode="before")
    @classmethod
    def _flag(cls, value: Any, info: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise _problem(info.field_name, f"must be true or false (got {_quoted(value)})")

    # ------------------------------------------------------------------ use

    @property
    def effective_max_tokens(self) -> int:
        return self.max_tokens if self.max_tokens is not None else DEFAULT_MAX_TOKENS

    def system_prompt(self) -> str | None:
        """The system prompt: the file's text when a file is set (it wins), else the text.

        Raises ChatOptionsError (on ``system_file``) when the file cannot be used.
        """
        if self.system_file is None:
            return self.system
        path = Path(self.system_file).expanduser()
        where = f"the system prompt file {str(path)!r}"
        try:
            with path.open("rb") as handle:
                data = handle.read(SYSTEM_FILE_MAX_BYTES + 1)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise ChatOptionsError({"system_file": f"cannot read {where}: {reason}"}) from None
        if len(data) > SYSTEM_FILE_MAX_BYTES:
            limit = SYSTEM_FILE_MAX_BYTES // 1024
            raise ChatOptionsError({"system_file": f"{where} is larger than {limit} KB"})
        try:
            text = data.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise ChatOptionsError({"system_file": f"{where} is not UTF-8 text"}) from None
        if not text:
            raise ChatOptionsError({"system_file": f"{where} is empty"})
        return text

    def request(self, messages: list[ChatMessage]) -> ChatRequest:
        """The chat-completions body for these options and messages (unset options left out)."""
        fields: dict[str, Any] = {
            "messages": messages,
            "max_tokens": self.effective_max_tokens,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "frequency_penalty": self.frequency_penalty,
            "presence_penalty": self.presence_penalty,
            "seed": self.seed,
            "store": True if self.store else None,
        }
        if self.model:
            fields["model"] = self.model
        return ChatRequest(**fields)


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
    return None


def _as_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None
