"""Finding a site's feed from one of its pages: `<link rel="alternate" type=…feed…>`."""

from __future__ import annotations

from urllib.parse import urljoin

import lxml.html
from lxml import etree

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
)


def feed_links(html: str, page_url: str) -> list[tuple[str, str]]:
    """(url, title) of each feed a page announces, in the page's order, absolute."""
    try:
        root = lxml.html.fromstring(html.encode("utf-8", "replace"))
    except (etree.LxmlError, ValueError):
        return []
    base = root.find(".//base[@href]")
    base_url = urljoin(page_url, base.get("href")) if base is not None else page_url
    found: list[tuple[str, str]] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href:
            url = urljoin(base_url, href)
            if url.startswith(("http://", "https://")) and url not in (u for u, _ in found):
                found.append((url, " ".join((link.get("title") or "").split())))
    return found
