"""TerminalWatch: notice that the terminal has gone away, and end the app within 2 s.

When the terminal is closed (a killed tmux session, a dropped SSH connection) the kernel
hangs up the pty: reads return end-of-file at once and writes fail. Textual's input thread
then spins on the empty reads and nothing tells the app, which used to stay behind at
90 % CPU with its demo sandbox alive. SIGHUP does not always arrive either (the process
group of `make run` loses it to make). So the app asks the kernel every half second: a
poll of the terminal's descriptor for POLLHUP/POLLERR/POLLNVAL costs nothing and does no
terminal IO. On a hang-up the app is asked to exit; should that stall (its shutdown writes
to the dead terminal), a deadline ends the process anyway — the demo sandbox child dies
with its parent (PR_SET_PDEATHSIG and its parent-pid watch, see xerotui.launcher).
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
from collections.abc import Callable

CHECK_SECONDS = 0.5
HARD_EXIT_SECONDS = 1.2
"""After a hang-up, how long a clean exit may take before the process is ended."""
SIGNAL_EXIT_SECONDS = 10.0
"""After SIGTERM/SIGINT (the terminal is still there): a clean exit gets longer."""
EXIT_CODE = 128 + 1  # as if ended by SIGHUP
GONE = select.POLLHUP | select.POLLERR | select.POLLNVAL


def terminal_fd() -> int | None:
    """The descriptor of the controlling terminal the app draws on, if there is one."""
    for fd in (1, 0, 2):
        with contextlib.suppress(OSError, ValueError):
            if os.isatty(fd):
                return fd
    return None


def hung_up(fd: int) -> bool:
    """Whether the terminal on `fd` has been hung up (or closed)."""
    poller = select.poll()
    poller.register(fd, 0)  # POLLHUP/POLLERR/POLLNVAL are always reported
    try:
        events = poller.poll(0)
    except OSError:
        return True
    return any(mask & GONE for _, mask in events)


class TerminalWatch:
    """`check()` on a timer; calls `on_gone` once when the terminal is gone."""

    def __init__(self, fd: int, on_gone: Callable[[], None]) -> None:
        self.fd = fd
        self.on_gone = on_gone
        self.gone = False

    def check(self) -> None:
        if not self.gone and hung_up(self.fd):
            self.gone = True
            self.on_gone()

    @staticmethod
    def arm_hard_exit(cleanup: Callable[[], None], code: int, seconds: float) -> None:
        """End the process with `code` after `seconds` unless it ended by itself."""

        def end() -> None:
            with contextlib.suppress(Exception):
                cleanup()
            os._exit(code)

        timer = threading.Timer(seconds, end)
        timer.daemon = True
        timer.start()
