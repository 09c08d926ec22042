"""Reading the files a user imports: Markdown, plain text, HTML, JSON, JSON Lines, feeds.

The format comes from the file name (.md, .txt, .html, .json, .jsonl, .xml/.rss/
.atom) or, failing that, from the first bytes. Each reader yields the articles
it finds and fills in a `FileOutcome`: how many records had no text (skipped),
per-record problems, or one reason the file could not be read. Archives are
streamed (`importing.archives`); a text or Markdown file is read only as far
as one article holds (MAX_ARTICLE_CHARS), so a 50 MB text costs what its first
5,000,000 characters do; a page or feed is read whole up to MAX_DOCUMENT_BYTES.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from ..content.articles import MAX_ARTICLE_CHARS, parse_article
from ..content.body import parse_body
from .archives import read_json, read_jsonl
from .incoming import FileOutcome, Incoming, make_incoming, parse_date
from .pages import extract
from .syndication import item_incoming, parse_feed

MAX_DOCUMENT_BYTES = 50 << 20
"""A file read whole (page, text, feed) may be this large; archives are streamed."""
HEAD_BYTES = 1 << 16
EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
BOILERPLATE_LINES = re.compile(
    r"^(?:\d{1,4}|read in korean|read in english|disclaimer\b.*|please send any comments.*|"
    r"views expressed in this .*|©.*|copyright .*|all rights reserved.*|share this.*|"
    r"follow us.*|advertisement)$",
    re.IGNORECASE,
)
CREDIT_LINE = re.compile(
    r"^(?:(?:translated|edited|written|reported|photo(?:graph)?s?) by\b|by\s)", re.IGNORECASE
)


def read_file(path: Path, outcome: FileOutcome) -> Iterator[Incoming | None]:
    """The articles of one file (None for an exact repeat of an earlier archive record).

    Never raises for bad content: why a file (or the rest of an archive) could
    not be read is `outcome.error`; per-record problems are `outcome.problems`.
    """
    try:
        handle = path.open("rb")
    except OSError as error:
        outcome.error = f"cannot read: {error.strerror or error}"
        return
    with handle:
        try:
            outcome.size = os.fstat(handle.fileno()).st_size
            head = handle.read(HEAD_BYTES)
        except OSError as error:
            outcome.error = f"cannot read: {error.strerror or error}"
            return
        if not head.strip():
            outcome.error = "empty file"
            return
        if b"\x00" in head[:8192]:
            outcome.error = "binary file, not text"
            return
        kind = EXTENSIONS.get(path.suffix.lower()) or _sniff(head)
        found = 0
        try:
            if kind in ARCHIVES:
                handle.seek(0)
                for article in ARCHIVES[kind](handle, outcome):
                    found += 1
                    yield article
            else:
                for article in _read_document(handle, head, kind, outcome):
                    found += 1
                    yield article
        except RecursionError:
            outcome.error = "nested too deeply to read"
        except OSError as error:
            outcome.error = f"cannot read: {error.strerror or error}"
        except Exception as error:  # one odd file must never stop an import
            reason = " ".join(str(error).split()) or "the file is malformed"
            outcome.error = f"cannot read as {kind}: {reason}"
        if outcome.error is None and not found and not outcome.skipped:
            outcome.error = f"no articles found in this {kind} file"


def _read_document(
    handle: IO[bytes], head: bytes, kind: str, outcome: FileOutcome
) -> Iterator[Incoming]:
    """A file read whole (a page, a text, a feed): refused above MAX_DOCUMENT_BYTES."""
    if outcome.size > MAX_DOCUMENT_BYTES:
        outcome.error = (
            f"larger than {MAX_DOCUMENT_BYTES // (1 << 20)} MB: a {kind} file this large is "
            "not one article (archives of many are .json or .jsonl)"
        )
        return
    if kind in ("text", "markdown"):
        text = _read_up_to_an_article(handle, head, outcome)
        cut = outcome.bytes_read < outcome.size
        if kind == "markdown" and cut and text is not None and text.lstrip().startswith("---"):
            # a file in the content format is kept as written: it must be whole
            outcome.error = f"more than an article holds ({MAX_ARTICLE_CHARS:,} characters)"
            return
    else:
        raw = head + handle.read()
        outcome.bytes_read = len(raw)
        text = decode_text(raw, kind)
    if text is None:
        outcome.error = "not UTF-8 text"
        return
    yield from READERS[kind](text, outcome)


CHUNK_BYTES = 1 << 20


def _read_up_to_an_article(handle: IO[bytes], head: bytes, outcome: FileOutcome) -> str | None:
    """The file's UTF-8 text up to one character past what an article holds (None if it is
    not UTF-8); the rest of the file is never read into memory."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pieces: list[str] = []
    chars, data = 0, head
    try:
        while True:
            outcome.bytes_read += len(data)
            final = not data or chars > MAX_ARTICLE_CHARS
            piece = decoder.decode(data, final=not data)
            pieces.append(piece)
            chars += len(piece)
            if final:
                break
            data = handle.read(CHUNK_BYTES)
    except UnicodeDecodeError:
        return None
    return "".join(pieces)


def _sniff(raw: bytes) -> str:
    head = raw[:2048].lstrip().lower()
    if head.startswith((b"{", b"[")):
        return "jsonl" if b"\n{" in raw[:65536] and head.startswith(b"{") else "json"
    if head.startswith(b"---"):
        return "markdown"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return "text"


def decode_text(raw: bytes, kind: str) -> str | None:
    """UTF-8 text, or (for a page or feed) text in the charset it declares; None if neither."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if kind in ("html", "feed"):
        declared = re.search(rb"""charset=["']?([\w-]+)""", raw[:4096])
        if declared:
            try:
                return raw.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                return None
    return None


# -- the readers ---------------------------------------------------------------------------


def _read_markdown(text: str, outcome: FileOutcome) -> Iterator[Incoming]:
    if not text.lstrip().startswith("---"):
        yield from _read_text(text, outcome)
        return
    loaded = parse_article(text, outcome.path)
    if loaded.article is None:
        outcome.error = "; ".join(p.message for p in loaded.problems)
        return
    article = loaded.article
    blocks = [(block.kind, block.text) for block in parse_body(article.body).blocks]
    yield (
        Incoming(
            article.title,
            blocks,
            str(outcome.path),
            url=article.url,
            published=article.published,
            tags=list(article.tags),
            source=article.source,
            language=article.language,
            markdown=text,
        )
    )


def _read_text(text: str, outcome: FileOutcome) -> Iterator[Incoming]:
    """A page of text: maybe a headline, a keyword line, then paragraphs."""
    lines = [line.strip().lstrip("#").strip() for line in text.splitlines()]
    lines = [line for line in lines if not BOILERPLATE_LINES.match(line)]
    credits = [line.rstrip(".") for line in lines if CREDIT_LINE.match(line) and len(line) < 120]
    lines = [line for line in lines if line not in credits and line.rstrip(".") not in credits]
    content = [line for line in lines if line]
    tags: list[str] = []
    title = ""
    head = content[:4]
    for line in head:
        if not tags and _is_keyword_line(line):
            tags = [t.strip() for t in re.split(r"[,;.]", line) if t.strip()]
            content.remove(line)
            break
    if content and _is_headline(content[0]) and len(content) > 1:
        title = content.pop(0)
    blocks = []
    for index, line in enumerate(content):
        following = content[index + 1] if index + 1 < len(content) else ""
        is_heading = _is_headline(line) and len(following) > 2 * len(line)
        blocks.append(("heading" if is_heading and index > 0 else "paragraph", line))
    if not blocks:
        outcome.error = "no article text found"
        return
    credit_lines = [part.rstrip(".") for c in credits for part in re.split(r"\.\s+", c) if part]
    yield (make_incoming(title, blocks, str(outcome.path), tags=tags, credits=credit_lines))


def _is_keyword_line(line: str) -> bool:
    items = [item.strip() for item in re.split(r"[,;]", line)]
    return (
        len(items) >= 2
        and len(line) < 200
        and not line.endswith((".", "!", "?", '"', "”"))
        and all(0 < len(item.split()) <= 4 for item in items)
        and sum(ch.isupper() for ch in line) <= len(items) + 2
    )


def _is_headline(line: str) -> bool:
    return (
        0 < len(line) <= 160 and not line.endswith((".", ":", ";", ",")) and len(line.split()) >= 2
    )


def _read_html(text: str, outcome: FileOutcome) -> Iterator[Incoming]:
    page = extract(text)
    if not page.blocks:
        outcome.error = "no article text found in the page"
        return
    yield (
        make_incoming(
            page.title,
            page.blocks,
            str(outcome.path),
            url=page.url,
            published=parse_date(page.date),
            tags=page.keywords,
            credits=[page.author] if page.author else [],
            language=page.language.split("-")[0].lower(),
            source_name=page.site,
        )
    )


def _read_feed(text: str, outcome: FileOutcome) -> Iterator[Incoming]:
    feed = parse_feed(text)
    if feed.error:
        outcome.error = feed.error
        return
    for number, item in enumerate(feed.items, 1):
        if not item.text.strip():
            outcome.skipped += 1
            continue
        yield item_incoming(item, feed, f"{outcome.path.name} entry {number}")


READERS: dict[str, Callable[[str, FileOutcome], Iterator[Incoming]]] = {
    "markdown": _read_markdown,
    "text": _read_text,
    "html": _read_html,
    "feed": _read_feed,
}
ARCHIVES: dict[str, Callable[[IO[bytes], FileOutcome], Iterator[Incoming | None]]] = {
    "json": read_json,
    "jsonl": read_jsonl,
}
