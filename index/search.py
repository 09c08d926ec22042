"""Answering queries: ranked hits with snippets, facet counts, suggestions, related articles.

One searcher is kept open and refreshed only when the index changes. For each
index generation the engine keeps the set of documents of every source, year
and theme; facet counts are then set intersections, which stay fast on large
archives because they never visit stored fields.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import highlight
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.index import FileIndex
from whoosh.searching import Hit, Searcher

from .analysis import normalise_name, text_analyzer
from .gazetteer import gazetteer
from .models import Facets, SearchHit, SearchResult, Snippet
from .query import QueryError, QueryParser
from .spelling import suggest_query

SORTS = ("relevance", "date")
SUGGEST_BELOW = 3
"""Offer a "did you mean" when a query finds fewer articles than this."""
SNIPPET_CHARS = 220
PLACES_SHOWN = 30
LEAD_CHARS = 200


@dataclass
class _FacetSets:
    """Documents per facet value for one index generation."""

    every: set[int]
    places: dict[str, set[int]]
    sources: dict[str, set[int]]
    years: dict[str, set[int]]
    months: dict[str, set[int]]
    themes: dict[str, set[int]]


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
        self.theme_errors: dict[str, str] = {}
        """Themes whose query cannot be parsed, with the message."""
        self._highlighter = highlight.Highlighter(
            fragmenter=highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=70),
            formatter=_SnippetFormatter(),
            scorer=_fragment_score,
            order=highlight.SCORE,
        )

    # -- lifecycle --------------------------------------------------------------

    def refresh(self) -> bool:
        """Pick up changes to the index; True when something changed."""
        with self._lock:
            if _dir_identity(self._index_dir) != self._identity:
                self._searcher.close()
                self._ix = whoosh_index.open_dir(str(self._index_dir))
                self._identity = _dir_identity(self._index_dir)
                self._searcher = self._ix.searcher()
            elif self._searcher.up_to_date():
                return False
            else:
                self._searcher = self._searcher.refresh()
            self._sets = None
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
            return tuple(self._hit(hit, ()) for hit in results)

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
        words: set[str] = set()
        prefixes: list[str] = []
        for node in _leaves(parsed):
            if isinstance(node, wq.Prefix):
                prefixes.append(str(node.text))
            elif isinstance(node, wq.Phrase):
                words.update(str(word) for word in node.words)
            elif isinstance(node, wq.Term) and node.fieldname in ("title", "body", "summary"):
                words.add(str(node.text))
        if not words and not prefixes:
            return []
        spans = []
        for token in _ANALYZER(text, chars=True, mode="index", removestops=False):
            if token.text in words or any(token.text.startswith(p) for p in prefixes):
                spans.append((token.startchar, token.endchar))
        return spans

    # -- internals ----------------------------------------------------------------

    def _docs(self, parsed: wq.Query) -> set[int]:
        try:
            return set(self._searcher.docs_for_query(parsed))
        except Exception as error:  # e.g. a phrase on a field without positions
            raise QueryError(f"cannot run this query: {error}") from None

    def _facet_sets(self) -> _FacetSets:
        if self._sets is not None:
            return self._sets
        reader = self._searcher.reader()
        every = set(reader.all_doc_ids())

        def by_term(field: str) -> dict[str, set[int]]:
            return {
                str(value): self._docs(wq.Term(field, value)) for value in reader.field_terms(field)
            }

        themes: dict[str, set[int]] = {}
        errors = {}
        for theme_id in self.parser.themes:
            try:
                themes[theme_id] = self._docs(self.parser.theme_query(theme_id))
            except QueryError as error:
                themes[theme_id] = set()
                errors[theme_id] = str(error)
        self.theme_errors = errors
        months = by_term("month")
        months.pop("undated", None)
        places = {_place_name(term): docs for term, docs in by_term("places").items()}
        self._sets = _FacetSets(every, places, by_term("source"), by_term("year"), months, themes)
        return self._sets

    def _page(
        self,
        parsed: wq.Query,
        allowed: set[int],
        sort: str,
        limit: int,
        offset: int,
        snippets: bool,
    ) -> tuple[SearchHit, ...]:
        by_date = sort == "date" or isinstance(parsed, wq.Every)
        results = self._searcher.search(
            parsed,
            filter=allowed,
            limit=offset + limit,
            sortedby="day" if by_date else None,
            reverse=by_date,
            terms=snippets,
        )
        page = []
        for hit in results[offset : offset + limit]:
            page.append(self._hit(hit, self._snippets(hit) if snippets else ()))
        return tuple(page)

    def _hit(self, hit: Hit, snippets: Sequence[Snippet]) -> SearchHit:
        fields = hit.fields()
        published = fields.get("published")
        sets = self._facet_sets()
        return SearchHit(
            id=fields["id"],
            title=fields.get("title", ""),
            source=fields.get("source", ""),
            published=published.date() if isinstance(published, dt.datetime) else None,
            themes=tuple(t for t, docs in sets.themes.items() if hit.docnum in docs),
            score=float(hit.score or 0.0),
            snippets=tuple(snippets),
        )

    def _snippets(self, hit: Hit) -> list[Snippet]:
        try:
            found = self._highlighter.highlight_hit(hit, "body", top=2)
        except KeyError:
            found = []
        if found:
            return list(found)
        body = hit.get("body", "")
        return [_lead(body)] if body else []

    def _suggest(self, text: str, found: int) -> str | None:
        if found >= SUGGEST_BELOW:
            return None
        suggestion = suggest_query(self._searcher.reader(), text)
        if suggestion is None:
            return None
        try:
            better = len(self._docs(self.parser.parse(suggestion)))
        except QueryError:
            return None
        return suggestion if better > found else None


class _SnippetFormatter(highlight.Formatter):
    """Returns Snippet records (text plus match offsets) instead of marked-up text."""

    def format(self, fragments: Iterable[Any], replace: bool = False) -> list[Snippet]:
        snippets = []
        for fragment in fragments:
            text = fragment.text
            start = _word_start(text, fragment.startchar)
            end = _word_end(text, fragment.endchar)
            matches = tuple(
                (token.startchar - start, token.endchar - start)
                for token in fragment.matches
                if start <= token.startchar and token.endchar <= end
            )
            snippets.append(Snippet(text[start:end].replace("\n", " "), start, matches))
        return snippets


_ANALYZER = text_analyzer()
_BASIC_SCORE = highlight.BasicFragmentScorer()


def _fragment_score(fragment: Any) -> float:
    """Whoosh's fragment score; ties go to the earlier fragment (Whoosh breaks them randomly)."""
    return float(_BASIC_SCORE(fragment)) - fragment.startchar * 1e-9


def _leaves(node: Any) -> Iterable[Any]:
    if node.is_leaf():
        yield node
    else:
        for child in node.children():
            yield from _leaves(child)


def _lead(body: str) -> Snippet:
    end = _word_end(body, min(len(body), LEAD_CHARS))
    return Snippet(body[:end].replace("\n", " "), 0, ())


WORD_REACH = 24
"""How far a snippet edge may move to reach a word boundary (unspaced scripts have none)."""


def _word_start(text: str, index: int) -> int:
    """Move `index` back to the start of the word it falls in."""
    limit = max(0, index - WORD_REACH)
    while limit < index < len(text) and not text[index - 1].isspace():
        index -= 1
    return index


def _word_end(text: str, index: int) -> int:
    """Move `index` forward to the end of the word it falls in."""
    limit = min(len(text), index + WORD_REACH)
    while 0 < index < limit and not text[index].isspace():
        index += 1
    return index


def _counts(docs: set[int], groups: dict[str, set[int]], keep_zero: bool = False) -> dict[str, int]:
    counts = {value: len(docs & members) for value, members in groups.items()}
    return {value: n for value, n in counts.items() if n or keep_zero}


def _dir_identity(path: os.PathLike[str]) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (0, 0)
    return (stat.st_dev, stat.st_ino)


def _top(counts: dict[str, int], limit: int) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit])


def _place_name(term: str) -> str:
    """A place's display name from its indexed (folded) form, via the gazetteer."""
    for place in gazetteer().lookup(term):
        if normalise_name(place.name) == term or normalise_name(place.province) == term:
            return place.name if normalise_name(place.name) == term else place.province
    return " ".join(word.capitalize() for word in term.split())
