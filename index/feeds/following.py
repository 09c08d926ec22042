"""The feeds of one library, as the command line and the app use them.

Adding a URL asks for it once: a feed is added with its own title; a page
is searched for the feed it announces (`feeds.discovery`). OPML import adds
feeds without asking for them (it may hold hundreds); export writes every
feed. A fetch runs alone (`fetch.lock` in the data dir): a second one is
refused at once, with the first one's process id.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import FeedsError, FetchBusy, LockTimeout, OpmlError
from ..importing.formats import decode_text
from ..importing.library import Importer
from ..importing.locked import LockedImports
from ..importing.sources import checked_source_id
from ..importing.syndication import ParsedFeed, parse_feed
from ..sanitize import clean_text
from ..storage import file_lock
from .discovery import feed_links
from .fetcher import Fetcher, FetchProgress, FetchReport
from .http import PoliteClient
from .ledger import FeedState, Ledger
from .opml import read_opml, write_opml
from .subscriptions import (
    DEFAULT_INTERVAL,
    Feed,
    Subscriptions,
    checked_url,
    feed_id_for,
)
from .where import same_host


@dataclass(frozen=True)
class AddedFeed:
    feed: Feed
    kind: str
    """"RSS", "Atom", "JSON Feed"; empty when the feed was not asked for."""
    items: int
    found_on: str = ""
    """The page the feed was discovered on, when a page URL was given."""


class Following:
    """Subscriptions in `library/feeds.yaml`; their state in the data dir."""

    def __init__(self, library: Path, ledger_path: Path, lock_path: Path) -> None:
        self.subscriptions = Subscriptions(library)
        self.ledger_path = ledger_path
        self.lock_path = lock_path

    def feeds(self) -> tuple[list[Feed], list[str]]:
        return self.subscriptions.read()

    def states(self) -> tuple[list[tuple[Feed, FeedState]], list[str]]:
        """Each feed with what its fetches did; problems with feeds.yaml or the state file."""
        feeds, problems = self.feeds()
        ledger = Ledger.load(self.ledger_path)
        if ledger.notice:
            problems.append(ledger.notice)
        return [(feed, ledger.feeds.get(feed.id) or FeedState()) for feed in feeds], problems

    def add(
        self,
        url: str,
        source: str | None = None,
        full_text: bool | None = None,
        interval: int = DEFAULT_INTERVAL,
        client: PoliteClient | None = None,
    ) -> AddedFeed:
        """Follow the feed at `url`, or the one the page at `url` announces."""
        url = checked_url(url)
        if source:
            checked_source_id(source)
        own = client is None
        client = client or PoliteClient()
        try:
            found_on = ""
            feed_url, parsed = url, self._ask(client, url)
            if isinstance(parsed, list):
                if not parsed:
                    raise FeedsError(
                        f"{url}: neither a feed nor a page that names one "
                        '(<link rel="alternate">); not added'
                    )
                found_on, feed_url = url, parsed[0][0]
                parsed = self._ask(client, feed_url, pointed=url)
                if isinstance(parsed, list):
                    raise FeedsError(f"{feed_url} (named by {url}) is not a feed; not added")
        finally:
            if own:
                client.close()
        feed = Feed(
            feed_id_for(parsed.title, feed_url), feed_url, source, parsed.title, full_text, interval
        )
        added = self.subscriptions.add(feed)
        return AddedFeed(added, parsed.kind, len(parsed.items), found_on)

    @staticmethod
    def _ask(
        client: PoliteClient, url: str, pointed: str | None = None
    ) -> ParsedFeed | list[tuple[str, str]]:
        """The feed at `url`, or (a page) the feeds it names; `pointed` is the page the user
        gave when `url` is a feed it named (where.py: only where the user pointed)."""
        response = client.get(url, pointed=pointed)
        if response.error:
            raise FeedsError(f"{url}: {response.error}; not added")
        if not response.ok:
            raise FeedsError(f"{url}: HTTP {response.status}; not added")
        parsed = parse_feed(response.body)
        if not parsed.error:
            return parsed
        head = response.body[:4096].lower()
        if b"<html" in head or b"<!doctype html" in head or b"<head" in head:
            html = decode_text(response.body, "html") or ""
            return feed_links(html, response.final_url)
        raise FeedsError(f"{url}: {parsed.error}; not added")

    def remove(self, feed_id: str) -> None:
        self.subscriptions.remove(feed_id)

    def import_opml(self, path: Path) -> tuple[list[Feed], list[str]]:
        """Add every feed of an OPML file; (added, one line per feed not added)."""
        try:
            entries = read_opml(path.read_bytes())
        except OSError as error:
            raise FeedsError(f"{path}: cannot be read ({error.strerror or error})") from None
        except OpmlError as error:
            raise FeedsError(f"{path}: {error}") from None
        feeds: list[Feed] = []
        skipped: list[str] = []
        for url, title in entries:
            try:
                url = checked_url(url)
            except FeedsError as error:
                skipped.append(str(error))
                continue
            feeds.append(Feed(feed_id_for(title, url), url, title=clean_text(title)))
        added, refused = self.subscriptions.add_many(feeds)  # one write, nothing fetched
        return added, skipped + refused

    def export_opml(self) -> str:
        return write_opml(self.feeds()[0])

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the fetch lock (`fetch.lock`) for a fetch; FetchBusy at once if it is held."""
        stack = contextlib.ExitStack()
        try:
            stack.enter_context(file_lock(self.lock_path, timeout=0.0))
        except LockTimeout as error:
            raise FetchBusy(f"another briefing is fetching feeds: {error}") from None
        with stack:
            yield

    def fetch(
        self,
        importer: Importer | LockedImports,
        only: str | None = None,
        force: bool = False,
        progress: FetchProgress | None = None,
        client: PoliteClient | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> FetchReport:
        """Fetch the due feeds (or only `only`) into the library through `importer`.

        The caller holds `exclusive()` (and the library's import lock). When
        `stop()` turns true the fetch ends after the feeds already downloaded,
        keeping what they brought.
        """
        feeds, problems = self.feeds()
        if only is not None:
            feeds = [feed for feed in feeds if feed.id == only]
            if not feeds:
                raise FeedsError(f"no feed {only!r} in {self.subscriptions.path}")
        ledger = Ledger.load(self.ledger_path)
        if ledger.notice:
            problems.append(ledger.notice)
        own = client is None
        client = client or PoliteClient()
        try:
            report = Fetcher(importer, ledger, client).run(feeds, force, progress, stop)
        finally:
            if own:
                client.close()
        report.problems[:0] = problems
        for outcome in report.feeds:
            if not outcome.moved_to or outcome.status == "failed":
                continue
            if not same_host(outcome.feed.url, outcome.moved_to):
                elsewhere = outcome.proposed_move = outcome.moved_to
                outcome.moved_to = None
                feed_id = outcome.feed.id
                report.problems.append(
                    f"{feed_id}: the server says the feed moved for good to {elsewhere}; "
                    f"`briefing feeds accept {feed_id}` follows it there"
                )
                continue
            try:
                self.subscriptions.move(outcome.feed.id, outcome.moved_to)
            except FeedsError as error:
                report.problems.append(str(error))
        return report

    def accept_move(self, feed_id: str) -> str:
        """Follow a feed at the other host its server moved it to; the new URL.

        Under the fetch lock, so a fetch saving its state cannot bring the move back."""
        with self.exclusive():
            ledger = Ledger.load(self.ledger_path)
            state = ledger.feeds.get(feed_id)
            if state is None or not state.moved_to:
                raise FeedsError(f"{feed_id!r} has no move to accept (see `briefing feeds list`)")
            url = state.moved_to
            self.subscriptions.move(feed_id, url)
            state.moved_to = ""
            ledger.save()
        return url
