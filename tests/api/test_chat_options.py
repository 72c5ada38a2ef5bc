"""ChatOptions: every option of `xeroctl chat`, checked before anything is sent, with
messages that name the option (for the pane's form and for the command-line flags)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from xerotui.api.chat_options import FLAGS, LABELS, ChatOptions, ChatOptionsError
from xerotui.api.schema import ChatMessage


def problems(**values: Any) -> dict[str, str]:
    with pytest.raises(ChatOptionsError) as info:
        ChatOptions.parse(values)
    return info.value.problems


def test_defaults_follow_interactive_mode() -> None:
    options = ChatOptions.parse(endpoint="my-endpoint")
    assert options.stream is True
    assert (options.store, options.show_usage) == (False, False)
    assert options.max_tokens is None
    assert options.effective_max_tokens == 4096
    assert options.system_prompt() is None
    body = options.request([ChatMessage(role="user", content="hi")]).wire()
    assert body == {
        "model": "default",
        "messages": [{"role": "user", "content": "hi"}],
        "max_tokens": 4096,
    }


def test_typed_text_is_accepted_like_flags() -> None:
    options = ChatOptions.parse(
        endpoint=" my-endpoint ",
        model="llama-3",
        max_tokens="200",
        temperature="0.9",
        top_p="0.95",
        frequency_penalty="-2",
        presence_penalty="2.0",
        seed="42",
        store="yes",
        show_usage="true",
        stream="off",
        system="",
    )
    assert options.endpoint == "my-endpoint"
    assert (options.max_tokens, options.temperature, options.top_p) == (200, 0.9, 0.95)
    assert (options.frequency_penalty, options.presence_penalty) == (-2.0, 2.0)
    assert (options.seed, options.store, options.show_usage, options.stream) == (
        42,
        True,
        True,
        False,
    )
    assert options.system is None  # an empty field is no system prompt
    assert ChatOptions.parse(endpoint="e", temperature="", seed=" ").temperature is None


@pytest.mark.parametrize(
    ("values", "option", "message"),
    [
        ({"temperature": 3}, "temperature", "temperature must be between 0.0 and 2.0 (got 3)"),
        (
            {"temperature": "2.5"},
            "temperature",
            "temperature must be between 0.0 and 2.0 (got 2.5)",
        ),
        ({"temperature": "hot"}, "temperature", "temperature must be a number (got 'hot')"),
        ({"temperature": "nan"}, "temperature", "temperature must be a number (got 'nan')"),
        ({"top_p": 1.5}, "top_p", "top-p must be between 0.0 and 1.0 (got 1.5)"),
        ({"top_p": -0.1}, "top_p", "top-p must be between 0.0 and 1.0 (got -0.1)"),
        (
            {"frequency_penalty": "-2.5"},
            "frequency_penalty",
            "frequency penalty must be between -2.0 and 2.0 (got -2.5)",
        ),
        (
            {"presence_penalty": 3},
            "presence_penalty",
            "presence penalty must be between -2.0 and 2.0 (got 3)",
        ),
        ({"max_tokens": 0}, "max_tokens", "max tokens must be at least 1 (got 0)"),
        ({"max_tokens": "-5"}, "max_tokens", "max tokens must be at least 1 (got -5)"),
        ({"max_tokens": "lots"}, "max_tokens", "max tokens must be a whole number (got 'lots')"),
        ({"max_tokens": 2.5}, "max_tokens", "max tokens must be a whole number (got 2.5)"),
        ({"seed": "1.5"}, "seed", "seed must be a whole number (got '1.5')"),
        ({"seed": True}, "seed", "seed must be a whole number (got True)"),
        ({"seed": 2**64}, "seed", f"seed must fit in 64 bits (got {2**64})"),
        ({"store": "maybe"}, "store", "store must be true or false (got 'maybe')"),
        ({"stream": 2}, "stream", "stream must be true or false (got 2)"),
        ({"model": 5}, "model", "model must be text (got 5)"),
        ({"bogus": 1}, "bogus", "unknown option 'bogus'"),
    ],
)
def test_out_of_range_values_name_the_option(
    values: dict[str, Any], option: str, message: str
) -> None:
    assert problems(endpoint="e", **values) == {option: message}


@pytest.mark.parametrize(
    ("endpoint", "message"),
    [
        (None, "endpoint is required (the slug of the endpoint to chat with)"),
        ("  ", "endpoint is required (the slug of the endpoint to chat with)"),
        ("my endpoint", "(got 'my endpoint')"),
        ("a/b", "(got 'a/b')"),
        ("..", "(got '..')"),
        ("-x", "(got '-x')"),
        ("x" * 129, "up to 128 characters"),
    ],
)
def test_the_endpoint_is_one_path_segment(endpoint: str | None, message: str) -> None:
    got = problems() if endpoint is None else problems(endpoint=endpoint)
    assert set(got) == {"endpoint"}
    assert message in got["endpoint"]
    assert got["endpoint"].startswith("endpoint ")


def test_every_problem_is_reported_at_once() -> None:
    error = None
    try:
        ChatOptions.parse(endpoint="ok", temperature=9, top_p=9, max_tokens=0)
    except ChatOptionsError as exc:
        error = exc
    assert error is not None
    assert set(error.problems) == {"temperature", "top_p", "max_tokens"}
    assert error.option == "max_tokens"  # the first, in field order
    assert str(error) == "; ".join(error.problems.values())


def test_every_option_has_a_label_and_a_flag() -> None:
    assert set(LABELS) == set(FLAGS) == set(ChatOptions.model_fields)
    assert FLAGS["system_file"] == "--from-file"
    assert FLAGS["max_tokens"] == "--max-tokens"


def test_replace_validates() -> None:
    options = ChatOptions.parse(endpoint="e", temperature=1)
    assert options.replace(top_p="0.5").top_p == 0.5
    assert options.replace(top_p="0.5").temperature == 1
    with pytest.raises(ChatOptionsError, match=r"top-p must be between 0\.0 and 1\.0 \(got 7\)"):
        options.replace(top_p=7)


def test_the_system_prompt_file_wins_over_the_text(tmp_path: Path) -> None:
    persona = tmp_path / "persona.txt"
    persona.write_text("You are a SQL expert.\n\n", encoding="utf-8")
    options = ChatOptions.parse(endpoint="e", system="Be brief.", system_file=str(persona))
    assert options.system_prompt() == "You are a SQL expert."
    assert ChatOptions.parse(endpoint="e", system="Be brief.").system_prompt() == "Be brief."


def test_system_prompt_file_problems(tmp_path: Path) -> None:
    def error_for(path: Path) -> str:
        options = ChatOptions.parse(endpoint="e", system_file=str(path))
        with pytest.raises(ChatOptionsError) as info:
            options.system_prompt()
        assert info.value.option == "system_file"
        return str(info.value)

    missing = tmp_path / "missing.txt"
    assert error_for(missing) == (
        f"cannot read the system prompt file '{missing}': No such file or directory"
    )
    assert error_for(tmp_path).startswith("cannot read the system prompt file")  # a directory
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n", encoding="utf-8")
    assert error_for(empty) == f"the system prompt file '{empty}' is empty"
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\xff\xfe\x00junk")
    assert error_for(binary) == f"the system prompt file '{binary}' is not UTF-8 text"
    huge = tmp_path / "huge.txt"
    huge.write_text("x" * (256 * 1024 + 1), encoding="utf-8")
    assert error_for(huge) == f"the system prompt file '{huge}' is larger than 256 KB"


def test_home_is_expanded_in_the_system_prompt_file(tmp_path: Path) -> None:
    home = Path.home()  # the test's own temporary HOME
    (home / "persona.txt").write_text("Terse.", encoding="utf-8")
    assert ChatOptions.parse(endpoint="e", system_file="~/persona.txt").system_prompt() == "Terse."
