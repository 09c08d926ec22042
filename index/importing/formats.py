"""Reading the files a user imports: Markdown, plain text, HTML, JSON, JSON Lines, feeds.

The format comes from the file name (.md, .txt, .html, .json, .jsonl, .xml/.rss/
.atom) or, failing that, from the first bytes. Every reader returns a
`FileOutcome`: the articles found, how many records had no text (skipped),
per-record problems, or one reason the whole file could not be read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser

from ..content.articles import parse_article
from ..content.body import parse_body
from .htmltext import extract, html_to_text
from .incoming import Incoming, make_incoming, parse_date

MAX_FILE_BYTES = 200 * 1024 * 1024
EXTENSIONS = {
    ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".json": "json", ".jsonl": "jsonl",
    ".ndjson": "jsonl", ".xml": "feed", ".rss": "feed", ".atom": "feed",
}  # fmt: skip
FIELDS = {
    "title": ("headline", "title", "name"),
    "text": ("story_text", "text", "body", "content", "article", "full_text", "description"),
    "url": ("link", "url", "href", "permalink", "canonical_url"),
    "date": ("date_str", "published", "date", "datetime", "pubdate", "published_at",
             "created_at", "created", "timestamp"),
    "tags": ("topic", "topics", "tags", "keywords", "categories", "category", "section"),
    "source": ("source", "publisher", "site", "outlet"),
    "author": ("author", "authors", "byline", "credits"),
    "language": ("language", "lang"),
    "summary": ("summary", "abstract", "lead"),
}  # fmt: skip
BOILERPLATE_LINES = re.compile(
    r"^(?:\d{1,4}|read in korean|read in english|disclaimer\b.*|please send any comments.*|"
    r"views expressed in this .*|©.*|copyright .*|all rights reserved.*|share this.*|"
    r"follow us.*|advertisement)$",
    re.IGNORECASE,
)
CREDIT_LINE = re.compile(r"^(?:(?:translated|edited|written|reported|photo(?:graph)?s?) by\b|by\s)",
                         re.IGNORECASE)  # fmt: skip


@dataclass
class FileOutcome:
    path: Path
    articles: list[Incoming] = field(default_factory=list)
    skipped: int = 0
    """Records without any article text (photo and video items of an archive)."""
    problems: list[str] = field(default_factory=list)
    """Records that could not be read, each with its reason; the rest of the file was."""
    error: str | None = None
    """Why the whole file could not be read."""


def read_file(path: Path) -> FileOutcome:
    """Read one file into articles; never raises for bad content."""
    outcome = FileOutcome(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            outcome.error = f"larger than {MAX_FILE_BYTES // 1024 // 1024} MB"
            return outcome
        raw = path.read_bytes()
    except OSError as error:
        outcome.error = f"cannot read: {error.strerror or error}"
        return outcome
    if not raw.strip():
        outcome.error = "empty file"
        return outcome
    if b"\x00" in raw[:8192]:
        outcome.error = "binary file, not text"
        return outcome
    kind = EXTENSIONS.get(path.suffix.lower()) or _sniff(raw)
    text = _decode(raw, kind)
    if text is None:
        outcome.error = "not UTF-8 text"
        return outcome
    try:
        READERS[kind](text, outcome)
    except RecursionError:
        outcome.error = "nested too deeply to read"
    except Exception as error:  # one odd file must never stop an import
        outcome.error = f"cannot read as {kind}: {type(error).__name__}: {error}"
    if outcome.error is None and not outcome.articles and not outcome.skipped:
        outcome.error = outcome.error or f"no articles found in this {kind} file"
    return outcome


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


def _decode(raw: bytes, kind: str) -> str | None:
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


def _read_markdown(text: str, outcome: FileOutcome) -> None:
    if not text.lstrip().startswith("---"):
        _read_text(text, outcome)
        return
    loaded = parse_article(text, outcome.path)
    if loaded.article is None:
        outcome.error = "; ".join(p.message for p in loaded.problems)
        return
    article = loaded.article
    blocks = [(block.kind, block.text) for block in parse_body(article.body).blocks]
    outcome.articles.append(
        Incoming(article.title, blocks, str(outcome.path), url=article.url,
                 published=article.published, tags=list(article.tags), source=article.source,
                 language=article.language, markdown=text)
    )  # fmt: skip


def _read_text(text: str, outcome: FileOutcome) -> None:
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
    outcome.articles.append(
        make_incoming(title, blocks, str(outcome.path), tags=tags, credits=credit_lines)
    )


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


def _read_html(text: str, outcome: FileOutcome) -> None:
    page = extract(text)
    if not page.blocks:
        outcome.error = "no article text found in the page"
        return
    outcome.articles.append(
        make_incoming(page.title, page.blocks, str(outcome.path), url=page.url,
                      published=parse_date(page.date), tags=page.keywords,
                      credits=[page.author] if page.author else [],
                      language=page.language.split("-")[0].lower(), source_name=page.site)
    )  # fmt: skip


def _read_json(text: str, outcome: FileOutcome) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        outcome.error = f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        return
    records: Any = data
    if isinstance(data, dict):
        for key in ("articles", "items", "data", "records", "entries", "results"):
            if isinstance(data.get(key), list):
                records = data[key]
                break
        else:
            records = [data]
    if not isinstance(records, list):
        outcome.error = "expected a list of article records"
        return
    for number, record in enumerate(records, 1):
        _add_record(record, f"{outcome.path.name} record {number}", outcome)


def _read_jsonl(text: str, outcome: FileOutcome) -> None:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            outcome.problems.append(f"line {number}: invalid JSON ({error.msg})")
            continue
        _add_record(record, f"{outcome.path.name} line {number}", outcome)


def _add_record(record: object, origin: str, outcome: FileOutcome) -> None:
    if not isinstance(record, dict):
        outcome.problems.append(f"{origin}: not an article record")
        return
    fields = {key.lower(): value for key, value in record.items() if isinstance(key, str)}
    text = _first(fields, "text")
    if isinstance(text, list):
        text = "\n".join(str(part) for part in text)
    if not isinstance(text, str) or not text.strip():
        outcome.skipped += 1
        return
    if "<p" in text or "<br" in text:
        text = html_to_text(text)
    blocks = [("paragraph", line) for line in text.splitlines() if line.strip()]
    source = _first(fields, "source")
    if isinstance(source, dict):
        source = source.get("name") or source.get("id") or ""
    outcome.articles.append(
        make_incoming(str(_first(fields, "title") or ""), blocks, origin,
                      url=str(_first(fields, "url") or ""),
                      published=parse_date(_first(fields, "date")),
                      tags=_as_list(_first(fields, "tags")),
                      source_name=str(source or ""),
                      credits=_as_list(_first(fields, "author")),
                      language=str(_first(fields, "language") or ""),
                      summary=str(_first(fields, "summary") or ""))
    )  # fmt: skip


def _first(fields: dict[str, Any], name: str) -> Any:
    for key in FIELDS[name]:
        value = fields.get(key)
        if value not in (None, "", []):
            return value
    return None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value]
    return [part.strip() for part in str(value).split(",")]


def _read_feed(text: str, outcome: FileOutcome) -> None:
    feed = feedparser.parse(text)
    if not feed.entries:
        reason = getattr(feed, "bozo_exception", None)
        outcome.error = f"not a readable RSS or Atom feed{f': {reason}' if reason else ''}"
        return
    site = str(feed.feed.get("title", ""))
    language = str(feed.feed.get("language", "")).split("-")[0].lower()
    for number, entry in enumerate(feed.entries, 1):
        content = entry.get("content") or []
        html = content[0].get("value", "") if content else entry.get("summary", "")
        text = html_to_text(html) if html else ""
        if not text.strip():
            outcome.skipped += 1
            continue
        blocks = [("paragraph", paragraph) for paragraph in text.split("\n\n")]
        date = entry.get("published_parsed") or entry.get("updated_parsed")
        origin = f"{outcome.path.name} entry {number}"
        outcome.articles.append(
            make_incoming(str(entry.get("title", "")), blocks, origin,
                          url=str(entry.get("link", "")),
                          published=parse_date(_struct_date(date)),
                          tags=[str(t.get("term", "")) for t in entry.get("tags", [])],
                          credits=[str(entry["author"])] if entry.get("author") else [],
                          language=language, source_name=site)
        )  # fmt: skip


def _struct_date(value: Any) -> str | None:
    if not value:
        return None
    return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"


READERS: dict[str, Callable[[str, FileOutcome], None]] = {
    "markdown": _read_markdown,
    "text": _read_text,
    "html": _read_html,
    "json": _read_json,
    "jsonl": _read_jsonl,
    "feed": _read_feed,
}


def files_under(paths: list[Path]) -> Iterator[Path]:
    """The files named, and every visible file in the folders named, in a stable order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and not any(part.startswith(".") for part in relative):
                    yield child
        else:
            yield path
