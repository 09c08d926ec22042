"""Answering queries: ranked hits with snippets, facet counts, suggestions, related articles.

One searcher is kept open and refreshed only when the index changes. For each
index generation the engine keeps the set of documents of every source, year
and theme; facet counts are then set intersections, which stay fast on large
archives because they never visit stored fields.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import json
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from . import highlight
from .access import check_index_dir
from .analysis import normalise_name
from .columns import live_docs, numeric_column
from .gazetteer import gazetteer
from .highlight import match_spans
from .matching import matching_docs, ranked_by_terms
from .models import Facets, SearchHit, SearchResult, Snippet
from .postings import PostingReader
from .query import QueryError, QueryParser
from .spelling import suggest_query
from .storage import atomic_write_text

SORTS = ("relevance", "date")
SUGGEST_BELOW = 3
"""Offer a "did you mean" when a query finds fewer articles than this."""
PLACES_SHOWN = 30
THEME_CACHE = "briefing-themes.json"
MATCH_CACHE = 64
"""Queries whose matching documents are remembered (paging, filter changes, typing back)."""


@dataclass
class _FacetSets:
    """Documents per facet value for one index generation."""

    every: set[int]
    places: dict[str, set[int]]
    sources: dict[str, set[int]]
    years: dict[str, set[int]]
    months: dict[str, set[int]]
    themes: dict[str, set[int]]
    days: list[int]
    """The date of each document (ordinal; 0 when undated), by document number."""


class SearchEngine:
    """Searches an open index. Thread-safe: calls are serialised."""

    def __init__(self, ix: FileIndex, parser: QueryParser, index_dir: os.PathLike[str]) -> None:
        self._ix = ix
        self._index_dir = index_dir
        self._identity = _dir_identity(index_dir)
        self._searcher: Searcher = ix.searcher()
        self.parser = parser
        self._lock = threading.RLock()
        self._sets: _FacetSets | None = None
        self._matches: dict[str, set[int]] = {}
        self._postings = PostingReader(self._searcher)
        self.theme_errors: dict[str, str] = {}
        """Themes whose query cannot be parsed, with the message."""

    # -- lifecycle --------------------------------------------------------------

    def refresh(self) -> bool:
        """Pick up changes to the index; True when something changed."""
        with self._lock:
            identity = _dir_identity(self._index_dir)
            if identity != self._identity:  # rebuilt and swapped in
                check_index_dir(Path(self._index_dir))
                try:
                    reopened = whoosh_index.open_dir(str(self._index_dir))
                    fresh = reopened.searcher()
                except Exception:  # mid-swap or damaged: keep searching what we have
                    return False
                self._ix, self._identity = reopened, identity
            elif self._searcher.up_to_date():
                return False
            else:  # a new searcher, closing the old: Whoosh's refresh() leaks dropped segments
                try:
                    fresh = self._ix.searcher()
                except Exception:
                    return False
            self._searcher.close()
            self._searcher = fresh
            self._sets = None
            self._matches.clear()
            self._postings = PostingReader(self._searcher)
            return True

    def close(self) -> None:
        with self._lock:
            self._searcher.close()

    @property
    def article_count(self) -> int:
        with self._lock:
            return int(self._searcher.doc_count())

    # -- searching ----------------------------------------------------------------

    def search(
        self,
        text: str = "",
        *,
        source: str | None = None,
        theme: str | None = None,
        place: str | None = None,
        sort: str = "relevance",
        limit: int = 20,
        offset: int = 0,
        snippets: bool = True,
    ) -> SearchResult:
        """Articles matching `text` and every given filter, best first (or newest first)."""
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
        with self._lock:
            parsed = self.parser.parse(text)
            sets = self._facet_sets()
            matching = sets.every if isinstance(parsed, wq.Every) else self._docs(parsed)
            if place:
                matching = matching & self._docs(wq.Term("places", normalise_name(place)))
            in_source = sets.sources.get(source, set()) if source else None
            if theme and theme not in sets.themes:
                raise QueryError(f"unknown theme {theme!r}")
            in_theme = sets.themes[theme] if theme else None
            for_sources = matching & in_theme if in_theme is not None else matching
            for_themes = matching & in_source if in_source is not None else matching
            final = for_sources & in_source if in_source is not None else for_sources
            facets = Facets(
                sources=_counts(for_sources, sets.sources),
                themes=_counts(for_themes, sets.themes, keep_zero=True),
                years=_counts(final, sets.years),
                places=_top(_counts(final, sets.places), PLACES_SHOWN),
                theme_months={
                    theme_id: _counts(for_themes & members, sets.months)
                    for theme_id, members in sets.themes.items()
                },
                months=tuple(sorted(sets.months)),
            )
            hits = self._page(parsed, final, sort, limit, offset, snippets) if final else ()
            suggestion = self._suggest(text, len(final)) if text.strip() else None
            return SearchResult(text, len(final), hits, facets, suggestion)

    def related(self, article_id: str, limit: int = 10) -> tuple[SearchHit, ...]:
        """Articles most like this one (more-like-this over title and body)."""
        with self._lock:
            docnum = self._searcher.document_number(id=article_id)
            if docnum is None:
                return ()
            stored = self._searcher.stored_fields(docnum)
            text = f"{stored.get('title', '')}\n{stored.get('body', '')}"
            results = self._searcher.more_like(docnum, "body", text=text, top=limit, numterms=25)
            return tuple(
                self._hit(hit.docnum, float(hit.score or 0.0), hit.fields(), ()) for hit in results
            )

    def stored(self, article_id: str) -> dict[str, Any] | None:
        """The stored fields of one article, or None when it is not indexed."""
        with self._lock:
            return self._searcher.document(id=article_id)

    def match_spans(self, text: str, query_text: str) -> list[tuple[int, int]]:
        """Where the query's words occur in `text`, as (start, end) character offsets.

        Used to highlight matches in the article being read.
        """
        try:
            parsed = self.parser.parse(query_text)
        except QueryError:
            return []
        stems, prefixes = query_terms(parsed)
        return match_spans(text, stems, prefixes) if stems or prefixes else []

    # -- internals ----------------------------------------------------------------

    def _docs(self, parsed: wq.Query) -> set[int]:
        """The documents matching a query, remembered until the index changes."""
        key = repr(parsed)
        cached = self._matches.get(key)
        if cached is not None:
            return cached
        try:
            found = matching_docs(self._postings, parsed, self._every, self._days)
        except Exception as error:  # e.g. a phrase on a field without positions
            raise QueryError(f"cannot run this query: {error}") from None
        if len(self._matches) >= MATCH_CACHE:
            self._matches.pop(next(iter(self._matches)))
        self._matches[key] = found
        return found

    def _every(self) -> set[int]:
        return self._facet_sets().every

    def _days(self) -> list[int]:
        return self._facet_sets().days

    def clear_caches(self) -> None:
        """Forget remembered matches, postings and facet sets (benchmarks measure cold queries)."""
        with self._lock:
            self._matches.clear()
            self._postings = PostingReader(self._searcher)
            self._sets = None

    def _facet_sets(self) -> _FacetSets:
        if self._sets is not None:
            return self._sets
        reader = self._searcher.reader()
        every = live_docs(self._searcher)

        def by_term(field: str) -> dict[str, set[int]]:
            return {
                str(value): self._docs(wq.Term(field, value)) for value in reader.field_terms(field)
            }

        themes = self._theme_sets(reader)
        months = by_term("month")
        months.pop("undated", None)
        places = {_place_name(term): docs for term, docs in by_term("places").items()}
        days = numeric_column(self._searcher, "day")
        self._sets = _FacetSets(
            every, places, by_term("source"), by_term("year"), months, themes, days
        )
        return self._sets

    def _theme_sets(self, reader: Any) -> dict[str, set[int]]:
        """Each theme's documents: from the cache file when it matches this index, else run.

        Classifying by the themes' queries is the slowest part of opening a large
        archive, and its answer only changes with the index or the themes.
        """
        queries = {t.id: t.query for t in self.parser.themes.values()}
        key = json.dumps(
            [_generation_key(reader), queries, self.parser.variants_key], sort_keys=True
        )
        cache_file = Path(self._index_dir) / THEME_CACHE
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            cached = json.loads(cache_file.read_text(encoding="utf-8"))
            if cached["key"] == key:
                self.theme_errors = dict(cached["errors"])
                return {theme: set(docs) for theme, docs in cached["themes"].items()}
        themes: dict[str, set[int]] = {}
        errors = {}
        for theme_id in self.parser.themes:
            try:
                themes[theme_id] = self._docs(self.parser.theme_query(theme_id))
            except QueryError as error:
                themes[theme_id] = set()
                errors[theme_id] = str(error)
        self.theme_errors = errors
        payload = {"key": key, "errors": errors,
                   "themes": {theme: sorted(docs) for theme, docs in themes.items()}}  # fmt: skip
        with contextlib.suppress(OSError):  # a read-only data dir simply has no cache
            atomic_write_text(cache_file, json.dumps(payload, separators=(",", ":")), durable=False)
        return themes

    def _page(
        self,
        parsed: wq.Query,
        allowed: set[int],
        sort: str,
        limit: int,
        offset: int,
        snippets: bool,
    ) -> tuple[SearchHit, ...]:
        wanted = offset + limit
        if sort == "date" or isinstance(parsed, wq.Every):
            days = self._facet_sets().days
            ranked = newest(allowed, days, wanted)
        else:
            # The matches are known: score just them, term by term (exact, where
            # Whoosh's collector, skipping blocks by quality, can miss a better one).
            ranked = ranked_by_terms(self._postings, parsed, allowed, wanted)
        stems, prefixes = query_terms(parsed) if snippets else (set(), [])
        page = []
        for score, docnum in ranked[offset:wanted]:
            fields = self._searcher.stored_fields(docnum)
            found: list[Snippet] = []
            if snippets:
                body = fields.get("body", "")
                found = highlight.snippets(body, match_spans(body, stems, prefixes))
            page.append(self._hit(docnum, score, fields, found))
        return tuple(page)

    def _hit(
        self, docnum: int, score: float, fields: dict[str, Any], snippets: Sequence[Snippet]
    ) -> SearchHit:
        published = fields.get("published")
        sets = self._facet_sets()
        return SearchHit(
            id=fields["id"],
            title=fields.get("title", ""),
            source=fields.get("source", ""),
            published=published.date() if isinstance(published, dt.datetime) else None,
            themes=tuple(t for t, docs in sets.themes.items() if docnum in docs),
            score=score,
            snippets=tuple(snippets),
        )

    def _suggest(self, text: str, found: int) -> str | None:
        if found >= SUGGEST_BELOW:
            return None
        suggestion = suggest_query(self._searcher, text)
        if suggestion is None:
            return None
        try:
            better = len(self._docs(self.parser.parse(suggestion)))
        except QueryError:
            return None
        return suggestion if better > found else None


PROSE_FIELDS = frozenset({"title", "summary", "body", "context", "notes"})


def newest(docs: set[int], days: Sequence[int], limit: int) -> list[tuple[float, int]]:
    """The `limit` most recent documents, as (0, docnum); earlier documents first on ties."""
    if not docs:
        return []
    threshold = heapq.nlargest(limit, map(days.__getitem__, docs))[-1]  # plain ints: fast
    chosen = sorted((-days[d], d) for d in docs if days[d] >= threshold)
    return [(0.0, docnum) for _day, docnum in chosen[:limit]]


def query_terms(parsed: Any) -> tuple[set[str], list[str]]:
    """The analysed words and prefixes a query looks for in prose, for highlighting."""
    stems: set[str] = set()
    prefixes: list[str] = []
    for node in _leaves(parsed):
        fieldname = getattr(node, "fieldname", None)
        if fieldname not in PROSE_FIELDS:
            continue
        if isinstance(node, wq.Prefix):
            prefixes.append(str(node.text))
        elif isinstance(node, wq.Phrase):
            stems.update(str(word) for word in node.words)
        elif isinstance(node, wq.Term):
            stems.add(str(node.text))
    return stems, prefixes


def _leaves(node: Any) -> Iterable[Any]:
    if node.is_leaf():
        yield node
    else:
        for child in node.children():
            yield from _leaves(child)


def _counts(docs: set[int], groups: dict[str, set[int]], keep_zero: bool = False) -> dict[str, int]:
    counts = {value: len(docs & members) for value, members in groups.items()}
    return {value: n for value, n in counts.items() if n or keep_zero}


def _dir_identity(path: os.PathLike[str]) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (0, 0)
    return (stat.st_dev, stat.st_ino)


def _generation_key(reader: Any) -> list[str]:
    """Names the exact index content: its segments and their deletions."""
    parts = []
    for leaf, offset in reader.leaf_readers():
        segment = leaf.segment()
        parts.append(f"{segment.segment_id()}:{segment.deleted_count()}:{offset}")
    return parts


def _top(counts: dict[str, int], limit: int) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit])


def _place_name(term: str) -> str:
    """A place's display name from its indexed (folded) form, via the gazetteer."""
    for place in gazetteer().lookup(term):
        if normalise_name(place.name) == term or normalise_name(place.province) == term:
            return place.name if normalise_name(place.name) == term else place.province
    return " ".join(word.capitalize() for word in term.split())
