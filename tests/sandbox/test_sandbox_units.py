"""Pure pieces of the sandbox, without a server: formatting, tokens, faults, validation."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sandbox_helpers import FAILED_BROKEN, LLAMA, demo_id

from xerotui.api.units import size_formatted
from xerotui.sandbox.bodies import JsonBodyReader
from xerotui.sandbox.errors import ApiError
from xerotui.sandbox.faults import FaultError, Faults, parse_fault_spec
from xerotui.sandbox.generate import TextGenerator, count_tokens, tokenize, topic_of
from xerotui.sandbox.patch import PatchValidator
from xerotui.sandbox.prefix_cache import PrefixCache
from xerotui.sandbox.ratelimit import RateLimiter
from xerotui.sandbox.routes_versions import parse_semver
from xerotui.sandbox.state import SandboxState
from xerotui.sandbox.timings import Timings, check_timing
from xerotui.sandbox.worker import RevalidationPlan


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0.00 B"), (1023, "1023.00 B"), (1024, "1.00 KB"), (1536, "1.50 KB"),
     (5 * 1024**2, "5.00 MB"), (4294967296, "4.00 GB"), (3 * 1024**4, "3.00 TB"),
     (2048 * 1024**4, "2048.00 TB")],
)  # fmt: skip
def test_size_formatted(size: int, text: str) -> None:
    assert size_formatted(size) == text


def test_tokenize_round_trips_and_counts() -> None:
    text = TextGenerator().compose("How do I parse JSON in Rust?", "key")
    assert "".join(tokenize(text)) == text
    assert count_tokens(text) == len(tokenize(text)) > 50
    assert "```rust" in text
    assert topic_of("Please explain the Python GIL to me") == "python gil"
    assert topic_of("hi") == "your question"


def test_generator_is_deterministic_per_key() -> None:
    generator = TextGenerator()
    assert generator.compose("prompt", "a") == generator.compose("prompt", "a")
    variants = {generator.compose("prompt", key) for key in "abcdefgh"}
    assert len(variants) > 1


def test_parse_fault_spec() -> None:
    settings = parse_fault_spec("latency_ms=200, error_rate=0.1,probe_disabled,methods=get|patch")
    assert settings == {
        "latency_ms": 200,
        "error_rate": 0.1,
        "probe_disabled": True,
        "methods": ["GET", "PATCH"],
    }
    assert parse_fault_spec("") == {}
    for bad in ("latency_ms=abc", "nope=1", "error_rate=1.5", "latency_ms"):
        with pytest.raises(FaultError):
            parse_fault_spec(bad)


def test_fault_counters_and_filters() -> None:
    faults = Faults()
    faults.merge({"fail_next": 2, "methods": ["POST"], "path_contains": "/share"})
    assert not faults.matches("GET", "/p/v1/models/x/share")
    assert not faults.matches("POST", "/p/v1/models/x/unshares"[:-1] + "x")
    assert faults.matches("POST", "/p/v1/models/x/share")
    assert [faults.take_failure() for _ in range(3)] == [500, 500, None]
    with pytest.raises(FaultError):
        faults.merge({"fail_next": 1, "error_status": 99})
    assert faults.config.fail_next == 0  # nothing applied


def test_rate_limiter_windows() -> None:
    limiter = RateLimiter()
    start = 1_000_040.0  # 20 s into a minute
    decisions = [limiter.hit("k", 2, now=start + i) for i in range(3)]
    assert [d.retry_after for d in decisions] == [None, None, 38]
    assert [d.remaining for d in decisions] == [1, 0, 0]
    assert limiter.hit("other", 2, now=start).retry_after is None
    assert limiter.hit("k", 2, now=start + 60).retry_after is None  # next window
    assert limiter.hit("k", now=start).limit == 240


def test_prefix_cache() -> None:
    cache = PrefixCache()
    convo = [("system", "be brief"), ("user", "hi")]
    assert cache.cached_messages("ep", convo) == 0
    cache.remember("ep", convo)
    assert cache.cached_messages("ep", convo) == 2
    assert cache.cached_messages("ep", [("system", "be brief"), ("user", "other")]) == 1
    assert cache.cached_messages("other-ep", convo) == 0


def test_patch_validator_collects_known_fields() -> None:
    updates = PatchValidator().validate(
        {"description": "d", "quantization": "", "extra": 1, "license": None, "num_layers": 3}
    )
    assert updates == {"description": "d", "num_layers": 3}
    with pytest.raises(ApiError) as info:
        PatchValidator().validate({"pre_quantization_bits": 16})
    assert (info.value.status, info.value.code) == (400, "invalid_pre_quantization")


@pytest.mark.parametrize(
    ("text", "ok"),
    [("1.0.0", True), ("2.1.0-rc.1+build.5", True), ("v1.0.0", False), ("1.0", False),
     ("1.0.0 ", False), ("01.0.0", False), ("", False)],
)  # fmt: skip
def test_parse_semver(text: str, ok: bool) -> None:
    assert (parse_semver(text) is not None) is ok


def test_timings_merge_is_all_or_nothing() -> None:
    timings = Timings()
    assert timings.merge({"validation_seconds": 1, "tokens_per_second": 0}) == (
        "tokens_per_second",
        "tokens_per_second must be a number between 1 and 100000",
    )
    assert timings.validation_seconds == 3.0
    assert timings.merge({"first_token_ms": 10}) is None
    assert timings.first_token_ms == 10.0


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [("tokens_per_second", 1e-300, False), ("tokens_per_second", 1, True),
     ("tokens_per_second", 100_000, True), ("tokens_per_second", 100_001, False),
     ("validation_seconds", 0, True), ("validation_seconds", 86_400, True),
     ("validation_seconds", 86_401, False), ("first_token_ms", float("nan"), False),
     ("first_token_ms", True, False), ("first_token_ms", 60_000, True)],
)  # fmt: skip
def test_timing_ranges(name: str, value: float, ok: bool) -> None:
    assert (check_timing(name, value) is None) is ok


def test_the_answer_quotes_at_most_a_short_prefix_of_a_long_word() -> None:
    text = TextGenerator().compose("supercalifragilistic" * 50_000 + " rust", "k")
    assert count_tokens(text) < 400
    assert topic_of("x" * 10 + "y" * 1000) == "x" * 10 + "y" * 14


def test_min_tokens_extends_the_answer_deterministically() -> None:
    generator = TextGenerator()
    natural = generator.compose("hello there", "k")
    long = generator.compose("hello there", "k", min_tokens=4000)
    assert long.startswith(natural)
    assert count_tokens(natural) < 4000 <= count_tokens(long) < 4200
    assert generator.compose("hello there", "k", min_tokens=4000) == long


def test_json_reader_depth_bound_and_text_checks() -> None:
    reader = JsonBodyReader(max_depth=3)
    assert reader.read(b'{"a": {"b": {"c": 1}}}') == {"a": {"b": {"c": 1}}}
    with pytest.raises(ApiError) as info:
        reader.read(b'{"a": {"b": {"c": [1]}}}')
    assert (info.value.code, info.value.param) == ("invalid_body", None)
    with pytest.raises(ApiError) as info:
        reader.read(rb'{"a": [1, {"b": "\\ud800 is fine, \\udfff too", "c": "\udfff"}]}')
    assert (info.value.code, info.value.param) == ("invalid_value", "a.1.c")
    assert reader.read(rb'{"a": "\udfff"}', any_text=True) == {"a": "\udfff"}
    with pytest.raises(ApiError) as info:  # raw UTF-8 of a surrogate: json decodes it as one
        reader.read(b'{"ok": 1, "raw": "\xed\xa0\x80"}')
    assert (info.value.code, info.value.param) == ("invalid_value", "raw")
    assert reader.read(b"", required=False) == {}


def test_ten_thousand_synthetic_models_use_the_page_index(tmp_path: Path) -> None:
    state = SandboxState(tmp_path / "s.db", seed_models=10_000)
    try:
        assert state.models.count("proj_demo") == 10_043
        page = state.models.page("proj_demo", 100, 5000)
        assert len(page) == 100
        keys = [(-row["created"], row["id"]) for row in page]
        assert keys == sorted(keys)
        plan = state.db.all(
            "EXPLAIN QUERY PLAN SELECT * FROM models WHERE project = ? "
            "ORDER BY created DESC, id LIMIT 100 OFFSET 5000",
            ("proj_demo",),
        )
        assert "USING INDEX models_page" in " ".join(str(tuple(row)) for row in plan)
        assert "TEMP B-TREE" not in " ".join(str(tuple(row)) for row in plan)
    finally:
        state.close()
    again = SandboxState(tmp_path / "s.db", seed_models=10_000)
    try:
        assert again.models.count("proj_demo") == 10_043  # no duplicates on reopen
        assert again.db.is_new is False
    finally:
        again.close()


def pending_models(state: SandboxState) -> set[str]:
    return {row["model_id"] for row in state.db.all("SELECT model_id FROM jobs")}


def test_jobs_survive_a_reopen(tmp_path: Path) -> None:
    state = SandboxState(tmp_path / "j.db", timings=Timings(validation_seconds=600))
    seeded = pending_models(state)  # the seed's validating model has its job
    assert seeded == {demo_id("qwen3-30b-a3b")}
    assert state.worker.enqueue(LLAMA, 600)
    assert state.worker.enqueue(FAILED_BROKEN, 600)
    assert not state.worker.enqueue(LLAMA, 600)  # already validating
    state.close()
    reopened = SandboxState(tmp_path / "j.db")
    try:
        assert pending_models(reopened) == {*seeded, LLAMA, FAILED_BROKEN}
        assert reopened.worker.run_due(now=time.time()) == 0  # none due yet
        assert reopened.worker.run_due(now=time.time() + 601) == 3
        statuses = {
            mid: row["status"]
            for mid in (*seeded, LLAMA, FAILED_BROKEN)
            if (row := reopened.models.model_by_id(mid)) is not None
        }
        assert statuses == {**dict.fromkeys(seeded, "ready"), LLAMA: "ready",
                            FAILED_BROKEN: "failed"}  # fmt: skip
        assert reopened.worker.pending() == 0
    finally:
        reopened.close()


def status_in(state: SandboxState, mid: str) -> str:
    row = state.models.model_by_id(mid)
    assert row is not None
    return str(row["status"])


def test_revalidation_plans_for_the_next_and_the_pending_job(tmp_path: Path) -> None:
    state = SandboxState(tmp_path / "p.db", timings=Timings(validation_seconds=600))
    try:
        worker = state.worker
        assert worker.plan(LLAMA, RevalidationPlan("invalid", 5)) == "next"
        started = time.time()
        assert worker.enqueue(LLAMA, 600)
        due = state.db.scalar("SELECT due FROM jobs WHERE model_id = ?", (LLAMA,))
        assert started + 5 <= due <= time.time() + 5  # the plan's 5 s, not the 600 s
        assert worker.run_due(now=due) == 1
        assert status_in(state, LLAMA) == "invalid"
        assert worker.enqueue(LLAMA, 600)  # the plan was used up
        assert worker.plan(LLAMA, RevalidationPlan("failed")) == "pending"
        assert worker.run_due(now=time.time() + 601) == 2  # and the seed's validating model
        assert status_in(state, LLAMA) == "failed"
    finally:
        state.close()
