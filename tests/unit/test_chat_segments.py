"""Where a streaming answer's Markdown may be cut into segments (widgets/chat_answer.py):
only where the two halves render as the whole did."""

from __future__ import annotations

import pytest

from xerotui.tui.widgets.chat_answer import SEGMENT_CHARS, next_cut, segments_of

PARA = "A paragraph of words.\n\n"


def test_cut_after_a_blank_line_before_a_new_block() -> None:
    text = PARA + "Next paragraph"
    assert next_cut(text, 0) == len(PARA)
    assert next_cut(text, len(PARA) + 1) is None  # nothing later yet


def test_no_cut_until_the_next_line_has_begun() -> None:
    assert next_cut(PARA, 0) is None  # the next block may still be a list item or code


@pytest.mark.parametrize(
    "follows",
    [
        "- item",
        "* item",
        "+ item",
        "12. item",
        "12",
        "  indented",
        "\tcode",
        "> quote",
        "| a | b |",
    ],
)
def test_no_cut_before_a_line_that_may_continue_the_block(follows: str) -> None:
    assert next_cut(PARA + follows, 0) is None


def test_no_cut_inside_fenced_code() -> None:
    code = "```python\nx = 1\n\ny = 2\n```\n\n"
    text = code + "After."
    assert next_cut(text, 0) == len(code)
    assert next_cut("~~~\na\n\nb", 0) is None


def test_segments_join_back_to_the_text_and_respect_the_size() -> None:
    text = "".join(f"Paragraph {i} " + "word " * 40 + "\n\n" for i in range(60))
    parts = segments_of(text)
    assert "".join(parts) == text
    assert len(parts) > 1
    assert all(len(part) >= SEGMENT_CHARS for part in parts[:-1])
