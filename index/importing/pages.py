"""The article in a web page, and the text of an HTML fragment.

A page's main text, title, date, author and keywords come from trafilatura
(with htmldate for dates), the library made for this: on the public
article-extraction benchmark pages it scores F1 0.954 (see
`benchmarks/extraction.py`), where hand-written rules scored 0.856. Comments
under the article are not its text (`include_comments=False`).

A fragment (a feed entry's content, an archive record's HTML) is not a page:
there is no boilerplate to find, so its paragraphs are read as they are.

Scripts never run and markup never survives: the result is plain text blocks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import Document

BLOCK_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li blockquote pre dd dt figcaption td th".split())
MIN_WORDS = 5
"""Fewer words than this is not an article."""
SKIPPED_TAGS = frozenset("script style template noscript iframe object embed svg".split())
log = logging.getLogger(__name__)
logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its warnings are about the page
logging.getLogger("htmldate").setLevel(logging.ERROR)


@dataclass
class Page:
    """What a page yields: its text blocks (kind, text) and metadata."""

    blocks: list[tuple[str, str]] = field(default_factory=list)
    title: str = ""
    date: str = ""
    url: str = ""
    author: str = ""
    keywords: list[str] = field(default_factory=list)
    language: str = ""
    site: str = ""


def extract(html: str, url: str = "") -> Page:
    """The page's main text blocks and metadata; no blocks when it has no article text."""
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
        )
    except (ValueError, TypeError, etree.LxmlError) as error:  # a page lxml cannot parse
        log.info("no text extracted from %s: %s", url or "a page", error)
        return Page()
    if not isinstance(document, Document):  # None: nothing found (a dict only when asked)
        return Page()
    page = Page(
        title=_one_line(document.title),
        date=document.date or "",
        url=document.url or url,
        author=_one_line(document.author),
        keywords=_keywords([*(document.tags or []), *(document.categories or [])]),
        language=document.language or "",
        site=_one_line(document.sitename),
    )
    body = document.body
    page.blocks = _blocks(body) if body is not None else _paragraphs(document.text or "")
    if page.blocks and page.blocks[0] == ("heading", page.title):
        page.blocks.pop(0)  # the title is the article's title, not its first heading
    words = sum(len(text.split()) for _kind, text in page.blocks)
    if words < MIN_WORDS:  # a menu or a footer the extractor fell back on: not an article
        return Page()
    return page


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), one paragraph per line."""
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(fragment.split())
    paragraphs: list[str] = []
    current: list[str] = []

    def close() -> None:
        text = " ".join("".join(current).split())
        if text:
            paragraphs.append(text)
        current.clear()

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in SKIPPED_TAGS:
            if element.tail:
                current.append(element.tail)
            return
        block = tag in BLOCK_TAGS or tag in ("div", "section", "article", "ul", "ol", "table")
        if block:
            close()
        if tag == "br":
            close()
        elif element.text and tag:
            current.append(element.text)
        for child in element:
            walk(child)
        if block:
            close()
        if element.tail:
            current.append(element.tail)

    walk(root)
    close()
    return "\n\n".join(paragraphs)


def _blocks(body: Any) -> list[tuple[str, str]]:
    """(kind, text) of each block of trafilatura's body, and of the text between them."""
    blocks: list[tuple[str, str]] = []
    if body.text and body.text.strip():
        blocks.append(("paragraph", " ".join(body.text.split())))
    for element in body:
        blocks += _element_blocks(element)
        if element.tail and element.tail.strip():  # text between blocks is a paragraph
            blocks.append(("paragraph", " ".join(element.tail.split())))
    return blocks


def _element_blocks(element: Any) -> list[tuple[str, str]]:
    """The blocks of one element of trafilatura's body: p, head, quote, list, table…"""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "list":
        items = (_text(item) for item in element.iter("item"))
        return [("paragraph", item) for item in items if item]
    if tag == "table":
        rows = (
            " · ".join(c for c in map(_text, row.iter("cell")) if c) for row in element.iter("row")
        )
        return [("paragraph", row) for row in rows if row]
    text = "" if tag == "graphic" else _text(element)
    return [("heading" if tag == "head" else "paragraph", text)] if text else []


def _keywords(values: list[str]) -> list[str]:
    return [word for word in map(_one_line, values) if word]


def _paragraphs(text: str) -> list[tuple[str, str]]:
    return [("paragraph", line.strip()) for line in text.splitlines() if line.strip()]


def _text(element: Any) -> str:
    lines = "".join(element.itertext()).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())
