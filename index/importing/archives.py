"""Reading archives of article records, streaming: JSON arrays and JSON Lines.

An archive may hold a million records and more, so it is never read whole:
JSON Lines a line at a time, a JSON array a record at a time from a moving
window of the file (a record may be as large as MAX_RECORD_BYTES). Memory
stays flat however long the archive.

A record that repeats an earlier one byte for byte (the same story filed
twice) is counted as a duplicate from a small digest, without being parsed:
a million copies of one story take seconds. Records are mapped to articles
by the field names archives use (FIELDS): the KCNA archive's `headline`,
`story_text`, `date_str`… included.
"""

from __future__ import annotations

import codecs
import hashlib
import json
from collections.abc import Iterator
from typing import IO, Any

from .incoming import FileOutcome, Incoming, make_incoming, parse_date
from .pages import html_to_text

CHUNK_BYTES = 1 << 20
MAX_RECORD_BYTES = 64 << 20
"""A single record larger than this is refused (the rest of the archive is read)."""
MAX_OBJECT_BYTES = 64 << 20
"""A JSON archive that is one object (not an array) is read whole, up to this size."""
FIELDS = {
    "title": ("headline", "title", "name"),
    "text": ("story_text", "text", "body", "content", "article", "full_text", "description"),
    "url": ("link", "url", "href", "permalink", "canonical_url"),
    "date": (
        "date_str",
        "published",
        "date",
        "datetime",
        "pubdate",
        "published_at",
        "created_at",
        "created",
        "timestamp",
    ),
    "tags": ("topic", "topics", "tags", "keywords", "categories", "category", "section"),
    "source": ("source", "publisher", "site", "outlet"),
    "author": ("author", "authors", "byline", "credits"),
    "language": ("language", "lang"),
    "summary": ("summary", "abstract", "lead"),
}
LIST_KEYS = ("articles", "items", "data", "records", "entries", "results")
DUPLICATE = None
"""Yielded for a record that repeats an earlier one of the same file exactly."""


class _Seen:
    """Digests of the records read so far (8 bytes each: a collision is astronomically rare)."""

    def __init__(self) -> None:
        self._digests: set[int] = set()

    def repeat(self, raw: bytes | str) -> bool:
        data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
        digest = int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")
        if digest in self._digests:
            return True
        self._digests.add(digest)
        return False


def read_jsonl(handle: IO[bytes], outcome: FileOutcome) -> Iterator[Incoming | None]:
    """Each line of a JSON Lines archive as an article (None for an exact repeat)."""
    seen = _Seen()
    for number, raw in enumerate(handle, 1):
        outcome.bytes_read += len(raw)
        line = raw.strip()
        if not line:
            continue
        outcome.records += 1
        if seen.repeat(line):
            yield DUPLICATE
            continue
        try:
            record = json.loads(line.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError:
            outcome.problems.append(f"line {number}: not UTF-8")
            continue
        except (json.JSONDecodeError, RecursionError) as error:
            reason = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deeply"
            outcome.problems.append(f"line {number}: invalid JSON ({reason})")
            continue
        article = record_article(record, f"{outcome.path.name} line {number}", outcome)
        if article is not None:
            yield article


def read_json(handle: IO[bytes], outcome: FileOutcome) -> Iterator[Incoming | None]:
    """The records of a JSON archive: an array streamed, or one object read whole."""
    window = _Window(handle, outcome)
    first = window.first_character()
    if first is None:
        outcome.error = "empty file"
        return
    if first == "[":
        yield from _read_array(window, outcome)
        return
    if outcome.size > MAX_OBJECT_BYTES:
        outcome.error = (
            f"one JSON object of {outcome.size // (1 << 20)} MB; write a large archive as a "
            "JSON array or JSON Lines"
        )
        return
    text = window.rest()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        outcome.error = f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        return
    records: Any = data
    if isinstance(data, dict):
        records = next((data[k] for k in LIST_KEYS if isinstance(data.get(k), list)), [data])
    if not isinstance(records, list):
        outcome.error = "expected a list of article records"
        return
    seen = _Seen()
    for number, record in enumerate(records, 1):
        outcome.records += 1
        if seen.repeat(json.dumps(record, sort_keys=True, ensure_ascii=False)):
            yield DUPLICATE
            continue
        article = record_article(record, f"{outcome.path.name} record {number}", outcome)
        if article is not None:
            yield article


def _read_array(window: _Window, outcome: FileOutcome) -> Iterator[Incoming | None]:
    decoder = json.JSONDecoder()
    seen = _Seen()
    window.skip(1)  # the "["
    number = 0
    while True:
        character = window.next_character(skip=",")
        if character is None:
            outcome.error = outcome.error or window.error("the array is not closed: truncated?")
            return
        if character == "]":
            return
        number += 1
        outcome.records += 1
        while True:
            try:
                record, end = decoder.raw_decode(window.text, window.position)
                break
            except json.JSONDecodeError as error:
                if not window.grow():
                    outcome.error = window.error(error.msg, error.pos)
                    return
            except RecursionError:
                outcome.error = window.error("nested too deeply", window.position)
                return
        raw = window.text[window.position : end]
        window.position = end
        if seen.repeat(raw):
            yield DUPLICATE
            continue
        article = record_article(record, f"{outcome.path.name} record {number}", outcome)
        if article is not None:
            yield article


class _Window:
    """The part of a file being decoded: text from `position` on, refilled as it is used."""

    def __init__(self, handle: IO[bytes], outcome: FileOutcome) -> None:
        self.handle = handle
        self.outcome = outcome
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.text = ""
        self.position = 0
        self.at_end = False
        self.lines_before = 0
        """Newlines in the text already dropped from the window (for messages)."""

    def _fill(self) -> bool:
        if self.at_end:
            return False
        chunk = self.handle.read(CHUNK_BYTES)
        self.outcome.bytes_read += len(chunk)
        if not chunk:
            self.at_end = True
            self.text += self.decoder.decode(b"", final=True)
            return False
        dropped = self.text[: self.position]
        self.lines_before += dropped.count("\n")
        self.text = self.text[self.position :] + self.decoder.decode(chunk)
        self.position = 0
        return True

    def grow(self) -> bool:
        """Read more, for a record that does not fit yet; False when it is too large."""
        if len(self.text) - self.position > MAX_RECORD_BYTES:
            return False
        return self._fill()

    def next_character(self, skip: str = "") -> str | None:
        """The next character that is not white space (or in `skip`), without consuming it."""
        while True:
            while self.position < len(self.text):
                character = self.text[self.position]
                if not (character.isspace() or character in skip):
                    return character
                self.position += 1
            if not self._fill():
                return None

    def first_character(self) -> str | None:
        return self.next_character()

    def skip(self, count: int) -> None:
        self.position += count

    def rest(self) -> str:
        while self._fill():
            pass
        return self.text[self.position :]

    def error(self, message: str, at: int | None = None) -> str:
        at = self.position if at is None else at
        line = self.lines_before + self.text.count("\n", 0, at) + 1
        column = at - self.text.rfind("\n", 0, at)
        return f"invalid JSON at line {line} column {column}: {message}"


def record_article(record: object, origin: str, outcome: FileOutcome) -> Incoming | None:
    """The article of one archive record; None (counted) when it has no text."""
    if not isinstance(record, dict):
        outcome.problems.append(f"{origin}: not an article record")
        return None
    fields = {key.lower(): value for key, value in record.items() if isinstance(key, str)}
    text = _first(fields, "text")
    if isinstance(text, list):
        text = "\n".join(str(part) for part in text)
    if not isinstance(text, str) or not text.strip():
        outcome.skipped += 1
        return None
    if "<p" in text or "<br" in text:
        text = html_to_text(text)
    blocks = [("paragraph", line) for line in text.splitlines() if line.strip()]
    source = _first(fields, "source")
    if isinstance(source, dict):
        source = source.get("name") or source.get("id") or ""
    return make_incoming(
        str(_first(fields, "title") or ""),
        blocks,
        origin,
        url=str(_first(fields, "url") or ""),
        published=parse_date(_first(fields, "date")),
        tags=_as_list(_first(fields, "tags")),
        source_name=str(source or ""),
        credits=_as_list(_first(fields, "author")),
        language=str(_first(fields, "language") or ""),
        summary=str(_first(fields, "summary") or ""),
    )


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
