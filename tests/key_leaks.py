"""A check that no piece of an API key's secret shows in a text: for every test that shows,
logs, copies or raises something near a key.

`secret_runs(text, secret)` lists each run of 5 or more consecutive characters of the secret
found in the text; `assert_no_secret_run` fails naming them. The masked form keeps the last
4 characters, so it passes; a key masked at the wrong `_` does not.
"""

from __future__ import annotations

RUN = 5


def secret_runs(text: str, secret: str, run: int = RUN) -> list[str]:
    """The distinct ``run``-character pieces of ``secret`` that occur in ``text``."""
    pieces = {secret[i : i + run] for i in range(len(secret) - run + 1)}
    return sorted(piece for piece in pieces if piece in text)


def assert_no_secret_run(text: str, secret: str, run: int = RUN) -> None:
    """Fail if ``text`` holds ``run`` or more consecutive characters of ``secret``."""
    assert len(secret) >= run, "the secret is shorter than a run: the check would prove nothing"
    found = secret_runs(text, secret, run)
    assert not found, f"{len(found)} piece(s) of the secret leak: {found[:5]} in {text[:300]!r}"
