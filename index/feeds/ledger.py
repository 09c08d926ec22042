"""What each fetch of each feed did, and when the feed may be asked again.

Kept in the data dir (`feeds-state.json`, written atomically): the validators
a server sent (`ETag`, `Last-Modified`, exactly as received, sent back on the
next fetch and kept after a 304), the last fetch's time, status and error,
consecutive failures, and three times a feed must wait for:

- `next_due`: the feed's interval after its last fetch (with jitter, so feeds
  do not all fall due at once); `--force` skips this one only;
- `backoff_until`: after failures, BACKOFF_BASE doubling per failure up to
  BACKOFF_CAP;
- `retry_until`: what a server asked for with `Retry-After` on a 429 or 503
  (then the back-off is that long too; a 429 or 503 without it backs off).

`recent` lists the articles the latest fetches brought, with their sources
(for the app's "new" marks and counts). A file that cannot be read is moved
aside, never overwritten.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from ..sanitize import clean_text
from ..storage import atomic_write_text

BACKOFF_BASE = 15 * 60.0
BACKOFF_CAP = 24 * 3600.0
JITTER = 0.1
"""A feed falls due its interval ± 10% after its last fetch."""
RECENT = 2000
"""Articles remembered as new."""


@dataclass
class FeedState:
    url: str = ""
    """The URL the validators belong to."""
    etag: str = ""
    last_modified: str = ""
    last_fetch: float = 0.0
    status: str = ""
    """"new", "not modified", "nothing new", or "failed"; empty before the first fetch."""
    error: str = ""
    failures: int = 0
    next_due: float = 0.0
    backoff_until: float = 0.0
    retry_until: float = 0.0
    new_items: int = 0
    """Articles the last fetch brought."""
    total_items: int = 0
    moved_to: str = ""
    """Another host the feed's server says it moved to for good, until the user accepts it
    (`briefing feeds accept ID`): a redirect alone never moves a feed to another host."""

    def waits_for(self, now: float, force: bool = False) -> tuple[float, str] | None:
        """(until, why) when the feed may not be fetched now; None when it may."""
        if self.retry_until > now:
            return self.retry_until, "the server asked to wait (Retry-After)"
        if self.backoff_until > now:
            return self.backoff_until, f"backing off after {self.failures} failures"
        if not force and self.next_due > now:
            return self.next_due, "not due yet"
        return None

    def succeeded(self, now: float, interval_minutes: int, status: str, new: int) -> None:
        self.last_fetch, self.status, self.error = now, status, ""
        self.failures, self.backoff_until, self.new_items = 0, 0.0, new
        self.total_items += new
        self.next_due = now + due_after(interval_minutes)

    def failed(
        self, now: float, interval_minutes: int, error: str, wait: float | None = None
    ) -> None:
        """A failed fetch: back off, and honour a server's wait (`wait` seconds) on top."""
        self.last_fetch, self.status, self.error = now, "failed", clean_text(error)[:300]
        self.failures += 1
        self.new_items = 0
        if wait is not None:  # the server said how long: that (a minute at least), no guessing
            self.retry_until = self.backoff_until = now + min(max(wait, 60.0), BACKOFF_CAP)
        else:
            self.backoff_until = now + min(BACKOFF_BASE * 2 ** (self.failures - 1), BACKOFF_CAP)
        self.next_due = now + due_after(interval_minutes)


def due_after(interval_minutes: int) -> float:
    return interval_minutes * 60.0 * random.uniform(1 - JITTER, 1 + JITTER)


@dataclass
class Ledger:
    """Every feed's state, by feed id, and the articles lately fetched."""

    path: Path
    feeds: dict[str, FeedState] = field(default_factory=dict)
    recent: list[tuple[str, str]] = field(default_factory=list)
    """(article id, source id), oldest first."""
    notice: str = ""
    """Set when an unreadable file was moved aside."""

    @classmethod
    def load(cls, path: Path) -> Ledger:
        ledger = cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            known = {f.name for f in fields(FeedState)}
            for feed_id, entry in data.get("feeds", {}).items():
                state = FeedState(**{k: v for k, v in entry.items() if k in known})
                ledger.feeds[str(feed_id)] = state
            recent = data.get("recent", [])[-RECENT:]
            ledger.recent = [(str(pair[0]), str(pair[1])) for pair in recent if len(pair) == 2]
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError, AttributeError) as error:
            aside = path.with_name(f"{path.name}.unreadable-{int(time.time())}")
            try:
                path.rename(aside)
            except OSError:
                aside = path
            ledger = cls(
                path,
                notice=f"{path}: cannot be read ({error}); kept as {aside.name}, "
                "feeds start afresh",
            )
        return ledger

    def state(self, feed_id: str) -> FeedState:
        return self.feeds.setdefault(feed_id, FeedState())

    def add_recent(self, articles: dict[str, str]) -> None:
        """Remember articles (id → source) as new."""
        self.recent = [*self.recent, *articles.items()][-RECENT:]

    def save(self) -> None:
        data: dict[str, Any] = {
            "feeds": {feed_id: asdict(state) for feed_id, state in self.feeds.items()},
            "recent": [list(pair) for pair in self.recent],
        }
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1))
