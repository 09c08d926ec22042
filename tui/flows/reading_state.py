"""Saving the reading state in the background: debounced, merged, never blocking a key.

The state (filters, open article) is saved half a second after it last
changed, in a thread worker. Read marks travel as changes (`PendingMarks`),
so marks another running instance set meanwhile are kept.
"""

from __future__ import annotations

import contextlib
from functools import partial
from typing import TYPE_CHECKING

from textual.timer import Timer

from index import BriefingError, PendingMarks, ReadingState, StateStore

from ..work import Failed

if TYPE_CHECKING:
    from ..screens.main import MainScreen

SAVE_DELAY = 0.5


class StateKeeper:
    """Loads the state at start, saves it soon after each change and once more on leaving."""

    def __init__(self, store: StateStore, screen: MainScreen) -> None:
        self.store = store
        self.screen = screen
        self.marks = PendingMarks()
        self._timer: Timer | None = None

    def load(self) -> ReadingState:
        return self.store.load()

    def save_soon(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.screen.set_timer(SAVE_DELAY, self._save)

    def _save(self) -> None:
        state, changes = self.screen.state, self.marks.take()
        work = partial(self.store.save, state, changes)
        self.screen.in_thread("state", work, partial(self._saved, changes), exclusive=False)

    def _saved(self, changes: dict[str, bool], outcome: ReadingState | Failed | None) -> None:
        """Take in marks other instances changed; keep changes that failed to save."""
        screen = self.screen
        if isinstance(outcome, Failed):
            screen.tell(f"Cannot save the reading state: {outcome.message}", severity="error")
            self.marks.put_back(changes)
            return
        if outcome is None:
            return
        read = self.marks.merged(outcome)
        if read != screen.state.read:
            screen.show_read(read)

    def save_now(self, state: ReadingState) -> None:
        """On leaving: one last save; if the file is busy, the last debounced save stands."""
        if self._timer is not None:
            self._timer.stop()
        with contextlib.suppress(BriefingError, OSError):
            self.store.save(state, self.marks.unsaved, wait=2.0)
