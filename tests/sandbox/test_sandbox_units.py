"""Pure pieces of the sandbox, without a server: formatting, tokens, faults, validation."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from xerotui.api.units import size_formatted
from xerotui.sandbox.errors import ApiError
from xerotui.sandbox.faults import FaultError, Faults, parse_fault_spec
from xerotui.sandbox.generate import TextGenerator, count_tokens, tokenize, topic_of
from xerotui.sandbox.patch import PatchValidator
from xerotui.sandbox.prefix_cache import PrefixCache
from xerotui.sandbox.ratelimit import RateLimiter
from xerotui.sandbox.routes_versions import parse_semver
from xerotui.sandbox.state import SandboxState
from xerotui.sandbox.timings import Timings


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
        "tokens_per_second must be greater than 0",
    )
    assert timings.validation_seconds == 3.0
    assert timings.merge({"first_token_ms": 10}) is None
    assert timings.first_token_ms == 10.0


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


def test_jobs_survive_a_reopen(tmp_path: Path) -> None:
    state = SandboxState(tmp_path / "j.db", timings=Timings(validation_seconds=0.0))
    mid = state.models.page("proj_demo", 1, 0)[0]["id"]
    assert state.worker.enqueue(mid, 0.0)
    assert not state.worker.enqueue(mid, 0.0)  # already validating
    state.close()
    reopened = SandboxState(tmp_path / "j.db")
    try:
        assert reopened.worker.pending() >= 1
        time.sleep(0.01)
        assert reopened.worker.run_due() >= 1
        row = reopened.models.model_by_id(mid)
        assert row is not None
        assert row["status"] in ("ready", "failed", "invalid")
    finally:
        reopened.close()
