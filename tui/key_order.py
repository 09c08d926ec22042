"""Keys in order: each key is handled to the end before the next one is routed.

Textual hands a key to the focused widget's message queue and routes the next
key at once, to whatever has the focus *then*. When handling a key moves the
focus (Tab from the note to the tags, Enter from the search box to the
results) or opens a dialog (`a`, `e`), the keys typed right after it still go
to the old place: at typing speed, tag text ended up in the note and `e` ran
as a command. So the app waits, after routing each key, until every message
queue of the screens on its stack is empty (the key has been handled, and
whatever it caused — a message bubbling up, a dialog mounting and taking the
focus — has happened), up to QUIET_WAIT. The keys typed meanwhile wait in the
app's own queue, in order, and go where the focus now is.

A key no widget takes bubbles back up to the app, which runs the screen's
bindings for it (`/`, `5`…) — in Textual, by queueing it behind the keys
typed since. The app takes that copy back and handles it at once instead
(`BriefingApp.post_message`), so the binding runs before the next key.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

from textual.dom import DOMNode
from textual.screen import Screen

QUIET_WAIT = 0.5
"""Seconds a key waits at most for the one before it (a stuck handler never blocks typing)."""
QUIET_ROUNDS = 3
"""Event-loop rounds in a row with every queue empty that count as quiet."""


def _pumps(screens: Iterable[Screen[object]]) -> Iterable[DOMNode]:
    for screen in screens:
        yield screen
        yield from screen.walk_children(with_self=False)


async def until_quiet(screens: Iterable[Screen[object]]) -> None:
    """Return once every message queue of `screens` and their widgets has stayed empty."""
    stack = list(screens)
    deadline = time.monotonic() + QUIET_WAIT
    quiet = 0
    while quiet < QUIET_ROUNDS and time.monotonic() < deadline:
        await asyncio.sleep(0)
        busy = any(node.message_queue_size for node in _pumps(stack))
        quiet = 0 if busy else quiet + 1


HOLD_WAIT = 3.0
"""Seconds the keys wait at most for a hold to be released."""


class KeyHolds:
    """Things the keys typed next must wait for: Enter in the search box holds them until
    the results of the finished query are on screen, so Enter Enter opens its first hit."""

    def __init__(self) -> None:
        self._holds: dict[str, asyncio.Event] = {}

    def hold(self, name: str) -> None:
        self._holds[name] = asyncio.Event()

    def release(self, name: str) -> None:
        found = self._holds.pop(name, None)
        if found is not None:
            found.set()

    async def released(self) -> None:
        deadline = time.monotonic() + HOLD_WAIT
        while self._holds and (left := deadline - time.monotonic()) > 0:
            name, event = next(iter(self._holds.items()))
            try:
                await asyncio.wait_for(event.wait(), left)
            except TimeoutError:
                break
            if self._holds.get(name) is event:  # not a newer hold of the same name
                del self._holds[name]
        self._holds.clear()
