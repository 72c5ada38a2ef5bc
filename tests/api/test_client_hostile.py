"""Every failure of a public client method is a XeroError, whatever the arguments.

A table-driven fuzz against the sandbox: each public method is called with one argument at a
time replaced by a hostile value (lone surrogates, NUL and control characters, path tricks,
huge and negative integers, NaN and infinite floats in chat options, 1 MB of text, odd ids).
Each call must return normally or raise a XeroError subclass; values that cannot be sent at
all must raise InvalidRequestError (nothing sent) with a message naming the argument or field.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from xerotui.api.client import XeroClient
from xerotui.api.errors import InvalidRequestError, XeroError
from xerotui.api.schema import ChatMessage, ChatRequest, ModelUpdate
from xerotui.launcher import SandboxInfo

SURROGATE = "a\ud800b"
ODD_IDS: list[Any] = [
    "",
    ".",
    "..",
    "../proj_other/v1/models",
    "a/b",
    "%2e%2e",
    "?limit=1",
    "#x",
    "\x00",
    "line\nbreak",
    " ",
    SURROGATE,
    "\u202egnp.exe",
    "🦙",
    "x" * 100_000,
    0,
    -1,
]
ODD_INTS: list[Any] = [0, -1, 2**31, 2**63, 2**64, 10**30, 10**400, 10**5000, True]
ODD_FLOATS: list[Any] = [math.nan, math.inf, -math.inf, 1e308, -0.0, 5e-324, -1e300]
ODD_TEXT: list[Any] = ["", SURROGATE, "\x00\x1b[2J", "\ud83d", "é" * 10, "x" * 1_000_000]
# what the client must refuse itself (never sent), anywhere, and in a path segment
UNSENDABLE: list[Any] = [SURROGATE, "\ud83d", 10**400, 10**5000, math.nan, math.inf, -math.inf]
UNSENDABLE_IN_PATH: list[Any] = ["", ".", "..", "x" * 100_000]


def unsendable(value: Any, in_path: bool) -> bool:
    bad = UNSENDABLE + (UNSENDABLE_IN_PATH if in_path else [])
    return any(value is b or (type(value) is type(b) and value == b) for b in bad)


def ask(**changes: Any) -> ChatRequest:
    base = ChatRequest(messages=[ChatMessage(role="user", content="Say hi")], max_tokens=5)
    return base.model_copy(update=changes)


def chat_with(option: str) -> Callable[[XeroClient, str, Any], Awaitable[Any]]:
    """A call of chat_completion with `option` set to the value under test."""

    def call(client: XeroClient, _model_id: str, value: Any) -> Awaitable[Any]:
        return client.chat_completion("llama-chat", ask(**{option: value}))

    return call


def ask_with_content(content: Any) -> ChatRequest:
    return ask(messages=[ChatMessage.model_construct(role="user", content=content)])


async def stream(client: XeroClient, slug: str, request: ChatRequest) -> int:
    return len([chunk async for chunk in client.stream_chat(slug, request)])


async def first_page(client: XeroClient, page_size: int) -> None:
    async with contextlib.aclosing(client.iter_models(page_size=page_size)) as pages:
        async for _page in pages:
            return


@dataclass(frozen=True)
class Slot:
    """One argument of one method: the call with that argument replaced, and its values."""

    name: str
    call: Callable[[XeroClient, str, Any], Awaitable[Any]]  # (client, valid model id, value)
    values: list[Any]
    in_path: bool = False  # the value is a URL path segment


SLOTS = [
    Slot("list_models.limit", lambda c, m, v: c.list_models(limit=v), ODD_INTS + ODD_FLOATS),
    Slot("list_models.offset", lambda c, m, v: c.list_models(offset=v), ODD_INTS),
    Slot("iter_models.page_size", lambda c, m, v: first_page(c, v), [0, -1, 2**63]),
    Slot("get_model.id", lambda c, m, v: c.get_model(v), ODD_IDS, in_path=True),
    Slot(
        "update_model.id",
        lambda c, m, v: c.update_model(v, ModelUpdate(license="MIT")),
        ODD_IDS,
        in_path=True,
    ),
    Slot(
        "update_model.description",
        lambda c, m, v: c.update_model(m, ModelUpdate.model_construct(description=v)),
        ODD_TEXT,
    ),
    Slot(
        "update_model.context_length",
        lambda c, m, v: c.update_model(m, ModelUpdate.model_construct(context_length=v)),
        ODD_INTS + ODD_FLOATS,
    ),
    Slot("delete_model.id", lambda c, m, v: c.delete_model(v), ODD_IDS, in_path=True),
    Slot("revalidate_model.id", lambda c, m, v: c.revalidate_model(v), ODD_IDS, in_path=True),
    Slot("share_model.id", lambda c, m, v: c.share_model(v), ODD_IDS, in_path=True),
    Slot("unshare_model.id", lambda c, m, v: c.unshare_model(v), ODD_IDS, in_path=True),
    Slot("catalog_info.id", lambda c, m, v: c.catalog_info(v), ODD_IDS, in_path=True),
    Slot("list_versions.id", lambda c, m, v: c.list_versions(v), ODD_IDS, in_path=True),
    Slot("create_version.version", lambda c, m, v: c.create_version(m, v), ODD_IDS),
    Slot("create_version.notes", lambda c, m, v: c.create_version(m, "7.7.7", v), ODD_TEXT),
    Slot("promote_version.version", lambda c, m, v: c.promote_version(m, v), ODD_IDS, in_path=True),
    Slot(
        "rollback_version.version", lambda c, m, v: c.rollback_version(m, v), ODD_IDS, in_path=True
    ),
    Slot("probe_model.id", lambda c, m, v: c.probe_model(v), ODD_IDS, in_path=True),
    Slot("set_capabilities.item", lambda c, m, v: c.set_capabilities(m, [v]), ODD_TEXT),
    Slot(
        "set_capabilities.list",
        lambda c, m, v: c.set_capabilities(m, v),
        [[], ["x"] * 10_000, ["chat", "chat"]],
    ),
    Slot("recommendations.workspace", lambda c, m, v: c.recommendations(v), ODD_IDS, in_path=True),
    Slot(
        "chat_completion.slug", lambda c, m, v: c.chat_completion(v, ask()), ODD_IDS, in_path=True
    ),
    Slot(
        "chat_completion.content",
        lambda c, m, v: c.chat_completion("llama-chat", ask_with_content(v)),
        ODD_TEXT,
    ),
    *(
        Slot(
            f"chat_completion.{option}",
            chat_with(option),
            [*ODD_FLOATS, -5.0, 99.0],
        )
        for option in ("temperature", "top_p", "frequency_penalty", "presence_penalty")
    ),
    *(
        Slot(
            f"chat_completion.{option}",
            chat_with(option),
            [*ODD_INTS, math.nan],
        )
        for option in ("max_tokens", "seed")
    ),
    Slot(
        "chat_completion.stop",
        lambda c, m, v: c.chat_completion("llama-chat", ask(stop=v)),
        [*ODD_TEXT, [SURROGATE], ["x"] * 100],
    ),
    Slot("stream_chat.slug", lambda c, m, v: stream(c, v, ask()), ODD_IDS, in_path=True),
    Slot(
        "stream_chat.temperature",
        lambda c, m, v: stream(c, "llama-chat", ask(temperature=v)),
        ODD_FLOATS,
    ),
    Slot(
        "stream_chat.content",
        lambda c, m, v: stream(c, "llama-chat", ask_with_content(v)),
        ODD_TEXT,
    ),
    Slot(
        "list_stored_completions.after",
        lambda c, m, v: c.list_stored_completions("llama-chat", after=v),
        ODD_IDS,
    ),
    Slot(
        "list_stored_completions.limit",
        lambda c, m, v: c.list_stored_completions("llama-chat", limit=v),
        ODD_INTS + ODD_FLOATS,
    ),
    Slot(
        "list_stored_completions.order",
        lambda c, m, v: c.list_stored_completions("llama-chat", order=v),
        ODD_TEXT,
    ),
    Slot(
        "get_stored_completion.id",
        lambda c, m, v: c.get_stored_completion("llama-chat", v),
        ODD_IDS,
        in_path=True,
    ),
    Slot(
        "delete_stored_completion.id",
        lambda c, m, v: c.delete_stored_completion("llama-chat", v),
        ODD_IDS,
        in_path=True,
    ),
    Slot(
        "list_endpoint_models.slug",
        lambda c, m, v: c.list_endpoint_models(v),
        ODD_IDS,
        in_path=True,
    ),
]


def describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 40 else text[:37] + "..."


@pytest.mark.parametrize("slot", SLOTS, ids=[s.name for s in SLOTS])
async def test_hostile_arguments_end_in_a_xero_error_or_a_result(
    client: XeroClient, sandbox: SandboxInfo, slot: Slot
) -> None:
    model_id = sandbox.endpoints["qwen-coder"]
    problems: list[str] = []
    for value in slot.values:
        sent_before = len(client.log.records())
        try:
            await slot.call(client, model_id, value)
        except InvalidRequestError as exc:
            if not exc.message.startswith("The ") or len(client.log.records()) != sent_before:
                problems.append(f"{describe(value)}: refused as {exc.message!r} but logged")
        except XeroError as exc:
            if unsendable(value, slot.in_path):
                problems.append(f"{describe(value)}: sent ({type(exc).__name__}: {exc.message})")
        except BaseException as exc:  # the bug: anything else escapes the client
            problems.append(f"{describe(value)}: {type(exc).__name__}: {exc}")
        else:
            if unsendable(value, slot.in_path):
                problems.append(f"{describe(value)}: sent and answered")
    assert problems == []
    # the client still works afterwards
    assert (await client.get_model(model_id)).id == model_id


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda c: c.update_model("m", ModelUpdate(description=SURROGATE)),
            "The field 'description' contains a lone surrogate (U+D800 at position 1), "
            "which is not valid Unicode text.",
        ),
        (
            lambda c: c.chat_completion("s", ask(temperature=math.nan)),
            "The field 'temperature' is nan, which JSON cannot carry.",
        ),
        (
            lambda c: c.chat_completion("s", ask_with_content(SURROGATE)),
            "The field 'messages[0].content' contains a lone surrogate (U+D800 at position 1), "
            "which is not valid Unicode text.",
        ),
        (
            lambda c: c.update_model("m", ModelUpdate.model_construct(context_length=10**5000)),
            "The field 'context_length' is a number too large to send (over 1024 bits).",
        ),
        (
            lambda c: c.get_model(".."),
            "The model id is '..', which URLs treat as a directory step.",
        ),
        (lambda c: c.delete_model(""), "The model id is empty."),
        (
            lambda c: c.promote_version("m", SURROGATE),
            "The version contains a lone surrogate (U+D800 at position 1), which is not valid "
            "Unicode text.",
        ),
        (
            lambda c: c.list_stored_completions("s", after=SURROGATE),
            "The query parameter 'after' contains a lone surrogate (U+D800 at position 1), "
            "which is not valid Unicode text.",
        ),
        (
            lambda c: c.list_models(limit=math.inf),
            "The query parameter 'limit' is inf, which JSON cannot carry.",
        ),
        (
            lambda c: c.recommendations("w" * 2000),
            "The workspace id is 2,000 characters long (at most 1,024).",
        ),
    ],
)
async def test_what_cannot_be_sent_is_refused_in_words(
    client: XeroClient, call: Callable[[XeroClient], Awaitable[Any]], message: str
) -> None:
    with pytest.raises(InvalidRequestError) as info:
        await call(client)
    assert info.value.message == message
    assert str(info.value) == f"Cannot send this request: {message}"
    assert client.log.records() == []  # nothing went out


def test_the_plain_methods_raise_xero_errors_too(client: XeroClient) -> None:
    with pytest.raises(InvalidRequestError, match="endpoint slug"):
        client.chat_url(SURROGATE)
    with pytest.raises(InvalidRequestError, match="model id"):
        client.model_curl("..")
    with pytest.raises(InvalidRequestError, match="'n'"):
        client.curl("PATCH", "/v1/models/m", {"n": 10**5000})
    assert client.model_curl("a/b").endswith(
        "/models/a%2Fb?extended=true' -H 'Authorization: Bearer xero_proj_demo_••••-key'"
    )
    assert client.model_curl("a/b").startswith("curl 'http://127.0.0.1:")
