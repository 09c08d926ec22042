"""Faster readers of Whoosh 2.7.4's internals: block postings, whole columns, ranking.

The only code allowed to touch Whoosh's private attributes. Each module names
the Whoosh version it relies on and falls back on Whoosh's public API when the
internals do not look as expected, so a different Whoosh gives the same answers.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

_public = threading.local()


def public_only() -> bool:
    """True while `public_api_only()` is in force in this thread."""
    return bool(getattr(_public, "on", False))


@contextlib.contextmanager
def public_api_only() -> Iterator[None]:
    """Make every fast path take its fallback on Whoosh's public API (tests compare both)."""
    before = public_only()
    _public.on = True
    try:
        yield
    finally:
        _public.on = before
