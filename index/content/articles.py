"""Reading one article file (Markdown with YAML front matter) into an `Article`.

Every problem is reported with the file and line; a file with a fatal problem
yields no article, a file with a minor one (an unknown field, a quote missing
from the body) loads with a warning.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FrontMatterError, YamlError
from ..models import FIRST_YEAR, LAST_YEAR, Article, KeyPoint, Problem, supported_date
from ..sanitize import clean_text, clean_value
from .body import plain_text, words_text
from .frontmatter import FrontMatter, body_of, parse_front_matter

ARTICLE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")
"""What an article id may be (use `fullmatch`: it names the article's file)."""
MAX_ARTICLE_CHARS = 5_000_000
"""The most text an article holds (about 5 MB); `briefing import` cuts a longer one."""
MAX_ARTICLE_BYTES = 4 * MAX_ARTICLE_CHARS + (1 << 20)
"""The largest article file read: its text at four bytes a character, and front matter."""
REQUIRED_FIELDS = ("id", "title", "source")
TEXT_FIELDS = ("kind", "language", "date_note", "url", "via", "summary", "original", "same_as")
LIST_FIELDS = ("credits", "tags", "themes", "places", "people", "organizations", "automatic")
KNOWN_FIELDS = frozenset(
    (*REQUIRED_FIELDS, *TEXT_FIELDS, *LIST_FIELDS, "published", "title_editorial", "key_points")
)


class _FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class LoadedArticle:
    """The result of reading one file: the article (None when unusable) and any problems."""

    article: Article | None
    problems: tuple[Problem, ...]


def read_article(path: Path) -> LoadedArticle:
    """Read and validate one article file."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as error:
        return _failed(path, None, f"cannot read: {error.strerror or error}")
    return article_from_bytes(raw, path)


def body_text(path: Path, words_only: bool = False) -> str | None:
    """The plain text of an article file's body alone, its front matter not validated
    (de-duplication compares the texts of files already read once); None if unreadable.

    `words_only`: a text with the plain text's words in its order (`body.words_text`),
    for comparing words, read without parsing the Markdown when it can be.
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_ARTICLE_BYTES + 1)
        if len(raw) > MAX_ARTICLE_BYTES:
            return None
        body = body_of(clean_text(raw.decode("utf-8-sig")))
        return words_text(body) if words_only else plain_text(body)
    except (OSError, UnicodeDecodeError, FrontMatterError, RecursionError):
        return None


def article_from_bytes(raw: bytes, path: Path) -> LoadedArticle:
    """Validate the bytes of an article file (already read, e.g. to hash them)."""
    if len(raw) > MAX_ARTICLE_BYTES:
        return _failed(path, None, f"larger than {MAX_ARTICLE_BYTES // (1 << 20)} MB; not read")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return _failed(path, line, f"not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded")
    try:
        return parse_article(text, path)
    except RecursionError:
        return _failed(path, None, "cannot read: nested too deeply")
    except Exception as error:  # one odd file must never stop the others loading
        reason = " ".join(str(error).split()) or "the file is malformed"
        return _failed(path, None, f"cannot read: {reason}")


def parse_article(text: str, path: Path) -> LoadedArticle:
    """Validate the text of an article file; `path` is used for messages and kept on the article."""
    try:
        front = parse_front_matter(clean_text(text))
    except YamlError as error:
        return _failed(path, error.line, error.message)
    data = clean_value(front.data)
    assert isinstance(data, dict)
    problems: list[Problem] = []
    for key in data:
        if key not in KNOWN_FIELDS:
            problems.append(Problem(path, front.key_lines.get(str(key)), f"unknown field {key!r}"))
    try:
        article = _build_article(data, front, path)
    except _FieldError as error:
        field_line = front.key_lines.get(error.field, 2)
        return LoadedArticle(None, (*problems, Problem(path, field_line, str(error))))
    body_text = plain_text(article.body)
    if len(body_text) > MAX_ARTICLE_CHARS:
        message = f"its text is longer than {MAX_ARTICLE_CHARS:,} characters; not read"
        return LoadedArticle(None, (*problems, Problem(path, front.body_line, message)))
    if not body_text.strip():
        return LoadedArticle(None, (*problems, Problem(path, front.body_line, "the body is empty")))
    for point in article.key_points:
        if point.quote not in body_text:
            line = front.key_lines.get("key_points")
            problems.append(
                Problem(path, line, f"key point quote not in the body: {point.quote!r}")
            )
    return LoadedArticle(article, tuple(problems))


def _failed(path: Path, line: int | None, message: str) -> LoadedArticle:
    return LoadedArticle(None, (Problem(path, line, message),))


def _build_article(data: dict[str, Any], front: FrontMatter, path: Path) -> Article:
    for name in REQUIRED_FIELDS:
        if data.get(name) in (None, ""):
            raise _FieldError(name, f"missing required field {name!r}")
    article_id = _text(data, "id")
    if not ARTICLE_ID.fullmatch(article_id):
        raise _FieldError(
            "id", f"id {article_id!r} must be lowercase letters, digits, '.', '_' or '-'"
        )
    return Article(
        id=article_id,
        title=_text(data, "title").strip(),
        source=_text(data, "source").strip(),
        body=front.body,
        path=path,
        kind=_text(data, "kind"),
        language=_text(data, "language") or "en",
        published=_date(data, "published"),
        date_note=_text(data, "date_note"),
        title_editorial=_flag(data, "title_editorial"),
        url=_text(data, "url"),
        via=_text(data, "via"),
        credits=_texts(data, "credits"),
        tags=_texts(data, "tags"),
        themes=_texts(data, "themes"),
        places=_texts(data, "places"),
        people=_texts(data, "people"),
        organizations=_texts(data, "organizations"),
        summary=_text(data, "summary").strip(),
        key_points=_key_points(data),
        original=_text(data, "original"),
        automatic=frozenset(_texts(data, "automatic")),
        same_as=_same_as(data, article_id),
    )


def _same_as(data: dict[str, Any], article_id: str) -> str:
    same_as = _text(data, "same_as").strip()
    if same_as and (not ARTICLE_ID.fullmatch(same_as) or same_as == article_id):
        raise _FieldError("same_as", f"same_as {same_as!r} must be the id of another article")
    return same_as


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _FieldError(name, f"{name!r} must be text, not {_kind(value)}{_quote_hint(value)}")
    return value


def _texts(data: dict[str, Any], name: str) -> tuple[str, ...]:
    value = data.get(name)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _FieldError(name, f"{name!r} must be a list, not {_kind(value)}")
    items = []
    for item in value:
        if not isinstance(item, str):
            hint = _quote_hint(item)
            raise _FieldError(name, f"{name!r} items must be text, not {_kind(item)}{hint}")
        if item.strip():
            items.append(item.strip())
    return tuple(items)


def _flag(data: dict[str, Any], name: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise _FieldError(name, f"{name!r} must be true or false")
    return value


def _date(data: dict[str, Any], name: str) -> dt.date | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    day: dt.date | None = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(value.strip())
    if day is None:
        raise _FieldError(name, f"{name!r} must be an ISO date like 2024-01-15, not {value!r}")
    if supported_date(day) is None:
        raise _FieldError(
            name,
            f"{name!r} is {day.isoformat()}, outside the years briefing "
            f"supports ({FIRST_YEAR}–{LAST_YEAR})",
        )
    return day


def _key_points(data: dict[str, Any]) -> tuple[KeyPoint, ...]:
    value = data.get("key_points")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _FieldError("key_points", "'key_points' must be a list of {claim, quote}")
    points = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("quote"), str):
            raise _FieldError("key_points", "each key point needs a 'claim' and a text 'quote'")
        claim = item.get("claim", "")
        if not isinstance(claim, str):
            raise _FieldError("key_points", "a key point's 'claim' must be text")
        points.append(KeyPoint(claim.strip(), item["quote"].strip()))
    return tuple(points)


def _quote_hint(value: object) -> str:
    """YAML reads `no`, `010` or `1.50` as other things than the text typed: say to quote."""
    return " (quote it)" if isinstance(value, bool | int | float) else ""


def _kind(value: object) -> str:
    names = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        dict: "a mapping",
        list: "a list",
        type(None): "empty",
    }
    return names.get(type(value), type(value).__name__)
