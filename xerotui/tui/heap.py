"""Keeping the cyclic garbage collector out of the start and out of keypresses.

A full collection walks every object the process tracks: with Textual, Rich and the chat's
Markdown and Pygments loaded that is ~50-75 ms, and while an answer streams it ran every
few seconds, each time in the middle of whatever frame or keypress was due (measured with
gc.callbacks in benchmarks/bench_chat.py: 18 full collections of 50-74 ms over 3 answers).
What is alive once the app has settled (modules, screens, the inventory) lives for the run,
so it is moved out of the collector's sight (gc.freeze, as CPython documents for long-lived
processes); later collections walk only what came after.

At start-up the imports create hundreds of thousands of long-lived objects (modules,
classes, functions), and the collector walked them again and again as they came: ~10 % of
the start (~30 ms on the 2-core machine). :func:`hold` keeps it off from the first import
until the first frame, when :func:`settle` turns it back on and freezes what the imports
made.
"""

from __future__ import annotations

import gc


def hold() -> None:
    """No cyclic collection until :func:`settle` (or :func:`release`): the start."""
    gc.disable()


def settle() -> None:
    """Collect the young generations (a few ms) and freeze what is alive now. No full
    collection first: at start-up it held the interpreter for ~50 ms, long enough to hold
    back the first frame's write; the little cyclic garbage that already reached the old
    generation is frozen with the rest until :func:`release`.

    After :func:`hold` every object of the start is still in the young generation (nothing
    was collected to age it), so collecting it would be a full walk: those are frozen as
    they are, and the collector is turned back on."""
    if gc.isenabled():
        gc.collect(1)
    gc.freeze()
    gc.enable()


def release() -> None:
    """The app ends: what was frozen goes back to the collector (a process that runs the
    app again, as the tests do, would otherwise keep every finished app's cycles)."""
    gc.unfreeze()
    gc.enable()
