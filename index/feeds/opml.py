"""OPML, the file feed readers exchange subscriptions in: read (import) and written (export).

Reading is defensive: an OPML file is untrusted XML, parsed without entities,
DTDs or network access, capped at MAX_OPML_BYTES; every `outline` with an
`xmlUrl` is a feed, at any depth (folders are only groups).
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from ..errors import OpmlError
from .subscriptions import Feed

MAX_OPML_BYTES = 5 << 20


def read_opml(raw: bytes) -> list[tuple[str, str]]:
    """(xmlUrl, title) of each feed in the OPML document."""
    if len(raw) > MAX_OPML_BYTES:
        raise OpmlError(f"larger than {MAX_OPML_BYTES >> 20} MB")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        raise OpmlError(f"not well-formed XML: {error}") from None
    if not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise OpmlError("not an OPML document (no <opml> element)")
    feeds: list[tuple[str, str]] = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            title = outline.get("title") or outline.get("text") or ""
            feeds.append((url, " ".join(title.split())))
    return feeds


def write_opml(feeds: list[Feed], title: str = "briefing subscriptions") -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{escape(title)}</title></head>",
        "  <body>",
    ]
    for feed in feeds:
        name = feed.title or feed.id
        lines.append(
            f'    <outline type="rss" text={quoteattr(name)} title={quoteattr(name)} '
            f"xmlUrl={quoteattr(feed.url)}/>"
        )
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
