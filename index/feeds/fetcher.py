"""`briefing fetch`: every due feed, fetched politely, its new items imported as articles.

For each feed that is due (see `feeds.ledger`), a worker thread asks for it
with the validators of the last answer, reads it (`importing.syndication`),
leaves out items whose URL is already in the library, and fetches the page
of each new item whose feed gives only a summary (or of every item, when the
feed says `full_text: true`), extracting its text (`importing.pages`); when
that fails the feed's own text is kept and a notice says why. At most
PAGES_PER_FEED pages are fetched for one feed in one run: the items past it
are left for the next run (the summary says how many). The main thread
imports each item as it arrives, through the same `Importer` as files
(de-duplication, sources, annotation, atomic writes), so what came is kept
whatever happens to the rest.

What a server said is remembered only after everything fetched has been
imported, so a fetch killed midway asks again next time and loses nothing.
`stop()`, asked five times a second, ends a fetch early: the client aborts
its exchanges, and what was imported stays.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..importing.formats import decode_text
from ..importing.incoming import Incoming
from ..importing.library import Importer
from ..importing.locked import LockedImports
from ..importing.pages import Page, extract
from ..importing.syndication import FeedItem, ParsedFeed, item_incoming, parse_feed
from ..sanitize import clean_text
from .http import (
    CONCURRENCY,
    FEED_BYTES,
    PAGE_BYTES,
    STOPPED,
    PoliteClient,
    Response,
    retry_after,
)
from .ledger import FeedState, Ledger
from .report import FeedOutcome, FetchProgress, FetchReport, FetchStatus
from .subscriptions import Feed
from .where import same_host

SUMMARY_WORDS = 120
"""An item with fewer words than this is a summary: its page is fetched for the full text."""
CUT_OFF_ENDINGS = ("…", "...", "[…]", "[...]", "read more", "continue reading", "more »")
SLOW_DOWN = frozenset({429, 503})
PAGES_PER_FEED = 100
"""Item pages fetched for one feed in one run; the items past it wait for the next run."""
POLL = 0.2
"""Seconds between two looks at `stop()` while waiting for downloads."""
MAX_VALIDATOR = 256


@dataclass
class _Download:
    """A worker's result: the answer for the feed and the new items as records."""

    response: Response
    parsed: ParsedFeed | None = None
    notices: list[str] = field(default_factory=list)
    deferred: int = 0
    """Items left for the next run (the page budget was spent)."""


ItemSink = Callable[[Incoming], None]


class _Stopped(Exception):
    """The client was aborted while an item's page was asked for: the item waits."""


class Fetcher:
    """Fetches feeds into the library through `importer`, remembering what servers said."""

    def __init__(
        self, importer: Importer | LockedImports, ledger: Ledger, client: PoliteClient
    ) -> None:
        self.importer = importer
        self.ledger = ledger
        self.client = client

    def run(
        self,
        feeds: list[Feed],
        force: bool = False,
        progress: FetchProgress | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> FetchReport:
        """Download the due feeds in parallel and import each item as it arrives.

        Once `stop()` is true (or on Ctrl+C) the exchanges are aborted, the
        feeds not finished are left for the next fetch, and what came is kept.
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
        events: queue.Queue[tuple[Feed, Incoming | _Download]] = queue.Queue()
        arrived: dict[str, list[str]] = {feed.id: [] for feed in due}
        unwritten: set[str] = set()
        """Feeds with an item that could not be written (a full disk): asked afresh next time."""
        done = 0

        def take(feed: Feed, payload: Incoming | _Download) -> None:
            nonlocal done
            if isinstance(payload, Incoming):
                failed = len(report.imports.failed)
                article_id = self.importer.add(payload, report.imports)
                if article_id:
                    arrived[feed.id].append(article_id)
                if len(report.imports.failed) > failed:
                    unwritten.add(feed.id)  # its validators must not hide the item next time
                return
            done += 1
            if feed.id in unwritten:
                payload.deferred = max(payload.deferred, 1)
            report.feeds.append(self._take(feed, payload, arrived[feed.id]))
            if progress:
                progress(FetchStatus(done, total, len(report.new), feed.title or feed.id))

        self.client.begin()
        pool = ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="fetch")
        interrupted = False
        try:
            for feed in due:
                pool.submit(self._download_into, events, feed, self._state(feed))
            while done < total:
                if stop is not None and stop():
                    break
                try:
                    take(*events.get(timeout=POLL))
                except queue.Empty:
                    continue
        except BaseException:  # Ctrl+C, a kill in the middle of an import
            interrupted = True
            raise
        finally:  # finished, stopped or interrupted: abort what runs, keep what came
            if done < total:
                self.client.abort()
            pool.shutdown(wait=True, cancel_futures=True)
            try:
                while not events.empty():
                    feed, payload = events.get_nowait()
                    if interrupted and not isinstance(payload, Incoming):
                        continue  # its answer is not remembered: the feed is asked again
                    take(feed, payload)
            finally:
                self.importer.finish(report.imports)
                recent = {i: report.imports.source_of.get(i, "") for i in report.new}
                self.ledger.add_recent(recent)
                self.ledger.save()
        return report

    def _download_into(
        self, events: queue.Queue[tuple[Feed, Incoming | _Download]], feed: Feed, state: FeedState
    ) -> None:
        """In a worker: download a feed, sending each new item, then the feed's answer."""
        try:
            download = self._download(feed, state, lambda record: events.put((feed, record)))
        except Exception as error:  # nothing foreseen this: the feed fails alone, in words
            reason = " ".join(str(error).split()) or "an unexpected problem"
            download = _Download(
                Response(feed.url, feed.url, error=f"cannot read the feed: {reason}")
            )
        events.put((feed, download))

    def _state(self, feed: Feed) -> FeedState:
        state = self.ledger.state(feed.id)
        if state.url != feed.url:  # a new feed, or one given another URL by hand
            state.url, state.etag, state.last_modified = feed.url, "", ""
        return state

    # -- in a worker thread: network and parsing, no writes ---------------------------

    def _download(self, feed: Feed, state: FeedState, send: ItemSink) -> _Download:
        headers = {
            "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
            "application/xml;q=0.9, */*;q=0.8"
        }
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
        pages = 0
        for number, item in enumerate(download.parsed.items, 1):
            if self.importer.knows_url(item.url):
                continue  # already in the library: its page is not asked for again
            wants_page = bool(item.url) and _wants_page(feed, item)
            if wants_page and pages >= PAGES_PER_FEED:
                download.deferred += 1  # asked for next run: nothing is stored for it now
                continue
            pages += wants_page
            origin = clean_text(f"{feed.url} item {number}")
            try:
                record = self._record(feed, item, download, origin, wants_page)
            except _Stopped:  # the fetch was stopped: this item and the rest wait for the next
                download.deferred += 1
                continue
            except Exception as error:  # this item fails alone, in words
                reason = " ".join(str(error).split()) or "an unexpected problem"
                download.notices.append(
                    clean_text(f"{feed.url} item {number}: left out ({reason})")
                )
                continue
            if record is not None:
                send(record)
        if download.deferred:
            download.notices.append(
                f"{download.deferred} more items wait for the next fetch (at most "
                f"{PAGES_PER_FEED} pages of one feed are fetched at a time)"
            )
        return download

    def _record(
        self, feed: Feed, item: FeedItem, download: _Download, origin: str, wants_page: bool
    ) -> Incoming | None:
        assert download.parsed is not None
        blocks = None
        if wants_page:
            page, problem = self._full_text(feed, item)
            if page is not None:
                blocks = page.blocks
                item.published = item.published or page.date or None
                item.authors = item.authors or ([page.author] if page.author else [])
                item.title = item.title or page.title
            if problem:
                kept = "the feed's text is kept" if item.text.strip() else "item left out"
                download.notices.append(
                    clean_text(f"{item.url}: full text not found ({problem}); {kept}")
                )
        if blocks is None and not item.text.strip():
            return None
        if blocks is not None and not item.summary:
            item.summary = item.text
        return item_incoming(item, download.parsed, origin, blocks, feed.source)

    def _full_text(self, feed: Feed, item: FeedItem) -> tuple[Page | None, str]:
        """The item's page, extracted, when it has more text than the feed; else why not."""
        page = self.client.get(
            item.url,
            {"Accept": "text/html,application/xhtml+xml"},
            PAGE_BYTES,
            feed.user_agent,
            pointed=feed.url,
        )
        if page.error == STOPPED:
            raise _Stopped
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

    def _take(self, feed: Feed, download: _Download, arrived: list[str]) -> FeedOutcome:
        """What the feed's answer means, with the ids of its items imported as they came."""
        response = download.response
        state = self._state(feed)
        now = time.time()
        outcome = FeedOutcome(feed, "failed", notices=download.notices)
        if response.error == STOPPED:  # not the server's fault: nothing is remembered
            outcome.status, outcome.error = "waiting", "the fetch was stopped; asked next time"
            return outcome
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
            outcome.new.extend(arrived)
            outcome.status = "new" if outcome.new else "nothing new"
            if download.deferred:  # a 304 next time would hide the items left for it
                state.etag = state.last_modified = ""
            else:
                self._keep_validators(state, response, refresh_only=False)
        if outcome.status == "failed":
            state.etag = state.last_modified = ""  # the next request asks afresh
            state.failed(now, feed.interval, outcome.error, wait)
            outcome.waits_until = max(state.backoff_until, state.retry_until)
        else:
            state.succeeded(now, feed.interval, outcome.status, len(outcome.new))
        if response.moved_to and outcome.status != "failed":
            if same_host(feed.url, response.moved_to):
                state.url = response.moved_to  # followed there at once (see Following.fetch)
            else:
                state.moved_to = response.moved_to
        outcome.error = clean_text(outcome.error)  # servers' and libraries' words, quoted
        return outcome

    @staticmethod
    def _keep_validators(state: FeedState, response: Response, refresh_only: bool) -> None:
        """Store ETag and Last-Modified as received when they can be sent back (printable
        ASCII, not too long); a 304 may only refresh them."""
        etag = _validator(response.headers.get("etag"))
        modified = _validator(response.headers.get("last-modified"))
        if refresh_only:
            state.etag = etag or state.etag
            state.last_modified = modified or state.last_modified
        else:
            state.etag, state.last_modified = etag or "", modified or ""


def _validator(value: str | None) -> str:
    """A validator as it may be sent back in a header, or "" (a non-ASCII ETag is not)."""
    if not value or len(value) > MAX_VALIDATOR:
        return ""
    return value if all(" " <= char <= "~" for char in value) else ""


def _wants_page(feed: Feed, item: FeedItem) -> bool:
    if feed.full_text is not None:
        return feed.full_text
    text = item.text.strip().casefold()
    return item.words < SUMMARY_WORDS or text.endswith(CUT_OFF_ENDINGS)
