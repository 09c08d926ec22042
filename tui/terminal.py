"""Leaving with the terminal: a closed terminal must not leave briefing running.

When the terminal goes away (an ssh connection drops, a tmux server is
killed), Textual's input thread keeps polling the dead input and spins a whole
core, and SIGHUP does not always arrive (not when the terminal is not the
process's controlling one). So the app looks for a hang-up on its input once
a second, and takes SIGHUP and SIGTERM as a quit: the reading state is saved
as on `q`.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import signal
import sys
from collections.abc import Callable

CHECK_EVERY = 1.0
"""Seconds between checks that the terminal is still there."""

_GONE = select.POLLHUP | select.POLLERR | select.POLLNVAL


def terminal_input() -> int | None:
    """The file descriptor the app reads keys from, or None when there is none."""
    stream = sys.__stdin__
    if stream is None:
        return None
    try:
        return stream.fileno()
    except (OSError, ValueError):
        return None


def hung_up(fd: int) -> bool:
    """Whether the terminal behind `fd` has gone (hung up, closed or invalid)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    try:
        events = poller.poll(0)
    except OSError:
        return True
    return any(mask & _GONE for _fd, mask in events)


def quit_on_signals(quit_app: Callable[[], object]) -> None:
    """Run `quit_app` on SIGHUP or SIGTERM (where the platform has them)."""
    loop = asyncio.get_running_loop()
    for name in ("SIGHUP", "SIGTERM"):
        number = getattr(signal, name, None)
        if number is not None:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, quit_app)
