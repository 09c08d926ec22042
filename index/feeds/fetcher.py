"""`briefing fetch`: every due feed, fetched politely, its new items imported as articles.

For each feed that is due (see `feeds.ledger`), a worker thread asks for it
with the validators of the last answer, reads it (`importing.syndication`),
leaves out items whose URL is already in the library, and fetches the page
of each new item whose feed gives only a summary (or of every item, when the
feed says `full_text: true`), extracting its text (`importing.pages`); when
that fails the feed's own text is kept and a notice says why. The main
thread then imports the items through the same `Importer` as files
(de-duplication, sources, annotation, atomic writes), one feed at a time.

What a server said is remembered only after everything fetched has been
imported, so a fetch killed midway asks again next time and loses nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

from ..importing.formats import decode_text
from ..importing.incoming import Incoming
from ..importing.library import Importer, ImportReport
from ..importing.pages import Page, extract
from ..importing.syndication import FeedItem, ParsedFeed, item_incoming, parse_feed
from ..sanitize import clean_text
from .http import CONCURRENCY, FEED_BYTES, PAGE_BYTES, PoliteClient, Response, retry_after
from .ledger import FeedState, Ledger
from .subscriptions import Feed

SUMMARY_WORDS = 120
"""An item with fewer words than this is a summary: its page is fetched for the full text."""
CUT_OFF_ENDINGS = ("…", "...", "[…]", "[...]", "read more", "continue reading", "more »")
SLOW_DOWN = frozenset({429, 503})


@dataclass
class FeedOutcome:
    """What one feed's fetch did."""

    feed: Feed
    status: str
    """"new", "not modified", "nothing new", "failed" or "waiting"."""
    new: list[str] = field(default_factory=list)
    error: str = ""
    notices: list[str] = field(default_factory=list)
    moved_to: str | None = None
    waits_until: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"feed": self.feed.id, "url": self.feed.url, "status": self.status,
                "new": len(self.new), "ids": self.new, "error": self.error,
                "notices": self.notices, "moved_to": self.moved_to,
                "waits_until": _iso(self.waits_until)}  # fmt: skip


@dataclass
class FetchReport:
    feeds: list[FeedOutcome] = field(default_factory=list)
    imports: ImportReport = field(default_factory=ImportReport)
    problems: list[str] = field(default_factory=list)
    """Lines about feeds.yaml entries that cannot be used, or the state file."""

    @property
    def new(self) -> list[str]:
        return self.imports.imported

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.feeds if outcome.status == status)

    def to_json(self) -> dict[str, Any]:
        return {"new": len(self.new), "feeds": [f.to_json() for f in self.feeds],
                "problems": self.problems, "import": self.imports.to_json()}  # fmt: skip


@dataclass(frozen=True)
class FetchStatus:
    done: int
    total: int
    new: int
    feed: str
    """The title (or id) of the feed last finished."""


FetchProgress = Callable[[FetchStatus], None]


@dataclass
class _Download:
    """A worker's result: the answer for the feed and the new items as records."""

    response: Response
    parsed: ParsedFeed | None = None
    records: list[Incoming] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


class Fetcher:
    """Fetches feeds into the library through `importer`, remembering what servers said."""

    def __init__(self, importer: Importer, ledger: Ledger, client: PoliteClient) -> None:
        self.importer = importer
        self.ledger = ledger
        self.client = client

    def run(self, feeds: list[Feed], force: bool = False, progress: FetchProgress | None = None,
            stop: Callable[[], bool] | None = None) -> FetchReport:  # fmt: skip
        """Download the due feeds in parallel and import each as it arrives.

        `stop()` is asked after each feed: once true, the feeds not yet started
        are left for the next fetch and those downloaded so far are kept.
        """
        report = FetchReport()
        now = time.time()
        due: list[Feed] = []
        for feed in feeds:
            state = self._state(feed)
            waiting = state.waits_for(now, force)
            if waiting is None:
                due.append(feed)
            else:
                until, why = waiting
                report.feeds.append(FeedOutcome(feed, "waiting", error=why, waits_until=until))
        total = len(due)
        if progress:
            progress(FetchStatus(0, total, 0, ""))
        with ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="fetch") as pool:
            jobs: dict[Future[_Download], Feed] = {
                pool.submit(self._download, feed, self._state(feed)): feed for feed in due
            }
            for done, job in enumerate(as_completed(jobs), 1):
                if stop is not None and stop():
                    pool.shutdown(wait=False, cancel_futures=True)
                    break
                feed = jobs[job]
                try:
                    download = job.result()
                except Exception as error:  # an item no code foresaw: this feed fails alone
                    reason = f"cannot read the feed: {type(error).__name__}: {error}"
                    download = _Download(Response(feed.url, feed.url, error=reason))
                report.feeds.append(self._take(feed, download, report.imports))
                if progress:
                    progress(FetchStatus(done, total, len(report.new), feed.title or feed.id))
        self.importer.finish(report.imports)
        self.ledger.add_recent({i: report.imports.source_of.get(i, "") for i in report.new})
        self.ledger.save()
        return report

    def _state(self, feed: Feed) -> FeedState:
        state = self.ledger.state(feed.id)
        if state.url != feed.url:  # a new feed, or one given another URL by hand
            state.url, state.etag, state.last_modified = feed.url, "", ""
        return state

    # -- in a worker thread: network and parsing, no writes ---------------------------

    def _download(self, feed: Feed, state: FeedState) -> _Download:
        headers = {"Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
                             "application/xml;q=0.9, */*;q=0.8"}  # fmt: skip
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        response = self.client.get(feed.url, headers, FEED_BYTES, feed.user_agent)
        download = _Download(response)
        if response.status != 200 or response.error:
            return download
        download.parsed = parse_feed(response.body)
        if download.parsed.error:
            return download
        if download.parsed.warning:
            download.notices.append(clean_text(f"{feed.url}: {download.parsed.warning}"))
        for number, item in enumerate(download.parsed.items, 1):
            if self.importer.knows_url(item.url):
                continue  # already in the library: its page is not asked for again
            origin = clean_text(f"{feed.url} item {number}")
            record = self._record(feed, item, download, origin)
            if record is not None:
                download.records.append(record)
        return download

    def _record(self, feed: Feed, item: FeedItem, download: _Download,
                origin: str) -> Incoming | None:  # fmt: skip
        assert download.parsed is not None
        blocks = None
        if item.url and _wants_page(feed, item):
            page, problem = self._full_text(feed, item)
            if page is not None:
                blocks = page.blocks
                item.published = item.published or page.date or None
                item.authors = item.authors or ([page.author] if page.author else [])
                item.title = item.title or page.title
            if problem:
                kept = "the feed's text is kept" if item.text.strip() else "item left out"
                download.notices.append(clean_text(f"{item.url}: full text not found "
                                                   f"({problem}); {kept}"))  # fmt: skip
        if blocks is None and not item.text.strip():
            return None
        if blocks is not None and not item.summary:
            item.summary = item.text
        return item_incoming(item, download.parsed, origin, blocks, feed.source)

    def _full_text(self, feed: Feed, item: FeedItem) -> tuple[Page | None, str]:
        """The item's page, extracted, when it has more text than the feed; else why not."""
        page = self.client.get(item.url, {"Accept": "text/html,application/xhtml+xml"},
                               PAGE_BYTES, feed.user_agent)  # fmt: skip
        if page.error:
            return None, page.error
        if not page.ok:
            return None, f"HTTP {page.status}"
        html = decode_text(page.body, "html")
        if html is None:
            return None, "the page is not text in a charset it declares"
        extracted = extract(html, page.final_url)
        words = sum(len(text.split()) for _kind, text in extracted.blocks)
        if not extracted.blocks:
            return None, "no article text in the page"
        if words <= item.words:
            return None, f"the page has no more text than the feed ({words} words)"
        return extracted, ""

    # -- in the main thread: imports and the ledger ------------------------------------

    def _take(self, feed: Feed, download: _Download, imports: ImportReport) -> FeedOutcome:
        response = download.response
        state = self._state(feed)
        now = time.time()
        outcome = FeedOutcome(feed, "failed", notices=download.notices)
        wait = None  # what a busy server asked for (429, 503 with Retry-After)
        if response.status in SLOW_DOWN:
            wait = retry_after(response.headers.get("retry-after"), now)
        if response.moved_to:
            outcome.moved_to = response.moved_to
        if response.error:
            outcome.error = response.error
        elif response.status == 304:
            outcome.status = "not modified"
            self._keep_validators(state, response, refresh_only=True)
        elif response.status in SLOW_DOWN:
            asked = f"; asked to wait {wait:.0f} s" if wait is not None else ""
            outcome.error = f"HTTP {response.status} (the server is busy or limits requests){asked}"
        elif response.status == 410:
            outcome.error = f"HTTP 410: the feed is gone; `briefing feeds remove {feed.id}`"
        elif response.status != 200:
            outcome.error = f"HTTP {response.status}"
        elif download.parsed is not None and download.parsed.error:
            outcome.error = download.parsed.error
        else:
            for record in download.records:
                article_id = self.importer.add(record, imports)
                if article_id:
                    outcome.new.append(article_id)
            outcome.status = "new" if outcome.new else "nothing new"
            self._keep_validators(state, response, refresh_only=False)
        if outcome.status == "failed":
            state.failed(now, feed.interval, outcome.error, wait)
            outcome.waits_until = max(state.backoff_until, state.retry_until)
        else:
            state.succeeded(now, feed.interval, outcome.status, len(outcome.new))
        if response.moved_to and outcome.status != "failed":
            state.url = response.moved_to
        outcome.error = clean_text(outcome.error)  # servers' and libraries' words, quoted
        return outcome

    @staticmethod
    def _keep_validators(state: FeedState, response: Response, refresh_only: bool) -> None:
        """Store ETag and Last-Modified exactly as received; a 304 may only refresh them."""
        etag = response.headers.get("etag")
        modified = response.headers.get("last-modified")
        if refresh_only:
            state.etag = etag or state.etag
            state.last_modified = modified or state.last_modified
        else:
            state.etag, state.last_modified = etag or "", modified or ""


def _wants_page(feed: Feed, item: FeedItem) -> bool:
    if feed.full_text is not None:
        return feed.full_text
    text = item.text.strip().casefold()
    return item.words < SUMMARY_WORDS or text.endswith(CUT_OFF_ENDINGS)


def _iso(when: float) -> str | None:
    if not when:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))
