"""Text from a server or a file, made safe to put on a terminal (design.md section 9).

Anyone can type a model name, a description, a license, a version note, an error message or
a chat answer, and a terminal obeys escape sequences: `\\x1b]0;…\\x07` retitles it,
`\\x1b]52;c;…` writes the clipboard, `\\x1b[2J` clears it. Every string that did not come from
xerotui itself goes through :func:`clean` before it is displayed, and is shown as Rich
`Text` (never parsed as markup, so `[link=…]` stays literal): use :func:`safe`.

C0 and C1 control characters, DEL, Unicode bidi overrides and lone surrogates are made
visible (`␛`, `␀`, `\\x9b`, `\\u202e`, `�`), never emitted. Newlines and tabs are kept
where the text may span lines, or shown as `⏎` / a space in one-line cells.
"""

from __future__ import annotations

from rich.text import Text

_BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)


def _table(*, newlines: bool) -> dict[int, str]:
    table: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ ␁ … ␟
    table[0x1B] = "␛"
    table[0x7F] = "␡"
    table.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})
    table.update({code: f"\\u{code:04x}" for code in _BIDI})
    if newlines:
        del table[0x0A]
        del table[0x09]
    else:
        table[0x0A] = "⏎"
        table[0x09] = " "
    table[0x0D] = "" if newlines else "␍"  # CRLF line ends read as plain newlines
    return table


_MULTI_LINE = _table(newlines=True)
_ONE_LINE = _table(newlines=False)


def clean(text: str, *, newlines: bool = True) -> str:
    """`text` with every control character, escape sequence introducer, bidi override and
    lone surrogate replaced by something visible. Printable text is returned as it is."""
    if text.isprintable():  # the common case: nothing to do (isprintable is False for all)
        return text
    cleaned = text.translate(_MULTI_LINE if newlines else _ONE_LINE)
    if any("\ud800" <= char <= "\udfff" for char in cleaned):
        cleaned = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in cleaned)
    return cleaned


ONE_LINE_LIMIT = 240
"""A one-line value longer than this is cut (a cell never measures a megabyte)."""


def one_line(text: str | None, empty: str = "-", *, limit: int = ONE_LINE_LIMIT) -> str:
    """For table cells and headings: cleaned, newlines shown as `⏎`, cut at `limit`."""
    if not text:
        return empty
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return clean(text, newlines=False)


def safe(text: str | None, style: str = "", *, newlines: bool = True, empty: str = "-") -> Text:
    """Server text as a Rich `Text`: cleaned and never read as markup."""
    if not text:
        return Text(empty, style=style or "dim")
    return Text(clean(text, newlines=newlines), style=style)
