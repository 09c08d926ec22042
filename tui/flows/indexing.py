"""Keeping the index up to date from the reading room, in the background.

`IndexFlow` is held by the main screen, which forwards the index messages to
it. Updates run in a thread worker; their progress goes to the status line,
and when one finishes the search runs again and content problems are shown.
"""

from __future__ import annotations

from functools import partial

from .. import tasks
from ..messages import IndexFailed, IndexProgress, IndexUpdated
from .host import Host

PROBLEMS_SHOWN = 3


class IndexFlow:
    """Starts index updates and shows what they are doing."""

    def __init__(self, host: Host) -> None:
        self.host = host

    def sync(self) -> None:
        host = self.host
        work = partial(tasks.update_index, host.workspace, host.index_ready, host.post_message)
        host.in_thread("index", work, True)

    def progress(self, message: IndexProgress) -> None:
        if message.phase:
            self.host.activity = message.phase
        elif message.total:
            self.host.activity = f"indexing {message.done:,}/{message.total:,} articles"
        else:
            self.host.activity = "checking the index…"
        self.host.refresh_status()

    def updated(self, message: IndexUpdated) -> None:
        host = self.host
        host.activity = "searching…"  # until the results of the query typed meanwhile show
        host.index_ready = True
        host.run_search()
        if message.report.changed and host.open_article is None and host.state.article:
            host.open_article_by_id(host.state.article, quiet=True)
        problems = host.workspace.problems()
        for problem in problems[:PROBLEMS_SHOWN]:
            host.tell(str(problem), title="Content problem", severity="warning", timeout=8)
        if len(problems) > PROBLEMS_SHOWN:
            more = len(problems) - PROBLEMS_SHOWN
            text = f"…and {more} more: run `briefing index` to list them."
            host.tell(text, severity="warning", timeout=8)
        host.refresh_status()

    def failed(self, message: IndexFailed) -> None:
        self.host.activity = ""
        self.host.tell(message.message, title="Index", severity="error")
        self.host.refresh_status()
