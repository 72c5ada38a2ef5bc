"""The filter language of the models table (xerotui/api/model_query.py) and ModelInventory.view."""

from __future__ import annotations

import re
from typing import Any

import pytest

from xerotui.api.inventory import ModelInventory
from xerotui.api.model_query import QueryError, parse, parse_size, split
from xerotui.api.schema import Model

GB = 1024**3


def model(mid: str, **fields: Any) -> Model:
    base: dict[str, Any] = {"id": mid, "created": 1_700_000_000, "owned_by": "proj_demo"}
    return Model.model_validate(base | fields)


MODELS = [
    model(
        "m1",
        name="qwen2.5-7b-instruct",
        status="ready",
        format="safetensors",
        quantization="awq",
        architecture="Qwen2ForCausalLM",
        size_bytes=15 * GB,
        is_shared=True,
        version="1.0.0",
    ),
    model(
        "m2",
        name="llama-3.1-8b-gguf",
        status="failed",
        format="gguf",
        quantization="gguf",
        architecture="LlamaForCausalLM",
        size_bytes=5 * GB,
        is_shared=False,
        version="2.1.0",
    ),
    model(
        "m3",
        name="Mistral-7B",
        status="error",
        format="safetensors",
        quantization="native",
        size_formatted="10.00 GB",  # no size_bytes: the formatted size is read
    ),
    model("m4", name="tiny", status="validating", size_bytes=512, is_shared=None),
]


def ids(text: str) -> list[str]:
    inventory = ModelInventory()
    inventory.replace(MODELS)
    return [m.id for m in inventory.view(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["m1", "m2", "m3", "m4"]),
        ("   ", ["m1", "m2", "m3", "m4"]),
        ("QWEN", ["m1"]),  # a word: any case, in name/id/architecture/status/quantization
        ("forcausallm", ["m1", "m2"]),
        ("status:failed", ["m2"]),
        ("status:FAILED,error", ["m2", "m3"]),  # either value
        ("status:fail", []),  # exact: a prefix is not the status
        ("format:gguf", ["m2"]),
        ("quant:awq", ["m1"]),
        ("quantization:awq", ["m1"]),
        ("arch:llama", ["m2"]),  # contains
        ("name:7b", ["m1", "m3"]),
        ("version:2.1.0", ["m2"]),
        ("shared:yes", ["m1"]),
        ("shared:no", ["m2", "m3", "m4"]),  # unknown counts as not shared
        ("size>10GB", ["m1"]),
        ("size>=10GB", ["m1", "m3"]),
        ("size<10gb", ["m2", "m4"]),
        ("size<=5GB", ["m2", "m4"]),
        ("size=512", ["m4"]),
        ("size>1.5G", ["m1", "m2", "m3"]),
        ("size<1KB", ["m4"]),
        ("format:safetensors size>12GB", ["m1"]),  # several terms: all of them
        ("7b status:error", ["m3"]),
        ("llama qwen", []),
        ('"llama-3.1"', ["m2"]),
        ('"7b', ["m1", "m3"]),  # a quote still being typed
    ],
)
def test_terms(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("size>lots", "“lots” is not a size"),
        ("size>", "a size is missing"),
        ("size:10GB", "compare sizes with >"),
        ("size>10PB", "is not a size"),
        ("size>" + "9" * 400, "is not a size"),  # float('9'*400) is inf: no OverflowError
        ("color:red", "unknown field “color”"),
        ("qwen color:red", "unknown field"),
        ("status:", "a value is missing, e.g. status:failed"),
        ("status:,", "a value is missing"),
        ("name>x", "only size compares with >"),
        ("shared:maybe", "shared:yes or shared:no"),
    ],
)
def test_bad_terms_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse(text)


def test_an_unknown_field_suggests_quotes_for_text_with_a_colon() -> None:
    with pytest.raises(QueryError) as raised:
        parse("mistral:7b")
    assert '"mistral:7b"' in str(raised.value)
    assert parse('"mistral:7b"').words == ("mistral:7b",)
    assert parse("llama3:8b").words == ("llama3:8b",)  # a field name is letters only


def test_split_keeps_quoted_terms() -> None:
    assert split('a  "b c" d:e "') == [("a", False), ("b c", True), ("d:e", False)]


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("300", 300),
        ("1KB", 1024),
        ("1.5 gb", int(1.5 * GB)),
        ("2GiB", 2 * GB),
        ("1T", 1024**4),
        (".5MB", 512 * 1024),
    ],
)
def test_sizes_are_1024_based_like_size_formatted(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "GB", "1 XB", "-1GB", "1e3", "ten", "9" * 400 + "GB"])
def test_sizes_that_are_not(text: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(text)}$"):  # the text itself
        parse_size(text)


def test_a_parsed_query_equals_its_text_and_sorts_still_apply() -> None:
    assert parse("status:failed qwen") == parse("status:failed qwen")
    assert parse("").empty
    inventory = ModelInventory()
    inventory.replace(MODELS)
    by_size = [m.id for m in inventory.view(parse("status:ready,failed,error"), "size", True)]
    assert by_size == ["m1", "m2", "m3"]  # m3 has no size_bytes: sorts as 0
