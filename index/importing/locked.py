"""Importing one record at a time under the library's import lock, for a fetch.

A fetch waits on the network for minutes; holding the import lock all that
time made `briefing import` wait and give up. So a fetch takes the lock only
around each record it imports (and the last writes). While the lock is free,
another import may add articles: when the articles folder has changed since
this fetch last held the lock, what the earlier importer leaves to the end is
written and a new importer, which knows the new articles, takes over — so
duplicates are still found.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import ImportBusy, LockTimeout
from ..storage import file_lock
from .incoming import Incoming
from .library import Importer, ImportReport


class LockedImports:
    """An `Importer` for a fetch: `add`, `knows_url` and `finish`, each record under the lock."""

    def __init__(
        self, make: Callable[[], Importer], lock: Path, wait: float, articles: Path
    ) -> None:
        self._make = make
        self._lock = lock
        self._wait = wait
        self._articles = articles
        self._report: ImportReport | None = None
        with self._locked():
            self._importer = make()
            self._seen = self._stamp()

    def knows_url(self, url: str) -> bool:
        """As of the last time this fetch held the lock (a miss is found at `add`)."""
        return self._importer.knows_url(url)

    def add(self, incoming: Incoming, report: ImportReport) -> str | None:
        with self._locked():
            if self._stamp() != self._seen:  # another import added articles meanwhile
                self._importer.finish(report)
                self._importer = self._make()
            found = self._importer.add(incoming, report)
            self._seen = self._stamp()
        return found

    def finish(self, report: ImportReport) -> None:
        with self._locked():
            self._importer.finish(report)

    def _stamp(self) -> int:
        try:
            return self._articles.stat().st_mtime_ns
        except FileNotFoundError:
            return 0

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            with file_lock(self._lock, timeout=self._wait):
                yield
        except LockTimeout as error:
            raise ImportBusy(
                f"another import into {self._lock.parent} is running: {error}"
            ) from None
