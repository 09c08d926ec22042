"""Fetching feeds from the reading room, in the background, without moving anything.

The fetch runs in a thread worker (`tasks.fetch_feeds`, "fetch" group); its
progress is the screen's reactive activity ("fetching 3/12 feeds · 27 new"),
which the status line watches. Leaving the app cancels it: the fetch stops
after the feeds in flight and keeps what they brought. When it ends,
the articles it brought are marked new (until read), the index is updated,
and the search runs again: the list keeps its cursor on the same article
(rows are matched by id), and the Reader, its scroll and any selection are
left alone. What went wrong with each feed is listed in one notification.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import TYPE_CHECKING

from .. import tasks
from ..render import fetch_line
from ..work import Failed, cancelled

if TYPE_CHECKING:
    from index import FetchReport, FetchStatus

    from ..screens.main import MainScreen

PROBLEMS_SHOWN = 5


class FetchFlow:
    """Starts fetches and shows what they did."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.running = False
        self.new: dict[str, str] = {}
        """Articles fetched lately (id → source), new until read."""
        self._stopping = threading.Event()

    def load(self) -> None:
        """The articles earlier fetches brought (kept in the data dir)."""
        self.new = self.screen.workspace.recently_fetched()

    def start(self) -> None:
        host = self.screen
        if host.workspace.read_only:
            host.tell(
                f"Read-only session: {host.workspace.read_only}; nothing can be fetched.",
                severity="warning",
            )
            return
        if self.running:
            host.tell("Already fetching; the status line shows how far (Esc stops it).", timeout=3)
            return
        self.running = True
        self._stopping.clear()
        host.activity = "fetching feeds…"
        progress = host.on_loop(self._progress)
        work = partial(tasks.fetch_feeds, host.workspace, progress, self._should_stop)
        host.in_thread("fetch", work, self._done)

    def stop(self) -> bool:
        """Stop the running fetch (Esc): within a second, keeping what came; False if none."""
        if not self.running or self._stopping.is_set():
            return False
        self._stopping.set()
        self.screen.activity = "stopping the fetch…"
        return True

    def _should_stop(self) -> bool:
        """Asked by the fetch between steps, in its thread: Esc, or the app leaving."""
        return self._stopping.is_set() or cancelled()

    def _progress(self, status: FetchStatus) -> None:
        if self.running:
            self.screen.activity = fetch_line(status)

    def _done(self, outcome: FetchReport | Failed) -> None:
        self.running = False
        host = self.screen
        host.activity = ""
        if isinstance(outcome, Failed):
            host.tell(outcome.message, title="Fetch", severity="error")
            return
        report = outcome
        self.new.update({i: report.imports.source_of.get(i, "") for i in report.new})
        fetched = [outcome for outcome in report.feeds if outcome.status != "waiting"]
        if not report.feeds:
            host.tell("No feeds yet: `briefing feeds add URL` follows one.", timeout=6)
        else:
            parts = [
                f"{len(report.new)} new article{'' if len(report.new) == 1 else 's'} "
                f"from {len(fetched)} feed{'' if len(fetched) == 1 else 's'}"
            ]
            for status in ("not modified", "failed", "waiting"):
                if report.count(status):
                    parts.append(f"{report.count(status)} {status}")
            host.tell(" · ".join(parts), title="Fetched", timeout=6)
        problems = [f"{o.feed.id}: {o.error}" for o in report.feeds if o.status == "failed"]
        problems += report.problems + [p for _path, p in report.imports.failed]
        if problems:
            lines = problems[:PROBLEMS_SHOWN]
            if len(problems) > PROBLEMS_SHOWN:
                lines.append(f"…and {len(problems) - PROBLEMS_SHOWN} more: `briefing feeds list`")
            host.tell("\n".join(lines), title="Feeds", severity="warning", timeout=12)
        if report.new:
            host.indexing.sync()  # then the search runs again

    def unread_new(self) -> dict[str, str]:
        """The new articles not yet read (id → source)."""
        read = self.screen.state.read
        return {i: source for i, source in self.new.items() if i not in read}
