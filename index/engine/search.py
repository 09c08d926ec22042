"""Answering queries: ranked hits with snippets, facet counts, suggestions, related articles.

One searcher is kept open and refreshed only when the index changes; what
is worked out for it (matches, facet sets) is remembered until then
(`version_cache.py`). A request is parsed once; the parsed query gives the
matching documents (read a block of postings at a time, see `fast/`), the
facets (`facets.py`), the ranked page and the terms its snippets highlight
(`highlight.query_terms`). The result carries those terms, so the article on
screen is highlighted without parsing the query again.
"""

from __future__ import annotations

import datetime as dt
import heapq
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from ..access import check_index_dir
from ..errors import QueryError
from ..models import (
    SORTS,
    Emerging,
    Facets,
    QueryTerms,
    SearchHit,
    SearchRequest,
    SearchResult,
    Snippet,
    Story,
)
from . import highlight
from .analysis import normalise_name
from .as_typed import typed_prefix
from .emerging import emerging_terms
from .facets import FacetSets
from .fast.ranking import ranked_by_terms
from .highlight import query_terms
from .query import QueryParser
from .spelling import suggest_query
from .stories import SignatureCache, find_stories
from .version_cache import VersionCache

SUGGEST_MARGIN = 3
"""A correction is offered when it finds twice as many articles, and at least this many more."""
PARSE_CACHE = 128
"""Query texts whose parsed form is remembered (typing back and forth, paging)."""
log = logging.getLogger(__name__)


class SearchEngine:
    """Searches an open index. Thread-safe: calls are serialised."""

    def __init__(self, ix: FileIndex, parser: QueryParser, index_dir: os.PathLike[str]) -> None:
        self._ix = ix
        self._index_dir = Path(index_dir)
        self._identity = _dir_identity(index_dir)
        self._searcher: Searcher = ix.searcher()
        self.parser = parser
        self._lock = threading.RLock()
        self.generation = 0
        """Counts the index versions this engine has searched (it grows on each refresh)."""
        self._parsed: OrderedDict[str, wq.Query] = OrderedDict()
        self._cache = VersionCache(self._searcher, parser, self._index_dir)
        """What is remembered about the version of the index searched (see version_cache.py)."""

    # -- lifecycle --------------------------------------------------------------

    def refresh(self) -> bool:
        """Pick up changes to the index; True when something changed."""
        with self._lock:
            identity = _dir_identity(self._index_dir)
            if identity != self._identity:  # rebuilt and swapped in
                check_index_dir(self._index_dir)
                try:
                    reopened = whoosh_index.open_dir(str(self._index_dir))
                    fresh = reopened.searcher()
                except Exception as error:  # mid-swap or damaged: keep searching what we have
                    log.info("index not reopened yet: %s", error)
                    return False
                self._ix, self._identity = reopened, identity
            elif self._searcher.up_to_date():
                return False
            else:  # a new searcher, closing the old: Whoosh's refresh() leaks dropped segments
                try:
                    fresh = self._ix.searcher()
                except Exception as error:
                    log.info("index not refreshed yet: %s", error)
                    return False
            self._searcher.close()
            self._searcher = fresh
            self.generation += 1
            self._cache = self._cache.after_change(fresh)  # the facet sets carried over
            return True

    def close(self) -> None:
        with self._lock:
            self._searcher.close()

    @property
    def article_count(self) -> int:
        with self._lock:
            return int(self._searcher.doc_count())

    @property
    def theme_errors(self) -> dict[str, str]:
        """Themes whose query cannot be run, with the message."""
        with self._lock:
            return dict(self._facet_sets().theme_errors)

    # -- searching ----------------------------------------------------------------

    def parse(self, text: str, typing: bool = False) -> wq.Query:
        """The parsed query for `text`, remembered (a keystroke parses it only once).

        While `typing`, a last word not yet followed by a space is also matched
        as a prefix: `flo` finds flood and flooding before the word is complete.
        """
        if typing:
            text = typed_prefix(text)
        with self._lock:
            parsed = self._parsed.get(text)
            if parsed is None:
                parsed = self.parser.parse(text)
                self._parsed[text] = parsed
                if len(self._parsed) > PARSE_CACHE:
                    self._parsed.popitem(last=False)
            else:
                self._parsed.move_to_end(text)
            return parsed

    def prepare(self) -> None:
        """Work out the facet sets (theme membership above all) now rather than on first use."""
        with self._lock:
            self._facet_sets()

    def catalog_changed(self) -> None:
        """Sources, themes or variants changed: parse again and work out the sets again.

        The sets are kept to carry over: what the new catalog changes (a theme's
        query, the variants) is checked before they are (see facets.py).
        """
        with self._lock:
            self._parsed.clear()
            self._cache = self._cache.after_change(self._searcher)

    def search(self, request: SearchRequest) -> SearchResult:
        """Articles matching the request's query and every filter, best first (or newest).

        A finished query (not `typing`) is checked for a correction that finds
        clearly more (`suggestion`); when the query finds nothing and the
        correction finds something, the correction's results are returned
        (`shown_for`) unless the request is `literal`.
        """
        if request.sort not in SORTS:
            raise QueryError(f"unknown sort {request.sort!r}: use one of {', '.join(SORTS)}")
        with self._lock:
            text = request.filters.query
            parsed = self.parse(text, typing=request.typing)
            total, hits, facets = self._answer(parsed, request)
            terms = query_terms(parsed)
            suggestion = None
            shown_for = None
            if text.strip() and not request.typing:
                suggestion = self._suggest(text, total)
                if suggestion is not None and total == 0 and not request.literal:
                    parsed = self.parse(suggestion)
                    total, hits, facets = self._answer(parsed, request)
                    terms, shown_for = query_terms(parsed), suggestion
            return SearchResult(text, total, hits, facets, suggestion, terms, shown_for)

    def _answer(
        self, parsed: wq.Query, request: SearchRequest
    ) -> tuple[int, tuple[SearchHit, ...], Facets]:
        """The total, the page asked for and the facets of a parsed query under the filters."""
        final, facets = self._matching(parsed, request)
        terms = query_terms(parsed)
        hits = self._page(parsed, terms, final, request) if final else ()
        return len(final), hits, facets

    def _matching(self, parsed: wq.Query, request: SearchRequest) -> tuple[set[int], Facets]:
        """The documents of a parsed query under the request's filters, and its facets."""
        sets = self._facet_sets()
        matching = sets.every if isinstance(parsed, wq.Every) else self._cache.docs(parsed)
        chosen = request.filters
        in_place = None
        if chosen.place:
            in_place = self._cache.docs(wq.Term("places", normalise_name(chosen.place)))
        if request.hide:
            matching = matching - self._cache.docnums(request.hide)
        return sets.counts(matching, chosen.source, chosen.theme, chosen.year, in_place)

    def dated_sources(self, request: SearchRequest) -> list[tuple[int, str]]:
        """(day as an ordinal, source) of every dated article the request matches."""
        with self._lock:
            final, _facets = self._matching(self.parse(request.filters.query), request)
            sets = self._facet_sets()
            return [(sets.days[d], sets.source_of(d)) for d in final if sets.days[d]]

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

    def themes_of(self, article_id: str) -> tuple[str, ...]:
        """The themes an article is in now (its queries' and the user's choices)."""
        with self._lock:
            docnum = self._searcher.document_number(id=article_id)
            return () if docnum is None else self._facet_sets().themes_of(docnum)

    def same_story(self, article_id: str) -> tuple[SearchHit, ...]:
        """The other articles telling this article's story, oldest first."""
        with self._lock:
            docnum = self._searcher.document_number(id=article_id)
            sets = self._facet_sets()
            story = sets.stories.get(sets.story_of.get(docnum, "")) if docnum is not None else None
            hits = [
                self._hit(other, 0.0, self._searcher.stored_fields(other), ())
                for other in sorted(story or ())
                if other != docnum
            ]
            return tuple(sorted(hits, key=lambda h: (h.published or dt.date.max, h.id)))

    def stories(self, cache: SignatureCache) -> list[Story]:
        """Every story of the index (see `engine.stories`), newest first.

        The grouping reads every article, on a searcher of its own, so searches
        go on meanwhile (the engine's lock is held only to list the hits).
        """
        with self._lock:
            own = self._ix.searcher()
        try:
            groups = [
                [own.stored_fields(d)["id"] for d in docnums]
                for docnums in find_stories(own, cache)
            ]
        finally:
            own.close()
        with self._lock:
            found = []
            for ids in groups:
                numbers = (self._searcher.document_number(id=article_id) for article_id in ids)
                docnums = [number for number in numbers if number is not None]
                hits = [self._hit(d, 0.0, self._searcher.stored_fields(d), ()) for d in docnums]
                if len(hits) < 2:
                    continue  # changed meanwhile
                hits.sort(key=lambda h: (h.published or dt.date.max, h.id))
                found.append(Story(hits[0].id, hits[0].title, tuple(hits)))
            return sorted(found, key=lambda s: (s.last or dt.date.min, s.id), reverse=True)

    def emerging(
        self,
        until: dt.date,
        days: int,
        baseline_days: int,
        theme: str | None = None,
        query: str = "",
    ) -> list[Emerging]:
        """Rising words and names (see `engine.emerging`), in a theme or a query's results."""
        with self._lock:
            docs: set[int] | None = None
            if query.strip():
                docs = self._cache.docs(self.parse(query))
            if theme is not None:
                members = self._facet_sets().themes.get(theme, set())
                docs = members if docs is None else docs & members
            keep = (lambda _d: True) if docs is None else docs.__contains__
            return emerging_terms(self._searcher, until, days, baseline_days, keep)

    def stored(self, article_id: str) -> dict[str, Any] | None:
        """The stored fields of one article, or None when it is not indexed."""
        with self._lock:
            return self._searcher.document(id=article_id)

    def terms(self, query_text: str) -> QueryTerms:
        """What a query looks for in prose; empty for a query that cannot be understood."""
        try:
            return query_terms(self.parse(query_text))
        except QueryError:
            return QueryTerms()

    # -- internals ----------------------------------------------------------------

    @property
    def searcher(self) -> Searcher:
        """The open Whoosh searcher (for the engine's own tests and benchmarks)."""
        return self._searcher

    def matching(self, parsed: wq.Query) -> set[int]:
        """The document numbers a parsed query matches, read afresh (no remembered answers)."""
        with self._lock:
            return self._cache.matching(parsed)

    def clear_caches(self) -> None:
        """Forget remembered matches, postings and facet sets (benchmarks measure cold queries)."""
        with self._lock:
            self._cache = VersionCache(self._searcher, self.parser, self._index_dir)

    def _facet_sets(self) -> FacetSets:
        return self._cache.facet_sets()

    def _page(
        self, parsed: wq.Query, terms: QueryTerms, allowed: set[int], request: SearchRequest
    ) -> tuple[SearchHit, ...]:
        wanted = request.offset + request.limit
        if request.sort == "date" or isinstance(parsed, wq.Every):
            ranked = newest(allowed, self._facet_sets().days, wanted)
        else:
            # The matches are known: score just them, term by term (exact, where
            # Whoosh's collector, skipping blocks by quality, can miss a better one).
            ranked = ranked_by_terms(self._cache.postings, parsed, allowed, wanted)
        page = []
        for score, docnum in ranked[request.offset : wanted]:
            fields = self._searcher.stored_fields(docnum)
            found: list[Snippet] = []
            if request.snippets:
                body = fields.get("body", "")
                spans = highlight.spans_of(body, terms, highlight.SNIPPET_SPANS)
                found = highlight.snippets(body, spans)
            page.append(self._hit(docnum, score, fields, found))
        return tuple(page)

    def _hit(
        self, docnum: int, score: float, fields: dict[str, Any], snippets: Sequence[Snippet]
    ) -> SearchHit:
        published = fields.get("published")
        return SearchHit(
            id=fields["id"],
            title=fields.get("title", ""),
            source=fields.get("source", ""),
            published=published.date() if isinstance(published, dt.datetime) else None,
            themes=self._facet_sets().themes_of(docnum),
            score=score,
            snippets=tuple(snippets),
            also_in=self._facet_sets().also_in(docnum),
        )

    def _suggest(self, text: str, found: int) -> str | None:
        """A corrected query, when it finds clearly more than `found` (twice, and 3 more)."""
        suggestion = self.parser.variants.respaced(text) or suggest_query(self._searcher, text)
        if suggestion is None:
            return None
        try:
            better = len(self._cache.docs(self.parse(suggestion)))
        except QueryError:
            return None
        clearly_more = (
            better > 0 if found == 0 else better >= max(2 * found, found + SUGGEST_MARGIN)
        )
        return suggestion if clearly_more else None


def newest(docs: set[int], days: Sequence[int], limit: int) -> list[tuple[float, int]]:
    """The `limit` most recent documents, as (0, docnum); earlier documents first on ties."""
    if not docs:
        return []
    threshold = heapq.nlargest(limit, map(days.__getitem__, docs))[-1]  # plain ints: fast
    chosen = sorted((-days[d], d) for d in docs if days[d] >= threshold)
    return [(0.0, docnum) for _day, docnum in chosen[:limit]]


def _dir_identity(path: os.PathLike[str]) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (0, 0)
    return (stat.st_dev, stat.st_ino)
