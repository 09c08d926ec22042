"""The domain types: small frozen records that the interface and the CLI receive."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .sanitize import clean_text


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input file, shown to the user as `file:line: message`."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        path = clean_text(str(self.path))  # file names are untrusted too
        where = f"{path}:{self.line}" if self.line else path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class KeyPoint:
    """A claim the article makes, with the exact sentence of the body that supports it."""

    claim: str
    quote: str


@dataclass(frozen=True)
class Article:
    """One annotated article: front matter fields plus the Markdown body."""

    id: str
    title: str
    source: str
    body: str
    path: Path
    kind: str = ""
    language: str = "en"
    published: date | None = None
    date_note: str = ""
    title_editorial: bool = False
    url: str = ""
    via: str = ""
    credits: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    summary: str = ""
    key_points: tuple[KeyPoint, ...] = ()
    original: str = ""
    """The raw document this article was made from, relative to the project (provenance)."""
    automatic: frozenset[str] = frozenset()
    """Front matter fields filled in by a program rather than a person."""
    same_as: str = ""
    """The id of the first article telling the same story (a republished or revised copy)."""


@dataclass(frozen=True)
class Source:
    """Where articles come from, with a reliability grade on the Admiralty scale."""

    id: str
    name: str
    kind: str = ""
    languages: tuple[str, ...] = ()
    homepage: str = ""
    grade: str = "unrated"
    rationale: str = ""
    short: str = ""
    """A short name for narrow places (article rows); the name when not given."""

    @property
    def label(self) -> str:
        return self.short or self.name


@dataclass(frozen=True)
class Theme:
    """A line of inquiry; articles without curated themes are classified by `query`."""

    id: str
    name: str
    description: str = ""
    query: str = ""


@dataclass(frozen=True)
class Snippet:
    """A fragment of an article's text with the character spans that matched the query.

    `start` is the fragment's offset in the article's plain text; `matches` are
    (start, end) offsets within `text`.
    """

    text: str
    start: int
    matches: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class SearchHit:
    """One article in a result list."""

    id: str
    title: str
    source: str
    published: date | None
    themes: tuple[str, ...]
    score: float
    snippets: tuple[Snippet, ...] = ()
    also_in: tuple[str, ...] = ()
    """The other sources (ids) whose articles tell the same story (`same_as`)."""


@dataclass(frozen=True)
class Emerging:
    """A word or name that rose in a window (see `engine.emerging`)."""

    term: str
    """As written (a word's most frequent form, or a name)."""
    kind: str
    """ "word" or "name"."""
    recent: int
    """Articles of the window that have it."""
    baseline: int
    score: float
    """Dunning's G²."""
    articles: tuple[str, ...]
    """The window's articles that have it (ids, newest first)."""


@dataclass(frozen=True)
class Timeline:
    """Articles per period (day, week or month), by source, for a query and its filters."""

    unit: str
    """ "day", "week" (starting on Monday) or "month"."""
    periods: tuple[date, ...]
    """The first day of each period, oldest first, with none left out."""
    counts: dict[str, tuple[int, ...]]
    """Per source, its articles in each period."""

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(map(sum, zip(*self.counts.values(), strict=True))) if self.counts else ()

    def after(self, start: date) -> date:
        """The first day of the period after the one starting on `start`."""
        return next_period(start, self.unit)


def next_period(start: date, unit: str) -> date:
    """The first day of the day, week or month after the one starting on `start`."""
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class Story:
    """One event's articles, across sources and days (see `engine.stories`)."""

    id: str
    """The id of its first article."""
    title: str
    """The first article's headline."""
    articles: tuple[SearchHit, ...]
    """In date order (undated last)."""

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(hit.source for hit in self.articles))

    @property
    def first(self) -> date | None:
        return min((h.published for h in self.articles if h.published), default=None)

    @property
    def last(self) -> date | None:
        return max((h.published for h in self.articles if h.published), default=None)


@dataclass(frozen=True)
class Facets:
    """Article counts per source, theme and year for a whole result set.

    Each dimension ignores its own filter, so the counts say what choosing another
    value would give (a source's count with a source filter active is what that
    source alone would show for the same query and other filters).
    """

    sources: dict[str, int] = field(default_factory=dict)
    themes: dict[str, int] = field(default_factory=dict)
    years: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    """The most frequent places (up to PLACES_SHOWN), most frequent first."""
    theme_months: dict[str, dict[str, int]] = field(default_factory=dict)
    """For each theme, articles per month ("2024-03"), for sparklines; undated left out."""
    months: tuple[str, ...] = ()
    """Every month with dated articles in the whole corpus: the sparklines' common axis."""


FIRST_YEAR, LAST_YEAR = 1800, 2199
"""The years an article may be dated in: outside them a date is unknown (timelines, emerging
terms and date arithmetic stay within what they can draw)."""


def supported_date(day: date | None) -> date | None:
    """`day` when it falls in the years briefing supports, else None (unknown)."""
    return day if day is not None and FIRST_YEAR <= day.year <= LAST_YEAR else None


SORTS = ("relevance", "date")
MAX_QUERY_CHARS = 2000
"""Longest query accepted; a longer one is refused with a message (and cut when restored)."""
MAX_WORD_CHARS = 200
"""Longest single word of a query accepted (no word of an article is longer)."""


FILTER_KINDS = ("source", "theme", "year", "place")
"""The filters a pane toggles (the query is typed, unread-only switched)."""


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the library to: the query and every filter.

    One value for the reading state, a search, an export and the status line,
    so that none of them can leave a filter out.
    """

    query: str = ""
    source: str | None = None
    theme: str | None = None
    year: str | None = None
    """A year ("2024"), or "undated"."""
    place: str | None = None
    unread_only: bool = False
    """Only the articles not yet read (the reader's marks say which)."""

    def toggled(self, kind: str, value: str) -> Filters:
        """With the `kind` filter (one of FILTER_KINDS) set to `value`, or off if it was."""
        if kind not in FILTER_KINDS:
            raise ValueError(f"no filter {kind!r}")
        changes: dict[str, Any] = {kind: None if getattr(self, kind) == value else value}
        return replace(self, **changes)

    def hidden(self, read: frozenset[str]) -> frozenset[str]:
        """What a search of these filters leaves out: the `read` articles when only unread
        ones are wanted, else none."""
        return read if self.unread_only else frozenset()

    def cleared(self) -> Filters:
        """No query and no filter: every article."""
        return Filters()


@dataclass(frozen=True)
class SearchRequest:
    """One search: the filters, the order and the page wanted."""

    filters: Filters = field(default_factory=Filters)
    hide: frozenset[str] = frozenset()
    """Articles to leave out, by id (the read ones, for an unread-only view)."""
    sort: str = "relevance"
    """"relevance" (best first) or "date" (newest first); see SORTS."""
    limit: int = 20
    offset: int = 0
    snippets: bool = True
    typing: bool = False
    """The query is being typed: its last word is also matched as a prefix ("flo" → flood)."""
    literal: bool = False
    """Show what the query itself finds, even nothing, rather than a correction's results."""


@dataclass(frozen=True)
class QueryTerms:
    """What a parsed query looks for in prose, to find its matches in an article's text.

    Carried with a result, so the article on screen is highlighted from the
    query as it was parsed for the search, never by parsing it again.
    """

    stems: frozenset[str] = frozenset()
    """Analysed (stemmed, folded) words and CJK bigrams searched on their own."""
    prefixes: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    """Each phrase as its analysed words (or bigrams): a match is the whole phrase."""

    def __bool__(self) -> bool:
        return bool(self.stems or self.prefixes or self.phrases)


@dataclass(frozen=True)
class SearchResult:
    """What a search returns: the page of hits asked for, counts and a suggestion."""

    query: str
    total: int
    hits: tuple[SearchHit, ...]
    facets: Facets
    suggestion: str | None = None
    """A corrected query that finds clearly more, or None."""
    terms: QueryTerms = QueryTerms()
    """What the query looks for in prose (see `Workspace.match_spans`)."""
    shown_for: str | None = None
    """When the query found nothing and its correction finds something, the hits, total and
    facets are the correction's, and this is the corrected query ("showing results for…")."""


@dataclass(frozen=True)
class TextTarget:
    """Where an annotation points in an article's plain text (a W3C Web Annotation selector).

    `exact` is the quoted passage, `prefix`/`suffix` up to 32 characters of context,
    `start`/`end` its offsets, `text_hash` the sha256 of the plain text it was made on.
    """

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    text_hash: str


@dataclass(frozen=True)
class Annotation:
    """A personal note on a passage of an article, or on the whole article (no target)."""

    id: str
    article_id: str
    note: str
    tags: tuple[str, ...]
    created: str
    """ISO 8601 time, UTC."""
    updated: str
    target: TextTarget | None = None
    extra: dict[str, object] = field(default_factory=dict, hash=False)
    """Keys of the notes file this version of briefing does not know, kept as they were."""


@dataclass(frozen=True)
class Anchored:
    """An annotation placed on the current text of its article.

    `status` is "article" (whole-article note), "exact" (found where it was made),
    "moved" (same words, elsewhere), "fuzzy" (words lightly edited) or "orphaned"
    (not found; `start`/`end` are None and the quote is kept).
    """

    annotation: Annotation
    start: int | None
    end: int | None
    status: str

    @property
    def placed(self) -> bool:
        return self.start is not None


@dataclass(frozen=True)
class ArticleNotes:
    """An article's annotations placed on its current text, in reading order.

    Whole-article notes come first, then passages by position, then orphans.
    `problem` says why the notes cannot be read (they are then read-only).
    """

    article_id: str
    items: tuple[Anchored, ...] = ()
    problem: str | None = None
