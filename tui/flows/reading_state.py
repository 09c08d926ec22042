"""Saving the reading state in the background: debounced, merged, never blocking a key.

The state (query, filters, open article) is saved half a second after it last
changed, in a thread worker. Read marks travel as changes (`PendingMarks`),
so marks another running instance set meanwhile are kept.
"""

from __future__ import annotations

import contextlib
from typing import Protocol

from textual.notifications import SeverityLevel
from textual.screen import Screen

from index import BriefingError, PendingMarks, ReadingState, StateStore

from ..messages import StateSaved

SAVE_DELAY = 0.5


class Host(Protocol):
    state: ReadingState

    def tell(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
             timeout: float | None = None) -> None: ...  # fmt: skip


class StateKeeper:
    """Loads the state at start, saves it soon after each change and once more on leaving."""

    def __init__(self, store: StateStore, screen: Screen[None]) -> None:
        self.store = store
        self.screen = screen
        self.marks = PendingMarks()
        self._timer: object | None = None

    def load(self) -> ReadingState:
        return self.store.load()

    def save_soon(self) -> None:
        if self._timer is not None:
            self._timer.stop()  # type: ignore[attr-defined]
        self._timer = self.screen.set_timer(SAVE_DELAY, self._save)

    def _save(self) -> None:
        host: Host = self.screen  # type: ignore[assignment]
        state, changes = host.state, self.marks.take()
        store = self.store

        def work() -> None:
            try:
                written = store.save(state, changes)
            except (BriefingError, OSError) as error:
                problem = f"Cannot save the reading state: {error}"
                self.screen.post_message(StateSaved(changes, None, problem))
                return
            if written is not None:
                self.screen.post_message(StateSaved(changes, written))

        self.screen.run_worker(work, thread=True, group="state", exit_on_error=False)

    def saved(self, message: StateSaved) -> frozenset[str] | None:
        """Take in marks other instances changed; keep changes that failed to save.

        Returns the read marks the screen should now show (None after a failure).
        """
        if message.written is None:
            host: Host = self.screen  # type: ignore[assignment]
            host.tell(message.problem, severity="error")
            self.marks.put_back(message.changes)
            return None
        return self.marks.merged(message.written)

    def save_now(self, state: ReadingState) -> None:
        """On leaving: one last save; if the file is busy, the last debounced save stands."""
        if self._timer is not None:
            self._timer.stop()  # type: ignore[attr-defined]
        with contextlib.suppress(BriefingError, OSError):
            self.store.save(state, self.marks.unsaved, wait=2.0)
