"""Fetching feeds from the reading room, in the background, without moving anything.

`FetchFlow` is held by the main screen, which forwards the fetch messages to
it. The fetch runs in a thread worker (`tasks.fetch_feeds`); its progress is
the status line's activity ("fetching 3/12 feeds · 27 new"). When it ends,
the articles it brought are marked new (until read), the index is updated,
and the search runs again: the list keeps its cursor on the same article
(rows are matched by id), and the Reader, its scroll and any selection are
left alone. What went wrong with each feed is listed in one notification.
"""

from __future__ import annotations

from functools import partial

from .. import tasks
from ..messages import FetchDone, FetchFailed, FetchProgressed
from ..render import fetch_line
from .host import Host

PROBLEMS_SHOWN = 5


class FetchFlow:
    """Starts fetches and shows what they did."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.running = False
        self.new: dict[str, str] = {}
        """Articles fetched lately (id → source), new until read."""

    def load(self) -> None:
        """The articles earlier fetches brought (kept in the data dir)."""
        self.new = self.host.workspace.recently_fetched()

    def start(self) -> None:
        host = self.host
        if host.workspace.read_only:
            host.tell(f"Read-only session: {host.workspace.read_only}; nothing can be fetched.",
                      severity="warning")  # fmt: skip
            return
        if self.running:
            host.tell("Already fetching; the status line shows how far.", timeout=3)
            return
        self.running = True
        host.activity = "fetching feeds…"
        host.refresh_status()
        host.in_thread("fetch", partial(tasks.fetch_feeds, host.workspace, host.post_message),
                       True)  # fmt: skip

    def progress(self, message: FetchProgressed) -> None:
        if self.running:
            self.host.activity = fetch_line(message.status)
            self.host.refresh_status()

    def done(self, message: FetchDone) -> None:
        self.running = False
        report = message.report
        host = self.host
        host.activity = ""
        self.new.update({i: report.imports.source_of.get(i, "") for i in report.new})
        fetched = [outcome for outcome in report.feeds if outcome.status != "waiting"]
        if not report.feeds:
            host.tell("No feeds yet: `briefing feeds add URL` follows one.", timeout=6)
        else:
            parts = [f"{len(report.new)} new article{'' if len(report.new) == 1 else 's'} "
                     f"from {len(fetched)} feed{'' if len(fetched) == 1 else 's'}"]  # fmt: skip
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
            host.sync_index()  # then the search runs again (IndexFlow.updated)
        host.refresh_status()

    def failed(self, message: FetchFailed) -> None:
        self.running = False
        self.host.activity = ""
        self.host.tell(message.message, title="Fetch", severity="error")
        self.host.refresh_status()

    def unread_new(self, read: frozenset[str]) -> dict[str, str]:
        """The new articles not yet read (id → source)."""
        return {i: source for i, source in self.new.items() if i not in read}
