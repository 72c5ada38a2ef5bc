"""Pure parts of the client: base URL parsing, odd error bodies, Retry-After, retry policy.

httpx.MockTransport appears here only for bodies the sandbox never sends (a proxy's HTML 502
page, non-JSON 2xx answers, shapes that break the schema, a key echoed back, streams that end
without [DONE] or carry malformed events); everything else talks to the sandbox in the other
test modules.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from key_leaks import assert_no_secret_run

from xerotui.api.client import XeroClient
from xerotui.api.errors import (
    AuthError,
    ConflictError,
    ConnectionFailedError,
    NotFoundError,
    NotImplementedByServerError,
    PermissionDeniedError,
    ProjectMismatchError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    StreamInterruptedError,
    UnexpectedResponseError,
    ValidationError,
    XeroError,
    error_class,
)
from xerotui.api.failures import error_from_response, retry_after_seconds, snippet
from xerotui.api.requestlog import RequestLog
from xerotui.api.retry import RetryPolicy
from xerotui.api.schema import ChatMessage, ChatRequest
from xerotui.api.urls import split_base_url

BASE = "http://127.0.0.1:9/proj_demo/v1"
KEY = "xero_proj_demo_sandbox-member-key"

NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n"
    "</body>\r\n</html>\r\n"
)


def mock_client(
    handler: Callable[[httpx.Request], httpx.Response], **kw: object
) -> tuple[XeroClient, list[float]]:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    client = XeroClient(
        BASE,
        KEY,
        transport=httpx.MockTransport(handler),
        sleep=sleep,
        **kw,  # type: ignore[arg-type]
    )
    return client, slept


# ---------------------------------------------------------------- base URL


@pytest.mark.parametrize(
    ("url", "root", "project"),
    [
        ("https://api.xerotier.ai/proj_ABC123/v1", "https://api.xerotier.ai", "proj_ABC123"),
        ("https://api.xerotier.ai/proj_ABC123/v1/", "https://api.xerotier.ai", "proj_ABC123"),
        ("http://127.0.0.1:8000/ws_0123abcd/v1", "http://127.0.0.1:8000", "ws_0123abcd"),
        (
            "https://gw.example.com/xt/api/acme-prod/v1",
            "https://gw.example.com/xt/api",
            "acme-prod",
        ),
    ],
)
def test_split_base_url(url: str, root: str, project: str) -> None:
    assert split_base_url(url) == (root, project)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("api.xerotier.ai/proj_ABC123/v1", "http"),
        ("ftp://api.xerotier.ai/proj_ABC123/v1", "http"),
        ("https://api.xerotier.ai/v1", "/{project}/v1"),
        ("https://api.xerotier.ai/proj_ABC123", "/{project}/v1"),
        ("https://api.xerotier.ai/proj_ABC123/v2", "/{project}/v1"),
        ("https://api.xerotier.ai/proj_ABC123/v1?x=1", "query"),
        ("https://user:pw@api.xerotier.ai/proj_ABC123/v1", "credentials"),
    ],
)
def test_bad_base_url_is_a_clear_value_error(url: str, why: str) -> None:
    with pytest.raises(ValueError, match="base URL must look like") as info:
        XeroClient(url, KEY)
    assert why in str(info.value)
    assert "proj_ABC123/v1" in str(info.value)  # shows the expected shape


async def test_client_properties() -> None:
    async with XeroClient("https://gw.example.com/xt/acme/v1/", KEY) as client:
        assert client.base_url == "https://gw.example.com/xt/acme/v1"
        assert client.root == "https://gw.example.com/xt"
        assert client.project == "acme"
        assert client.api_key_masked == "xero_proj_demo_••••-key"
        assert isinstance(client.log, RequestLog)
        assert (
            client.chat_url("my-ep") == "https://gw.example.com/xt/acme/my-ep/v1/chat/completions"
        )


def test_key_that_cannot_be_a_header_is_refused() -> None:
    with pytest.raises(ValueError, match="API key"):
        XeroClient(BASE, "xero_proj_demo_caf\u00e9")


async def test_curl_masks_the_key() -> None:
    async with XeroClient(BASE, KEY) as client:
        curl = client.curl("PATCH", "/v1/models/m1", {"description": "it's"})
        assert KEY not in curl
        assert "xero_proj_demo_••••-key" in curl
        assert "-X PATCH" in curl
        assert f"{BASE}/models/m1" in curl
        assert KEY in client.curl("GET", "/v1/models", reveal=True)


# ---------------------------------------------------------------- odd error bodies


async def test_html_502_page_becomes_a_server_error_with_a_readable_message() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(502, text=NGINX_502, headers={"Content-Type": "text/html"})

    client, slept = mock_client(handler, max_attempts=2)
    async with client:
        with pytest.raises(ServerError) as info:
            await client.list_models()
    err = info.value
    assert err.status == 502
    assert err.code is None
    assert err.message.startswith("HTTP 502 Bad Gateway")
    assert "nginx/1.25.3" in err.message
    assert "<" not in err.message
    assert err.body is None
    assert (err.method, err.path) == ("GET", "/v1/models")
    assert calls == 2  # 502 on a GET is retried
    assert len(slept) == 1


async def test_plain_text_error_and_empty_body() -> None:
    bodies = iter([httpx.Response(500, text=""), httpx.Response(418, text="short and stout")])
    client, _ = mock_client(lambda request: next(bodies))
    async with client:
        with pytest.raises(ServerError) as server_error:
            await client.delete_model("m1")
        assert server_error.value.message == "HTTP 500 Internal Server Error"
        with pytest.raises(XeroError, match="HTTP 418 I'm a teapot: short and stout") as info:
            await client.delete_model("m1")
    assert type(info.value) is XeroError


async def test_json_bodies_that_are_not_the_envelope() -> None:
    bodies = iter(
        [
            httpx.Response(404, json={"detail": "Not Found"}),
            httpx.Response(409, json={"error": "already there"}),
            httpx.Response(404, json={"error": {"message": "gone", "code": 7}}),
        ]
    )
    client, _ = mock_client(lambda request: next(bodies))
    async with client:
        with pytest.raises(NotFoundError, match="Not Found") as info:
            await client.delete_model("m1")
        assert info.value.body == {"detail": "Not Found"}
        with pytest.raises(ConflictError, match="already there"):
            await client.delete_model("m1")
        with pytest.raises(NotFoundError, match="gone") as info:
            await client.delete_model("m1")
        assert info.value.code is None  # a non-string code is ignored, status decides


async def test_error_body_echoing_the_key_is_scrubbed() -> None:
    echo = {"error": {"message": f"bad key {KEY}", "code": "invalid_api_key", "param": KEY}}
    client, _ = mock_client(lambda request: httpx.Response(401, json=echo))
    async with client:
        with pytest.raises(XeroError) as info:
            await client.delete_model("m1")
    assert KEY not in info.value.message
    assert KEY not in repr(info.value.body)
    for record in client.log.records():
        assert KEY not in repr(record)


async def test_error_body_echoing_part_of_the_secret_is_scrubbed() -> None:
    key = "xero_proj_demo_my_very_secret_value_Q9"
    secret = "my_very_secret_value_Q9"
    echo = {
        "error": {
            "message": f"unknown token {secret} (key {key})",
            "code": "invalid_api_key",
            "param": secret,
            secret: [f"Bearer {key}", {"nested": secret}],
        }
    }
    client = XeroClient(
        BASE, key, transport=httpx.MockTransport(lambda r: httpx.Response(401, json=echo))
    )
    async with client:
        assert client.api_key_masked == "xero_proj_demo_••••e_Q9"
        with pytest.raises(XeroError) as info:
            await client.delete_model("m1")
        curl = client.curl("PATCH", "/v1/models/m1", {"description": "x"})
    assert info.value.message == "unknown token ••••e_Q9 (key xero_proj_demo_••••e_Q9)"
    texts = [str(info.value), repr(info.value), repr(info.value.body), curl]
    texts += [repr(record) for record in client.log.records()]
    for text in texts:
        assert_no_secret_run(text, secret)


# (error.code, HTTP status) that disagree: the code decides, the status only when the code is
# unknown or missing (design.md section 3).
DISAGREEING = [
    ("model_not_found", 400, NotFoundError),
    ("invalid_api_key", 403, AuthError),
    ("missing_authorization", 500, AuthError),
    ("project_mismatch", 401, ProjectMismatchError),
    ("admin_required", 401, PermissionDeniedError),
    ("rate_limit_exceeded", 500, RateLimitedError),
    ("quota_exceeded", 403, RateLimitedError),
    ("version_exists", 400, ConflictError),
    ("model_not_ready", 503, ConflictError),
    ("invalid_quantization", 500, ValidationError),
    ("invalid_value", 409, ValidationError),
    ("not_implemented", 404, NotImplementedByServerError),
    ("internal_error", 400, ServerError),
    ("endpoint_inactive", 404, ServerError),
    ("some_future_code", 404, NotFoundError),
    ("some_future_code", 409, ConflictError),
    ("some_future_code", 503, ServerError),
    ("some_future_code", 418, XeroError),
    (None, 401, AuthError),
    (None, 429, RateLimitedError),
    (None, 501, NotImplementedByServerError),
]


@pytest.mark.parametrize(("code", "status", "cls"), DISAGREEING)
def test_code_first_then_status(code: str | None, status: int, cls: type[XeroError]) -> None:
    assert error_class(code, status) is cls
    envelope = {"error": {"message": "m", "type": "invalid_request_error", "code": code}}
    request = httpx.Request("DELETE", f"{BASE}/models/m1")
    error = error_from_response(
        httpx.Response(status, json=envelope, request=request), "DELETE", "/v1/models/m1", KEY
    )
    assert type(error) is cls
    assert (error.code, error.status) == (code, status)


async def test_two_hundred_that_is_not_json_is_an_unexpected_response() -> None:
    client, _ = mock_client(lambda request: httpx.Response(200, text="<html>login</html>"))
    async with client:
        with pytest.raises(UnexpectedResponseError, match="not JSON") as info:
            await client.get_model("m1")
    assert info.value.title == "Unexpected response"
    assert info.value.status == 200


async def test_two_hundred_with_the_wrong_shape_is_an_unexpected_response() -> None:
    body = {"object": "list", "data": [{"id": "m1", "object": "model"}]}
    client, _ = mock_client(
        lambda request: httpx.Response(200, json=body, headers={"X-Request-ID": "req-9"})
    )
    async with client:
        with pytest.raises(UnexpectedResponseError) as info:
            await client.list_models()
    assert "ModelList does not match" in info.value.message
    assert "data.0.created" in info.value.message
    assert info.value.request_id == "req-9"


async def test_transport_failures_are_mapped_in_plain_words() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client, slept = mock_client(refuse, max_attempts=3)
    async with client:
        with pytest.raises(ConnectionFailedError) as info:
            await client.list_models()
    assert "127.0.0.1:9" in info.value.message
    assert "connection refused" in info.value.message
    assert len(slept) == 2
    assert [r.attempt for r in client.log.records()] == [1, 2, 3]
    assert all(r.status is None for r in client.log.records())

    client, slept = mock_client(slow, max_attempts=1)
    async with client:
        with pytest.raises(RequestTimeoutError, match="did not answer in time"):
            await client.list_models()
    assert slept == []


# ---------------------------------------------------------------- Retry-After and policy


def _response(headers: dict[str, str]) -> httpx.Response:
    return httpx.Response(429, headers=headers, request=httpx.Request("GET", BASE))


def test_retry_after_header_forms() -> None:
    assert retry_after_seconds(_response({"Retry-After": "7"}), None) == 7.0
    assert retry_after_seconds(_response({"Retry-After": "1.5"}), 9) == 1.5
    assert retry_after_seconds(_response({}), 4) == 4.0
    assert retry_after_seconds(_response({}), True) is None
    assert retry_after_seconds(_response({"Retry-After": "soon"}), None) is None
    future = datetime.now(UTC) + timedelta(seconds=120)
    seconds = retry_after_seconds(_response({"Retry-After": format_datetime(future, True)}), None)
    assert seconds is not None
    assert 100 < seconds <= 121


def test_rate_limited_error_carries_retry_after_from_the_body() -> None:
    body = {"error": {"message": "slow down", "code": "rate_limited", "retry_after": 3}}
    response = httpx.Response(429, json=body, request=httpx.Request("GET", BASE))
    err = error_from_response(response, "GET", "/v1/models", KEY)
    assert isinstance(err, RateLimitedError)
    assert err.retry_after == 3.0


def test_retry_policy() -> None:
    policy = RetryPolicy(max_attempts=4)
    assert policy.attempts_for("GET") == 4
    for method in ("POST", "PATCH", "DELETE", "put"):
        assert policy.attempts_for(method) == 1
    for status in (429, 502, 503, 504):
        assert policy.should_retry(XeroError("x", status=status))
    for status in (400, 401, 403, 404, 409, 500, 501):
        assert not policy.should_retry(XeroError("x", status=status))
    assert not policy.should_retry(XeroError("x", status=429, code="quota_exceeded"))
    assert policy.should_retry(ConnectionFailedError("x"))
    assert policy.should_retry(RequestTimeoutError("x"))
    assert not policy.should_retry(UnexpectedResponseError("x"))
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    policy = RetryPolicy(backoff_base=0.2, backoff_cap=5.0, retry_after_cap=30.0)
    err = ServerError("x", status=503)
    for attempt, full in ((1, 0.2), (2, 0.4), (3, 0.8), (10, 5.0)):
        delays = {policy.delay(attempt, err, None) for _ in range(50)}
        assert all(full * 0.5 <= d <= full for d in delays)
        assert len(delays) > 1  # jittered
    limited = RateLimitedError("x", status=429, retry_after=12)
    assert policy.delay(1, limited, None) == 12
    assert policy.delay(1, RateLimitedError("x", status=429, retry_after=600), None) == 30.0
    assert policy.delay(1, err, _response({"Retry-After": "2"})) == 2.0


def test_snippet_is_short_and_tag_free() -> None:
    assert snippet(NGINX_502) == "502 Bad Gateway nginx/1.25.3"
    long = snippet("<p>" + "word " * 200 + "</p>")
    assert len(long) <= 160
    assert long.endswith("…")


# ---------------------------------------------------------------- odd streams


def sse_body(*events: str) -> bytes:
    return "".join(f"data: {e}\n\n" for e in events).encode()


CHUNK = (
    '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",'
    '"choices":[{"index":0,"delta":{"content":"%s"},"finish_reason":null}]}'
)
REQUEST = ChatRequest(messages=[ChatMessage(role="user", content="hi")])


async def stream_texts(client: XeroClient, texts: list[str]) -> None:
    async for chunk in client.stream_chat("ep", REQUEST):
        texts.append(chunk.text)


async def test_stream_that_ends_without_done_is_interrupted() -> None:
    body = sse_body(CHUNK % "Hel", CHUNK % "lo")
    client, _ = mock_client(
        lambda request: httpx.Response(
            200, content=body, headers={"Content-Type": "text/event-stream", "X-Request-ID": "r1"}
        )
    )
    texts: list[str] = []
    async with client:
        with pytest.raises(StreamInterruptedError, match="ended before") as info:
            await stream_texts(client, texts)
    assert texts == ["Hel", "lo"]
    assert info.value.partial_text == "Hello"
    assert info.value.request_id == "r1"
    assert client.log.records()[-1].error_code == "stream_interrupted"


async def test_stream_skips_vendor_events_and_sends_the_stream_flags() -> None:
    sent: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        body = (
            b'event: x_metadata\ndata: {"worker": "w1"}\n\n'
            + b": keep-alive\n\n"
            + sse_body(CHUNK % "ok", "[DONE]")
            + sse_body(CHUNK % "after done is ignored")
        )
        return httpx.Response(200, content=body, headers={"Content-Type": "text/event-stream"})

    client, _ = mock_client(handler)
    texts: list[str] = []
    async with client:
        await stream_texts(client, texts)
    assert texts == ["ok"]
    assert json.loads(sent[0]) == {
        "model": "default",
        "messages": [{"role": "user", "content": "hi"}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    record = client.log.records()[-1]
    assert (record.streamed, record.error_code, record.cancelled) == (True, None, False)


@pytest.mark.parametrize("event", ["{not json", '{"id": 1}', '{"error": "worker lost"}'])
async def test_stream_with_a_bad_event_keeps_what_came_before(event: str) -> None:
    body = sse_body(CHUNK % "partial", event, "[DONE]")
    client, _ = mock_client(lambda request: httpx.Response(200, content=body))
    async with client:
        with pytest.raises(StreamInterruptedError) as info:
            await stream_texts(client, [])
    assert info.value.partial_text == "partial"
