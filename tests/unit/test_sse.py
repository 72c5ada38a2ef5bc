"""The SSE decoder: line endings, comments, fields, multi-line data, splits at every byte."""

from __future__ import annotations

import json

import pytest

from xerotui.api.sse import DONE, SSEDecoder, SSEEvent, SSEPayloadError, json_payload


def decode(*chunks: bytes) -> list[SSEEvent]:
    decoder = SSEDecoder()
    events: list[SSEEvent] = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    return events + decoder.flush()


def chunk_event(text: str, **extra: object) -> bytes:
    body = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}],
        **extra,
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n".encode()


# A realistic stream: BOM, keep-alive comments, CRLF and CR and LF endings, an event name, an
# id, a retry hint, multi-line data, multi-byte UTF-8 (accents, CJK, emoji), usage, [DONE].
REALISTIC = b"".join(
    [
        b"\xef\xbb\xbf: keep-alive\r\n\r\n",
        b"retry: 3000\r\n",
        chunk_event("Bonjour, ").replace(b"\n", b"\r\n"),
        chunk_event("caf\u00e9 \u65e5\u672c\u8a9e "),
        chunk_event("\U0001f680 done").replace(b"\n", b"\r"),
        b": ping\n",
        b'event: x_metadata\nid: 42\ndata: {"a":\ndata:  1}\n\n',
        chunk_event("", usage={"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}),
        b"data: [DONE]\n\n",
    ]
)


def test_realistic_stream_in_one_piece() -> None:
    events = decode(REALISTIC)
    assert len(events) == 6
    texts = [
        json_payload(e)["choices"][0]["delta"]["content"]  # type: ignore[index]
        for e in events[:3]
    ]
    assert texts == ["Bonjour, ", "caf\u00e9 \u65e5\u672c\u8a9e ", "\U0001f680 done"]
    assert all(e.retry == 3000 for e in events)
    assert events[3] == SSEEvent(data='{"a":\n 1}', event="x_metadata", id="42", retry=3000)
    assert json_payload(events[3]) == {"a": 1}
    assert events[4].event == "message"
    assert events[4].id == "42"  # the last event id persists
    assert json_payload(events[5]) == DONE


def test_every_split_point_gives_the_same_events() -> None:
    expected = decode(REALISTIC)
    for cut in range(len(REALISTIC) + 1):
        assert decode(REALISTIC[:cut], REALISTIC[cut:]) == expected, f"split at byte {cut}"


def test_every_pair_of_split_points_gives_the_same_events() -> None:
    sample = REALISTIC[:120] + REALISTIC[-60:]
    expected = decode(sample)
    assert expected
    for a in range(0, len(sample) + 1, 3):
        for b in range(a, len(sample) + 1, 7):
            assert decode(sample[:a], sample[a:b], sample[b:]) == expected, (a, b)


def test_byte_by_byte_feed() -> None:
    decoder = SSEDecoder()
    events: list[SSEEvent] = []
    for i in range(len(REALISTIC)):
        events += decoder.feed(REALISTIC[i : i + 1])
    assert events + decoder.flush() == decode(REALISTIC)


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_line_endings(newline: bytes) -> None:
    stream = b"data: one" + newline + b"data: two" + newline + newline + b"data: three"
    stream += newline + newline
    assert [e.data for e in decode(stream)] == ["one\ntwo", "three"]


def test_cr_at_end_of_chunk_then_lf_is_one_line_ending() -> None:
    events = decode(b"data: a\r", b"\n\r", b"\ndata: b\r\n\r\n")
    assert [e.data for e in events] == ["a", "b"]


def test_comments_and_blank_lines_alone_dispatch_nothing() -> None:
    assert decode(b": hello\n\n:\n\n\n\n") == []


def test_event_name_without_data_is_not_dispatched_and_does_not_leak() -> None:
    events = decode(b"event: ping\n\ndata: x\n\n")
    assert events == [SSEEvent(data="x")]


def test_field_without_colon_and_value_without_space() -> None:
    events = decode(b"data\n\ndata:tight\n\ndata:  two spaces\n\n")
    assert [e.data for e in events] == ["", "tight", " two spaces"]


def test_unknown_fields_and_bad_retry_are_ignored() -> None:
    events = decode(b"foo: bar\nretry: soon\ndata: x\n\n")
    assert events == [SSEEvent(data="x", retry=None)]


def test_id_with_nul_is_ignored() -> None:
    events = decode(b"id: 7\ndata: a\n\nid: bad\x00id\ndata: b\n\n")
    assert [e.id for e in events] == ["7", "7"]


def test_bom_only_stripped_at_start() -> None:
    assert decode(b"\xef\xbb", b"\xbfdata: a\n\n") == [SSEEvent(data="a")]
    events = decode(b"data: a\n\n\xef\xbb\xbfdata: b\n\n")
    assert [e.data for e in events] == ["a"]  # a BOM later makes an unknown field


def test_invalid_utf8_is_replaced_not_raised() -> None:
    assert decode(b"data: \xff\xfe\n\n") == [SSEEvent(data="\ufffd\ufffd")]


def test_flush_dispatches_an_unterminated_last_event() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: [DONE]") == []
    assert decoder.flush() == [SSEEvent(data="[DONE]")]
    assert decoder.flush() == []


def test_flush_keeps_nothing_when_stream_ended_cleanly() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n\n") == [SSEEvent(data="a")]
    assert decoder.flush() == []


def test_json_payload() -> None:
    assert json_payload(SSEEvent(data=' {"x": [1]} ')) == {"x": [1]}
    assert json_payload(SSEEvent(data="[DONE]")) == DONE
    with pytest.raises(SSEPayloadError, match="not JSON"):
        json_payload(SSEEvent(data='{"x": '))
    with pytest.raises(SSEPayloadError, match="not a JSON object"):
        json_payload(SSEEvent(data="[1, 2]"))
