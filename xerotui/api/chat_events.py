"""ChatEvent: what :meth:`ChatSession.send` reports while an answer arrives.

Events are small and mergeable: text that arrived together comes as one :class:`TextDelta`,
so a UI can append it to a Markdown stream and update counters from the latest event only.
Every turn ends with exactly one of :class:`TurnDone`, :class:`TurnStopped` (Esc: the
partial answer is kept, marked stopped) or :class:`TurnFailed` (the answer, possibly
partial, is kept and marked incomplete; ``retryable`` and ``retry_after`` say whether and
when :meth:`ChatSession.retry` makes sense). :func:`failure_message` is the sentence shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from xerotui.api.chat_transcript import ChatEntry
from xerotui.api.errors import (
    AuthError,
    NotFoundError,
    RateLimitedError,
    StreamInterruptedError,
    XeroError,
)
from xerotui.api.schema import Usage

__all__ = [
    "ChatEvent",
    "FinishReason",
    "FirstToken",
    "TextDelta",
    "TurnDone",
    "TurnEnd",
    "TurnFailed",
    "TurnStopped",
    "UsageReport",
    "failure_message",
]


@dataclass(frozen=True, slots=True)
class TextDelta:
    """New text of the answer (everything that arrived since the previous event)."""

    text: str


@dataclass(frozen=True, slots=True)
class FirstToken:
    """The first text arrived ``seconds`` after sending (the spinner can stop)."""

    seconds: float


@dataclass(frozen=True, slots=True)
class FinishReason:
    reason: str  # "stop", "length", ...


@dataclass(frozen=True, slots=True)
class UsageReport:
    usage: Usage
    response_id: str | None


@dataclass(frozen=True, slots=True)
class TurnEnd:
    """The answer is final; ``entry`` is it, as kept in the session's history."""

    entry: ChatEntry


@dataclass(frozen=True, slots=True)
class TurnDone(TurnEnd):
    pass


@dataclass(frozen=True, slots=True)
class TurnStopped(TurnEnd):
    pass


@dataclass(frozen=True, slots=True)
class TurnFailed(TurnEnd):
    error: XeroError
    message: str
    retryable: bool
    retry_after: float | None = None


ChatEvent = (
    TextDelta | FirstToken | FinishReason | UsageReport | TurnDone | TurnStopped | TurnFailed
)


def failure_message(error: XeroError, endpoint: str, project: str, partial: bool) -> str:
    """One sentence that says what happened and what to do."""
    if isinstance(error, NotFoundError) and error.code == "endpoint_not_found":
        return (
            f"There is no endpoint {endpoint!r} in project {project} (404 endpoint_not_found). "
            "Check the slug: it is the endpoint's name in the chat URL."
        )
    if isinstance(error, RateLimitedError):
        wait = f"in {error.retry_after:g} s" if error.retry_after is not None else "shortly"
        return f"Rate limited by the server: the question can be sent again {wait}."
    if isinstance(error, StreamInterruptedError):
        kept = "The partial answer is kept; retry to ask again." if partial else "Retry to ask."
        return f"The answer was cut off: {error.message.rstrip('.')}. {kept}"
    if isinstance(error, AuthError):
        return f"{error.title}: {error.message}. Check the API key of this profile."
    return f"{error.title}: {error.message}"


def is_retryable(error: XeroError) -> bool:
    """Whether sending the same question again can succeed without changing anything."""
    return error.retryable or isinstance(error, StreamInterruptedError)
