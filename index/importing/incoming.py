"""An article on its way into the library, and the helpers every reader shares.

Each file format is read into `Incoming` records; the library then
de-duplicates, annotates and writes them in the content format.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..models import supported_date
from ..sanitize import clean_text, unsafe_url

_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
MAX_TITLE = 500
MAX_URL = 2048
MAX_TAGS, MAX_TAG = 50, 100
MAX_CREDITS, MAX_CREDIT = 10, 200
MAX_NAME = 200
MAX_SUMMARY = 2000
"""Caps on an article's fields at the door, so its front matter always fits (64 KiB)."""
TRACKING_PARAMETERS = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ocid)$")


@dataclass
class FileOutcome:
    """What reading one file gave, beside its articles (which the readers yield)."""

    path: Path
    size: int = 0
    bytes_read: int = 0
    records: int = 0
    """Records read so far (archives); articles, for other files."""
    skipped: int = 0
    """Records without any article text (photo and video items of an archive)."""
    problems: list[str] = field(default_factory=list)
    """Records that could not be read, each with its reason; the rest of the file was."""
    notices: list[str] = field(default_factory=list)
    """What was changed on the way in (a text cut at the size cap), each in a line."""
    error: str | None = None
    """Why the whole file (or the rest of it) could not be read."""


@dataclass
class Incoming:
    """One article as read from an imported file, before it is written to the library."""

    title: str
    blocks: list[tuple[str, str]]
    """(kind, text): paragraph, heading or caption, in order."""
    origin: str
    """Where it came from, for messages: "archive.json record 12"."""
    url: str = ""
    published: dt.date | None = None
    tags: list[str] = field(default_factory=list)
    source: str | None = None
    """A source id, when the file says which source it is."""
    source_name: str = ""
    """A source's name as the file gives it (a feed's or site's title)."""
    credits: list[str] = field(default_factory=list)
    language: str = ""
    kind: str = ""
    summary: str = ""
    title_from_text: bool = False
    """True when the file had no headline and the title was taken from the text."""
    markdown: str | None = None
    """A file already in the content format, kept exactly as written."""
    notices: list[str] = field(default_factory=list)
    """What was cut or left out on the way in (a 100 KB title), one line each."""

    @property
    def text(self) -> str:
        return "\n\n".join(text for _kind, text in self.blocks)


def make_incoming(
    title: str,
    text_blocks: list[tuple[str, str]],
    origin: str,
    **fields: object,
) -> Incoming:
    """Clean every text on the way in; take a title from the text when there is none."""
    blocks = [(kind, clean_text(text).strip()) for kind, text in text_blocks]
    blocks = [(kind, text) for kind, text in blocks if text]
    title = " ".join(clean_text(title).split())
    title_from_text = False
    if not title and blocks:
        title, title_from_text = first_sentence(blocks[0][1]), True
        title = title or f"Untitled, from {origin.rsplit('/', 1)[-1]}"  # text like "…" alone
    incoming = Incoming(title, blocks, origin, title_from_text=title_from_text)
    for name, value in fields.items():
        if isinstance(value, str):
            value = " ".join(clean_text(value).split())
        elif isinstance(value, list):
            value = [" ".join(clean_text(str(item)).split()) for item in value if str(item).strip()]
        setattr(incoming, name, value)
    _cap(incoming)
    return incoming


def _cap(incoming: Incoming) -> None:
    """Cut every field to its cap, saying so; a URL that cannot be kept whole is left out."""
    said = incoming.notices
    if len(incoming.title) > MAX_TITLE:
        said.append(f"title cut to {MAX_TITLE} characters")
        incoming.title = incoming.title[:MAX_TITLE].rsplit(" ", 1)[0] + "…"
    if incoming.url and (len(incoming.url) > MAX_URL or unsafe_url(incoming.url)):
        said.append("link left out (too long or holds invisible characters)")
        incoming.url = ""
    if len(incoming.tags) > MAX_TAGS or any(len(tag) > MAX_TAG for tag in incoming.tags):
        said.append(f"tags cut to {MAX_TAGS} of at most {MAX_TAG} characters")
        incoming.tags = [tag[:MAX_TAG] for tag in incoming.tags[:MAX_TAGS]]
    credits = incoming.credits
    if len(credits) > MAX_CREDITS or any(len(name) > MAX_CREDIT for name in credits):
        said.append(f"authors cut to {MAX_CREDITS} of {MAX_CREDIT} characters")
        incoming.credits = [name[:MAX_CREDIT] for name in credits[:MAX_CREDITS]]
    for name in ("source_name", "language", "kind"):
        value = getattr(incoming, name)
        if isinstance(value, str) and len(value) > MAX_NAME:
            setattr(incoming, name, value[:MAX_NAME])
    incoming.summary = incoming.summary[:MAX_SUMMARY]


def first_sentence(text: str, limit: int = 120) -> str:
    """The text's first sentence (at most `limit` characters, cut at a word) as a title."""
    sentence = re.split(r"(?<=[.!?。])\s", text.strip(), maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence.rstrip(".")
    return sentence[:limit].rsplit(" ", 1)[0] + "…"


def parse_date(value: object) -> dt.date | None:
    """A date from what archives and feeds hold: ISO text, RFC 2822 text, epoch seconds or ms.

    A date outside the years briefing supports (`models.supported_date`) is unknown.
    """
    return supported_date(_any_date(value))


def _any_date(value: object) -> dt.date | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float):
        seconds = value / 1000 if abs(value) > 100_000_000_000 else value
        try:
            return dt.datetime.fromtimestamp(seconds, dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def canonical_url(url: str) -> str:
    """The URL two copies of one page share: no fragment, tracking parameters or www."""
    url = url.strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        port_number = parts.port
    except ValueError:  # "http://[bad/x", a port out of range: kept as written
        return url
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{port_number}" if port_number and port_number not in (80, 443) else ""
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query) if not TRACKING_PARAMETERS.match(k))
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(
        (
            "https" if parts.scheme in ("http", "https") else parts.scheme,
            host + port,
            path,
            query,
            "",
        )
    )


def url_host(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""


def text_key(text: str) -> str:
    """A 64-bit hash (16 hex digits) of the text, ignoring case, accents, spacing, punctuation.

    Two different texts share a key with a probability of about 1 in 10^19.
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    letters = _NOT_ALPHANUMERIC.sub("", folded)  # \w is isalnum() plus "_"
    return hashlib.blake2b(letters.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


_INITIALS = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_MEDIALS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_FINALS = ["", *"k k k n n n t l k m l l l l l m p p t t ng t t k t p t".split()]
_HANGUL_DATE = re.compile(r"(\d{4})\)?\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")


def romanise_hangul(text: str) -> str:
    """Hangul syllables in the Revised Romanization (simplified: no sound changes)."""
    out = []
    for character in text:
        code = ord(character) - 0xAC00
        if 0 <= code < 11172:
            initial, medial, final = code // 588, (code % 588) // 28, code % 28
            out.append(_INITIALS[initial].replace("-", "") + _MEDIALS[medial] + _FINALS[final])
        else:
            out.append(character)
    return "".join(out)


def date_in_text(text: str) -> dt.date | None:
    """A date written in Korean ("1999년 01월 01일", "2019년 1월 1일") early in the text."""
    match = _HANGUL_DATE.search(text[:5000])
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def slug(text: str, limit: int = 60) -> str:
    """Lowercase ASCII words joined by hyphens, for ids and file names (Hangul romanised)."""
    ascii_text = unicodedata.normalize("NFKD", romanise_hangul(text))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    result = ""
    for word in words:
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > limit:
            break
        result = candidate
    return result
