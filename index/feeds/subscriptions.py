"""The feeds a user follows: `feeds.yaml` in their library, a file they may also edit.

Each entry names a feed by its URL, with an id (made from its title or host),
the source its articles belong to (none: found per article, as for files),
and optional overrides: `full_text` (true, false, or left out: fetch the
page when an item carries only a summary), `interval` in minutes (default
60), `user_agent`. Entries that cannot be used are reported, one line each,
and skipped; the others are followed. Changes go through `LibraryFiles`:
under a lock, atomically, every other entry kept as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..content.catalog import SOURCE_ID
from ..errors import FeedsError
from ..importing.incoming import slug
from ..sanitize import clean_text, unsafe_url
from ..userdata.library_files import LibraryFiles

FEEDS_FILE = "feeds.yaml"
HEADER = (
    "# The feeds you follow (briefing feeds add/remove, or edit by hand). Per feed: url, id,\n"
    "# source, title; optional full_text (true/false; left out: when an item is a summary),\n"
    "# interval (minutes between fetches, default 60), user_agent.\n"
)
DEFAULT_INTERVAL = 60
MIN_INTERVAL = 5
"""Minutes: a feed is never fetched more often than this, whatever the file says."""


@dataclass(frozen=True)
class Feed:
    id: str
    url: str
    source: str | None = None
    title: str = ""
    full_text: bool | None = None
    """True: always fetch the page; False: never; None: when the item is only a summary."""
    interval: int = DEFAULT_INTERVAL
    """Minutes between fetches."""
    user_agent: str = ""

    def to_yaml(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": self.id, "url": self.url}
        if self.source:
            entry["source"] = self.source
        if self.title:
            entry["title"] = self.title
        if self.full_text is not None:
            entry["full_text"] = self.full_text
        if self.interval != DEFAULT_INTERVAL:
            entry["interval"] = self.interval
        if self.user_agent:
            entry["user_agent"] = self.user_agent
        return entry


def checked_url(url: str) -> str:
    """`url` when it is an http(s) URL with a host; else FeedsError."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if unsafe_url(url) or any(ord(char) < 33 for char in url):
        shown = clean_text(url)  # the refusal never prints what it refuses
        raise FeedsError(f"{shown!r}: a URL holds no spaces, control or invisible characters")
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedsError(f"{url!r} is not an http:// or https:// URL")
    return url


def feed_id_for(title: str, url: str) -> str:
    """An id from the feed's title, or its host and path: "KCNA Watch" → "kcna-watch"."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return slug(title, 40) or slug(f"{host} {parts.path}", 40) or "feed"


class Subscriptions:
    """The `feeds.yaml` of one library folder."""

    def __init__(self, library: Path) -> None:
        self.files = LibraryFiles(library, FeedsError)
        self.path = library / FEEDS_FILE

    def read(self) -> tuple[list[Feed], list[str]]:
        """The usable feeds, and one line per entry that cannot be used."""
        data = self.files.read(FEEDS_FILE, list) or []
        feeds: list[Feed] = []
        problems: list[str] = []
        seen: set[str] = set()
        for number, entry in enumerate(data, 1):
            try:
                feed = _feed_from(entry)
            except FeedsError as error:
                problems.append(f"{self.path}: entry {number}: {error}")
                continue
            if feed.id in seen:
                problems.append(f"{self.path}: entry {number}: id {feed.id!r} is used twice")
                continue
            seen.add(feed.id)
            feeds.append(feed)
        return feeds, problems

    def add(self, feed: Feed) -> Feed:
        """Add a feed; refused when its URL is followed already (an id in use gets a number)."""
        added, refused = self.add_many([feed])
        if refused:
            raise FeedsError(refused[0])
        return added[0]

    def add_many(self, feeds: list[Feed]) -> tuple[list[Feed], list[str]]:
        """Add feeds in one write of feeds.yaml (an OPML file of 10,000 in a second or two);
        (added, one line for each refused: a bad URL, or one followed already)."""
        added: list[Feed] = []
        refused: list[str] = []

        def apply(data: Any) -> Any:
            data = list(data or [])
            ids = {str(e.get("id")) for e in data if isinstance(e, dict)}
            urls = {str(e.get("url", "")).strip(): e.get("id") for e in data if isinstance(e, dict)}
            added.clear()
            refused.clear()
            for feed in feeds:
                try:
                    checked_url(feed.url)
                except FeedsError as error:
                    refused.append(str(error))
                    continue
                if feed.url in urls:
                    refused.append(f"{feed.url} is followed already, as {urls[feed.url]!r}")
                    continue
                feed_id, number = feed.id, 2
                while feed_id in ids:
                    feed_id, number = f"{feed.id}-{number}", number + 1
                new = Feed(
                    feed_id,
                    feed.url,
                    feed.source,
                    feed.title,
                    feed.full_text,
                    feed.interval,
                    feed.user_agent,
                )
                ids.add(feed_id)
                urls[feed.url] = feed_id
                added.append(new)
                data.append(new.to_yaml())
            return data

        self.files.change(FEEDS_FILE, apply, list, HEADER)
        return added, refused

    def remove(self, feed_id: str) -> None:
        def apply(data: Any) -> Any:
            kept = [e for e in data or [] if _entry_id(e) != feed_id]
            if len(kept) == len(data or []):
                raise FeedsError(f"no feed {feed_id!r} in {self.path}")
            return kept

        self.files.change(FEEDS_FILE, apply, list, HEADER)

    def move(self, feed_id: str, url: str) -> None:
        """A feed moved for good (a permanent redirect): follow it at its new URL."""
        checked_url(url)

        def apply(data: Any) -> Any:
            for entry in data or []:
                if _entry_id(entry) == feed_id:
                    entry["url"] = url
            return data

        self.files.change(FEEDS_FILE, apply, list, HEADER)


def _entry_id(entry: Any) -> str | None:
    """The id an entry is known by: its own, or the one `read` makes for it."""
    if not isinstance(entry, dict):
        return None
    if entry.get("id"):
        return str(entry["id"])
    try:
        return _feed_from(entry).id
    except FeedsError:
        return None


def _feed_from(entry: Any) -> Feed:
    if not isinstance(entry, dict):
        raise FeedsError("not a mapping with a url")
    url = checked_url(str(entry.get("url") or ""))
    feed_id = str(entry.get("id") or feed_id_for(str(entry.get("title") or ""), url))
    if not SOURCE_ID.fullmatch(feed_id):
        raise FeedsError(f"id {feed_id!r}: lowercase letters, digits, '.', '_', '-'")
    source = entry.get("source")
    if source is not None and not SOURCE_ID.fullmatch(str(source)):
        raise FeedsError(f"source {source!r}: lowercase letters, digits, '.', '_', '-'")
    full_text = entry.get("full_text")
    if full_text not in (None, True, False, "auto"):
        raise FeedsError(f"full_text {full_text!r}: true, false or auto")
    interval = entry.get("interval", DEFAULT_INTERVAL)
    if isinstance(interval, bool) or not isinstance(interval, int) or interval < MIN_INTERVAL:
        raise FeedsError(f"interval {interval!r}: whole minutes, at least {MIN_INTERVAL}")
    agent = entry.get("user_agent") or ""
    if not isinstance(agent, str) or any(ord(char) < 32 for char in agent):
        raise FeedsError("user_agent: one line of text")
    return Feed(
        feed_id,
        url,
        str(source) if source else None,
        " ".join(clean_text(str(entry.get("title") or "")).split())[:200],
        None if full_text == "auto" else full_text,
        interval,
        agent.strip(),
    )
