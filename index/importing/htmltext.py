"""The main text of a saved web page, without navigation and boilerplate.

Uses the standard library's HTML parser and a few documented rules:

- Only the article is read when the page marks it (`<article>`, `<main>`,
  `role="main"` or `itemprop="articleBody"`); otherwise the whole body.
- Never text: script, style, template, svg, nav, header, footer, aside, form,
  button, noscript, iframe, and any element whose class or id names a page part
  (nav, menu, footer, sidebar, share, social, comment, related, advert, cookie,
  newsletter, subscribe, breadcrumb, byline-less widgets…).
- Blocks are paragraphs, headings, list items, quotes, captions and preformatted
  text; a short block that is mostly link text (a menu that escaped the rules
  above) is dropped.
- Title, date, URL, author and keywords come from the page's metadata
  (Open Graph, article:*, canonical link, the first <h1>, <title>); a block
  whose class says byline or author becomes the credit, not body text.

Scripts never run and markup never survives: the result is plain text blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIP_TAGS = frozenset(
    "script style template svg nav header footer aside form button noscript iframe select "
    "option object embed canvas math dialog menu".split()
)
BLOCK_TAGS = {"p": "paragraph", "h1": "heading", "h2": "heading", "h3": "heading",
              "h4": "heading", "h5": "heading", "h6": "heading", "li": "paragraph",
              "blockquote": "paragraph", "figcaption": "caption", "pre": "paragraph",
              "dd": "paragraph", "dt": "paragraph", "td": "paragraph"}  # fmt: skip
BREAK_TAGS = frozenset({"br", "div", "section", "tr", "table", "ul", "ol", "figure", "article"})
VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())
BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|header|sidebar|share|sharing|social|comments?|"
    r"related|recommended|advert|ads?|promo|cookie|consent|newsletter|subscribe|breadcrumbs?|"
    r"pagination|pager|tags?-list|toolbar|masthead|skip)(?:$|[\s_-])",
    re.IGNORECASE,
)
MAIN_MARKERS = ("article", "main")
BYLINE = re.compile(r"byline|author", re.IGNORECASE)


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


@dataclass
class _Block:
    kind: str
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipping, main)
        self.skip_depth = 0
        self.main_depth = 0
        self.saw_main = False
        self.body_blocks: list[tuple[str, str, float, bool]] = []  # kind, text, link ratio, in main
        self.block: _Block | None = None
        self.in_link = 0
        self.in_title = False
        self.first_h1 = ""
        self.meta_title = ""
        self._h1_parts: list[str] | None = None

    # -- structure --------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "meta":
            self._meta(attributes)
            return
        if tag == "link" and "canonical" in attributes.get("rel", "").split():
            self.page.url = self.page.url or attributes.get("href", "")
            return
        if tag == "html":
            self.page.language = attributes.get("lang", "")
        if tag in VOID_TAGS:
            if tag == "br" and self.block is not None:
                self.block.parts.append("\n")
            return
        skipping = tag in SKIP_TAGS or bool(
            BOILERPLATE.search(f"{attributes.get('class', '')} {attributes.get('id', '')}")
            and tag not in ("body", "html", "article", "main")
        )
        main = (
            tag in MAIN_MARKERS
            or attributes.get("role") == "main"
            or (attributes.get("itemprop") == "articleBody")
        )
        self.stack.append((tag, skipping, main))
        self.skip_depth += skipping
        self.main_depth += main
        self.saw_main = self.saw_main or main
        if tag == "title":
            self.in_title = True
        elif tag == "a":
            self.in_link += 1
        elif tag == "h1" and not self.first_h1:
            self._h1_parts = []
        if tag in BLOCK_TAGS and not self.skip_depth:
            self._close_block()
            byline = BYLINE.search(f"{attributes.get('class', '')} {attributes.get('rel', '')}")
            self.block = _Block("byline" if byline else BLOCK_TAGS[tag])
        elif tag in BREAK_TAGS:
            self._close_block()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if tag == "title":
            self.in_title = False
        if tag == "h1" and self._h1_parts is not None:
            self.first_h1 = _squash("".join(self._h1_parts))
            self._h1_parts = None
        for depth in range(len(self.stack) - 1, -1, -1):  # tolerate unclosed inner tags
            if self.stack[depth][0] == tag:
                for closed, skipping, main in reversed(self.stack[depth:]):
                    self.skip_depth -= skipping
                    self.main_depth -= main
                    if closed == "a":
                        self.in_link = max(0, self.in_link - 1)
                del self.stack[depth:]
                break
        if tag in BLOCK_TAGS or tag in BREAK_TAGS:
            self._close_block()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.page.title += data
            return
        if self._h1_parts is not None:
            self._h1_parts.append(data)
        if self.skip_depth:
            return
        if self.block is None:
            if not data.strip():
                return
            self.block = _Block("paragraph")
        self.block.parts.append(data)
        if self.in_link:
            self.block.link_chars += len(data.strip())

    def _close_block(self) -> None:
        block, self.block = self.block, None
        if block is None:
            return
        text = _squash("".join(block.parts))
        if text:
            ratio = block.link_chars / max(1, len(text))
            self.body_blocks.append((block.kind, text, ratio, self.main_depth > 0))

    def _meta(self, attributes: dict[str, str]) -> None:
        key = (attributes.get("property") or attributes.get("name") or "").lower()
        value = _squash(attributes.get("content", ""))
        if not value:
            return
        page = self.page
        if key in ("og:title", "twitter:title"):
            self.meta_title = self.meta_title or value
        elif key in ("article:published_time", "date", "pubdate", "dc.date", "publish-date"):
            page.date = page.date or value
        elif key == "og:url":
            page.url = page.url or value
        elif key in ("author", "article:author"):
            page.author = page.author or value
        elif key in ("keywords", "news_keywords"):
            page.keywords = [k.strip() for k in value.split(",") if k.strip()]
        elif key == "article:tag":
            page.keywords.append(value)
        elif key == "og:site_name":
            page.site = value

    # -- result -----------------------------------------------------------------------

    def result(self) -> Page:
        self._close_block()
        page = self.page
        page.title = self.meta_title or self.first_h1 or _squash(page.title)
        in_main = [b for b in self.body_blocks if b[3]] if self.saw_main else self.body_blocks
        for kind, text, link_ratio, _main in in_main:
            if kind == "byline":
                page.author = page.author or re.sub(r"^[Bb]y\s+", "", text)
                continue
            if link_ratio > 0.5 and len(text.split()) < 25:
                continue
            if kind == "heading" and _squash(text) == page.title:
                continue
            page.blocks.append((kind, text))
        return page


def extract(html: str) -> Page:
    """Read a page's main text blocks and metadata."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.result()


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), one paragraph per line."""
    return "\n\n".join(text for _kind, text in extract(f"<body>{fragment}</body>").blocks)


def _squash(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()
