"""Full garbage collections while the user pauses, never while a key is answered.

Python's collector walks every long-lived object in a full collection; with
a 20,000-article library open that took 50–140 ms and landed in the middle
of keystrokes. The real app (not the headless one tests drive) leaves full
collections to this: young objects are still collected as usual, and the
old generation once the keyboard has been quiet for IDLE seconds and as
much has piled up as Python's own thresholds would have allowed. What
survives is then frozen (`gc.freeze`), so the next collection walks only
what came since and is over in milliseconds, should a key arrive during it;
every WHOLE_EVERY-th walks everything again, so that nothing once frozen and
since dropped in a reference cycle is kept for good.
"""

from __future__ import annotations

import gc
import sys
import time

IDLE = 1.0
NEVER = 1 << 30
"""A full-collection threshold that is never reached."""
WHOLE_EVERY = 10


def supported() -> bool:
    """Python 3.14's incremental collector counts generations differently: left alone there."""
    return sys.version_info < (3, 14)


class IdleCollector:
    IDLE_CHECK = 0.5
    """Seconds between checks."""

    def __init__(self) -> None:
        young, middle, old = gc.get_threshold()
        self._due = max(1, old)
        """Middle-generation collections that make a full one due (Python's own rule)."""
        gc.set_threshold(young, middle, NEVER)
        self._last_key = time.monotonic()
        self._collections = 0

    def key(self) -> None:
        """A key arrived: no full collection until the keyboard is quiet again."""
        self._last_key = time.monotonic()

    def tick(self) -> None:
        """Called every so often: collect the old generation if it is due and the user idle."""
        if time.monotonic() - self._last_key < IDLE or gc.get_count()[2] < self._due:
            return
        self._collections += 1
        if self._collections % WHOLE_EVERY == 0:
            gc.unfreeze()
        gc.collect()
        gc.freeze()
