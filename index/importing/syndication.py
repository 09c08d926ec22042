"""Feeds as data: RSS and Atom (through feedparser) and JSON Feed, read into items.

Both a saved feed file (`briefing import feed.xml`) and a fetched one
(`briefing fetch`) are read here, so an item becomes the same article either
way. A feed is untrusted: its text is cleaned on the way in
(`incoming.make_incoming`), and a feed holds at most MAX_ITEMS items.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import feedparser

from ..sanitize import clean_text
from .incoming import Incoming, make_incoming, parse_date
from .pages import html_to_text

MAX_ITEMS = 1000
"""Items read from one feed; the rest are left out (a feed this long is an archive)."""
SHORT_FIELD_BYTES = 4096
"""Bytes kept of a feed's short fields (title, author, link…) before it is parsed."""
"""Characters of a summary kept beside the full text."""
JSON_FEED_VERSION = "https://jsonfeed.org/version/"


@dataclass
class FeedItem:
    """One entry of a feed, before it becomes an article."""

    title: str
    url: str
    text: str
    """The entry's text (its content, or its summary when it has none), as plain text."""
    summary: str = ""
    """The entry's summary when it also has content; else empty."""
    published: str | None = None
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class ParsedFeed:
    """A feed's title, language, site and items; `error` says why there are none."""

    title: str = ""
    language: str = ""
    site: str = ""
    items: list[FeedItem] = field(default_factory=list)
    kind: str = ""
    """"RSS", "Atom" or "JSON Feed"."""
    error: str | None = None
    warning: str = ""
    """Set when the feed was read in spite of mistakes (XML that is not well-formed)."""


def parse_feed(raw: bytes | str) -> ParsedFeed:
    """The feed in `raw` (bytes keep the encoding the feed declares)."""
    head = raw[:256].lstrip()
    if (head[:1] == b"{") if isinstance(head, bytes) else head.startswith("{"):
        return _parse_json_feed(raw)
    parsed = feedparser.parse(cap_short_fields(raw), sanitize_html=True, resolve_relative_uris=True)
    if not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None)
        if reason is not None:
            return ParsedFeed(error=f"not a readable RSS or Atom feed: {_one_line(str(reason))}")
        if not parsed.version:
            return ParsedFeed(error="not an RSS or Atom feed")
    meta = parsed.feed
    feed = ParsedFeed(
        title=_one_line(str(meta.get("title", ""))),
        language=str(meta.get("language", "")).split("-")[0].lower(),
        site=str(meta.get("link", "")),
        kind="Atom" if str(parsed.version).startswith("atom") else "RSS",
    )
    if parsed.bozo and parsed.entries:
        reason = _one_line(str(getattr(parsed, "bozo_exception", "")))
        feed.warning = f"not well-formed ({reason}); read what could be read"
    for entry in parsed.entries[:MAX_ITEMS]:
        content = entry.get("content") or []
        summary_html = str(entry.get("summary", ""))
        html = str(content[0].get("value", "")) if content else summary_html
        text = html_to_text(html) if html else ""
        summary = html_to_text(summary_html) if content and summary_html else ""
        date = entry.get("published_parsed") or entry.get("updated_parsed")
        authors = [str(a.get("name", "")) for a in entry.get("authors", []) if a.get("name")]
        feed.items.append(
            FeedItem(
                title=_one_line(str(entry.get("title", ""))),
                url=str(entry.get("link", "")),
                text=text,
                summary=summary if summary != text else "",
                published=_struct_date(date),
                tags=[str(tag.get("term", "")) for tag in entry.get("tags", []) if tag.get("term")],
                authors=authors or ([str(entry["author"])] if entry.get("author") else []),
            )
        )
    if parsed.bozo and not any(item.text.strip() or item.url for item in feed.items):
        reason = _one_line(str(getattr(parsed, "bozo_exception", "")))
        return ParsedFeed(error=f"not a readable RSS or Atom feed: {reason}")
    return feed


_SHORT_FIELD = re.compile(
    rb"(<(?:[\w.-]+:)?(?:author|creator|name|email|category|title|link|guid|id|uri|"
    rb"managingEditor|webMaster|contributor)\b[^>]{0,2000}>(?:<!\[CDATA\[)?)"
    rb"([^<\]]{%d,})(?=</|\]\]>)" % SHORT_FIELD_BYTES,
    re.IGNORECASE,
)
"""A short field's start tag and the text after it, when that text is over the cap."""


def cap_short_fields(raw: bytes | str) -> bytes:
    """The feed with every short field (title, author, link…) cut to SHORT_FIELD_BYTES.

    feedparser's author handling is quadratic (a 300 KB author took minutes), so
    the cut is made before it reads the feed, in one linear scan; a longer title
    would be cut at the door anyway.
    """
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    if len(data) < SHORT_FIELD_BYTES:
        return data
    return _SHORT_FIELD.sub(lambda found: found[1] + _cut(found[2]), data)


def _cut(text: bytes) -> bytes:
    """The first SHORT_FIELD_BYTES of a field's text, not ending inside a character or entity."""
    kept = text[:SHORT_FIELD_BYTES]
    while kept and 0x80 <= kept[-1] < 0xC0:  # a UTF-8 continuation byte: back to its start
        kept = kept[:-1]
    if kept and kept[-1] >= 0xC0:
        kept = kept[:-1]
    amp = kept.rfind(b"&")
    if amp >= 0 and b";" not in kept[amp:]:
        kept = kept[:amp]
    return kept


def item_incoming(
    item: FeedItem,
    feed: ParsedFeed,
    origin: str,
    blocks: list[tuple[str, str]] | None = None,
    source: str | None = None,
) -> Incoming:
    """The article an item becomes: its own text, or `blocks` (the page's full text)."""
    if blocks is None:
        blocks = [("paragraph", paragraph) for paragraph in item.text.split("\n\n")]
    return make_incoming(
        item.title,
        blocks,
        origin,
        url=item.url,
        published=parse_date(item.published),
        tags=item.tags,
        credits=item.authors,
        language=feed.language,
        source_name=feed.title,
        source=source,
        summary=item.summary,
    )


def _parse_json_feed(raw: bytes | str) -> ParsedFeed:
    """A JSON Feed (https://jsonfeed.org/version/1.1)."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as error:
        return ParsedFeed(error=f"not a readable JSON Feed: {_one_line(str(error))}")
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(JSON_FEED_VERSION):
        return ParsedFeed(error="JSON, but not a JSON Feed (no jsonfeed.org version)")
    items = data.get("items")
    if not isinstance(items, list):
        return ParsedFeed(error="a JSON Feed without a list of items")
    feed = ParsedFeed(
        title=_one_line(_string(data.get("title"))),
        language=_string(data.get("language")).split("-")[0].lower(),
        site=_string(data.get("home_page_url")),
        kind="JSON Feed",
    )
    for entry in items[:MAX_ITEMS]:
        if not isinstance(entry, dict):
            continue
        html = _string(entry.get("content_html"))
        text = html_to_text(html) if html else _string(entry.get("content_text"))
        summary = _string(entry.get("summary"))
        if not text.strip():
            text, summary = summary, ""
        authors = entry.get("authors") or ([entry["author"]] if entry.get("author") else [])
        authors = authors if isinstance(authors, list) else []
        tags = entry.get("tags")
        tags = tags if isinstance(tags, list) else []
        feed.items.append(
            FeedItem(
                title=_one_line(_string(entry.get("title"))),
                url=_string(entry.get("url") or entry.get("external_url")),
                text=text,
                summary=summary if summary != text else "",
                published=_string(entry.get("date_published") or entry.get("date_modified"))
                or None,
                tags=[_string(tag) for tag in tags if _string(tag)],
                authors=[
                    _string(a.get("name"))
                    for a in authors
                    if isinstance(a, dict) and _string(a.get("name"))
                ],
            )
        )
    return feed


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


def _struct_date(value: Any) -> str | None:
    if not value:
        return None
    return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
