"""Keeping the index up to date from the reading room, in the background.

Updates run in a thread worker ("index" group); their progress becomes the
screen's reactive `activity` (the status line watches it), and when one
finishes the search runs again and content problems are shown.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from index import SyncReport

from .. import tasks
from ..tasks import IndexProgress
from ..work import Failed

if TYPE_CHECKING:
    from ..screens.main import MainScreen

PROBLEMS_SHOWN = 3


class IndexFlow:
    """Starts index updates and shows what they are doing."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def sync(self) -> None:
        screen = self.screen
        progress = screen.on_loop(self._progress)
        work = partial(tasks.update_index, screen.workspace, screen.index_ready, progress)
        # not exclusive: a second update waits for the first's lock, and both report back
        screen.in_thread("index", work, self._updated, exclusive=False)

    def _progress(self, progress: IndexProgress) -> None:
        if progress.phase:
            self.screen.activity = progress.phase
        elif progress.total:
            self.screen.activity = f"indexing {progress.done:,}/{progress.total:,} articles"
        else:
            self.screen.activity = "checking the index…"

    def _updated(self, outcome: SyncReport | Failed | None) -> None:
        screen = self.screen
        if isinstance(outcome, Failed):
            screen.activity = ""
            screen.tell(outcome.message, title="Index", severity="error")
            return
        if outcome is None:  # nothing had changed
            if screen.activity in ("checking the index…", "preparing themes…"):
                screen.activity = ""
            return
        screen.activity = "searching…"  # until the results of the query typed meanwhile show
        screen.index_ready = True
        screen.search.run()
        if outcome.changed and screen.open_article is None and screen.state.article:
            screen.opener.open(screen.state.article, quiet=True)
        problems = screen.workspace.problems()
        for problem in problems[:PROBLEMS_SHOWN]:
            screen.tell(str(problem), title="Content problem", severity="warning", timeout=8)
        if len(problems) > PROBLEMS_SHOWN:
            more = len(problems) - PROBLEMS_SHOWN
            text = f"…and {more} more: run `briefing index` to list them."
            screen.tell(text, severity="warning", timeout=8)
