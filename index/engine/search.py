"""Answering queries: ranked hits with snippets, facet counts, suggestions, related articles.

One searcher is kept open and refreshed only when the index changes. A
request is parsed once; the parsed query gives the matching documents (read
a block of postings at a time, see `fast/`), the facets (`facets.py`), the
ranked page and the terms its snippets highlight. The result carries those
terms, so the article on screen is highlighted without parsing the query again.
"""

from __future__ import annotations

import datetime as dt
import heapq
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
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
from .emerging import emerging_terms
from .facets import FacetSets, build_facet_sets, updated_facet_sets
from .fast.columns import live_docs, numeric_column
from .fast.postings import PostingReader
from .fast.ranking import matching_docs, ranked_by_terms
from .lexer import is_plain_word, lexemes
from .query import QueryParser
from .spelling import suggest_query
from .stories import SignatureCache, find_stories

SUGGEST_MARGIN = 3
"""A correction is offered when it finds twice as many articles, and at least this many more."""
MATCH_CACHE = 64
"""Queries whose matching documents are remembered (paging, filter changes, typing back)."""
PARSE_CACHE = 128
"""Query texts whose parsed form is remembered (typing back and forth, paging)."""
PROSE_FIELDS = frozenset({"title", "summary", "body", "context", "notes"})
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
        self._sets: FacetSets | None = None
        self._earlier: FacetSets | None = None
        """The sets of the version before a refresh, to carry over (see facets.py)."""
        self.generation = 0
        """Counts the index versions this engine has searched (it grows on each refresh)."""
        self._building: tuple[set[int], list[int]] | None = None
        """Every document and the dates, while the facet sets are being built."""
        self._matches: dict[str, set[int]] = {}
        self._parsed: OrderedDict[str, wq.Query] = OrderedDict()
        self._by_id: dict[str, set[int]] = {}
        self._postings = PostingReader(self._searcher)

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
            earlier = self._sets or self._earlier
            self.clear_caches()
            self._earlier = earlier  # carried over to the new version (see facets.py)
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
            earlier = self._sets or self._earlier
            self.clear_caches()
            self._earlier = earlier

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
        matching = sets.every if isinstance(parsed, wq.Every) else self._docs(parsed)
        chosen = request.filters
        in_place = None
        if chosen.place:
            in_place = self._docs(wq.Term("places", normalise_name(chosen.place)))
        if request.hide:
            matching = matching - self._docnums(request.hide)
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
            hits = [self._hit(other, 0.0, self._searcher.stored_fields(other), ())
                    for other in sorted(story or ()) if other != docnum]  # fmt: skip
            return tuple(sorted(hits, key=lambda h: (h.published or dt.date.max, h.id)))

    def stories(self, cache: SignatureCache) -> list[Story]:
        """Every story of the index (see `engine.stories`), newest first.

        The grouping reads every article, on a searcher of its own, so searches
        go on meanwhile (the engine's lock is held only to list the hits).
        """
        with self._lock:
            own = self._ix.searcher()
        try:
            groups = [[own.stored_fields(d)["id"] for d in docnums]
                      for docnums in find_stories(own, cache)]  # fmt: skip
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

    def emerging(self, until: dt.date, days: int, baseline_days: int,
                 theme: str | None = None, query: str = "") -> list[Emerging]:  # fmt: skip
        """Rising words and names (see `engine.emerging`), in a theme or a query's results."""
        with self._lock:
            docs: set[int] | None = None
            if query.strip():
                docs = self._docs(self.parse(query))
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

    def _docnums(self, article_ids: frozenset[str]) -> set[int]:
        """The document numbers of articles, by id (remembered per id for this generation)."""
        known = self._by_id
        for article_id in article_ids - known.keys():
            known[article_id] = self._postings.docs("id", article_id)
        found: set[int] = set()
        for article_id in article_ids:
            found |= known[article_id]
        return found

    def _every(self) -> set[int]:
        if self._sets is None and self._building is not None:
            return self._building[0]
        return self._facet_sets().every

    def _days(self) -> list[int]:
        if self._sets is None and self._building is not None:
            return self._building[1]
        return self._facet_sets().days

    @property
    def searcher(self) -> Searcher:
        """The open Whoosh searcher (for the engine's own tests and benchmarks)."""
        return self._searcher

    def matching(self, parsed: wq.Query) -> set[int]:
        """The document numbers a parsed query matches, read afresh (no remembered answers)."""
        with self._lock:
            return matching_docs(PostingReader(self._searcher), parsed, self._every, self._days)

    def clear_caches(self) -> None:
        """Forget remembered matches, postings and facet sets (benchmarks measure cold queries)."""
        with self._lock:
            self._matches.clear()
            self._postings = PostingReader(self._searcher)
            self._sets = self._earlier = None
            self._by_id = {}

    def _facet_sets(self) -> FacetSets:
        if self._sets is None:
            # Theme queries run while the sets are built may need every document and the
            # dates (NOT, date ranges): they get these, never a second build of the sets.
            self._building = (live_docs(self._searcher), numeric_column(self._searcher, "day"))
            earlier, self._earlier = self._earlier, None
            try:
                found = None
                if earlier is not None:
                    found = updated_facet_sets(
                        earlier, self._searcher, self.parser, self._docs, self._index_dir
                    )
                self._sets = found or build_facet_sets(
                    self._searcher, self.parser, self._docs, self._index_dir
                )
            finally:
                self._building = None
        return self._sets

    def _page(
        self, parsed: wq.Query, terms: QueryTerms, allowed: set[int], request: SearchRequest
    ) -> tuple[SearchHit, ...]:
        wanted = request.offset + request.limit
        if request.sort == "date" or isinstance(parsed, wq.Every):
            ranked = newest(allowed, self._facet_sets().days, wanted)
        else:
            # The matches are known: score just them, term by term (exact, where
            # Whoosh's collector, skipping blocks by quality, can miss a better one).
            ranked = ranked_by_terms(self._postings, parsed, allowed, wanted)
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
        suggestion = suggest_query(self._searcher, text)
        if suggestion is None:
            return None
        try:
            better = len(self._docs(self.parse(suggestion)))
        except QueryError:
            return None
        clearly_more = (
            better > 0 if found == 0 else better >= max(2 * found, found + SUGGEST_MARGIN)
        )
        return suggestion if clearly_more else None


MIN_PREFIX = 2
"""Letters a word being typed needs before it is matched as a prefix (Hangul: one)."""
STEM_REACH = 4
"""Letters a stemmer takes off a word at most ("development" is indexed as "develop")."""
MIN_STEM = 4
"""The shortest stem a word being typed is also matched as (see typed_prefix)."""


def typed_prefix(text: str) -> str:
    """`text` with its last word, while being typed, also matched as a prefix.

    Words are indexed by their stems, so a word typed into its ending
    ("regiona", "constructi") is a prefix of no indexed word: it is also
    matched as the stems it may be heading for, itself less up to STEM_REACH
    letters ("region", "construct"). The count no longer drops from thousands
    to none and back while a word is typed.
    """
    if not text or text[-1].isspace():
        return text
    parts = list(lexemes(text))
    kind, word = parts[-1]
    before = parts[-2][1] if len(parts) > 1 else ""
    if kind != "word" or not is_plain_word(word) or before.endswith(":"):
        return text
    if not any(ch.isalnum() for ch in word):
        return text
    head = "".join(part for _kind, part in parts[:-1])
    if len(word) < MIN_PREFIX and word.isascii():
        # One Latin letter as a prefix is most of the vocabulary (0.4-0.8 s at 20,000
        # articles): it waits for the next letter; the words before it are searched.
        return head.rstrip() or text
    alternatives = [word, f"{word}*"]
    if word.isascii() and word.isalpha():  # stems are of Latin words; lower case: no operator
        shortest = max(MIN_STEM, len(word) - STEM_REACH)
        alternatives += [word[:k].lower() for k in range(shortest, len(word))]
    return head + "(" + " OR ".join(alternatives) + ")"


def newest(docs: set[int], days: Sequence[int], limit: int) -> list[tuple[float, int]]:
    """The `limit` most recent documents, as (0, docnum); earlier documents first on ties."""
    if not docs:
        return []
    threshold = heapq.nlargest(limit, map(days.__getitem__, docs))[-1]  # plain ints: fast
    chosen = sorted((-days[d], d) for d in docs if days[d] >= threshold)
    return [(0.0, docnum) for _day, docnum in chosen[:limit]]


def query_terms(parsed: Any) -> QueryTerms:
    """The analysed words, prefixes and phrases a query looks for in prose, for highlighting.

    Words and prefixes under a NOT are left out: they are what an article must not hold.
    """
    stems: set[str] = set()
    prefixes: list[str] = []
    phrases: list[tuple[str, ...]] = []
    for node in _leaves(parsed):
        fieldname = getattr(node, "fieldname", None)
        if fieldname not in PROSE_FIELDS:
            continue
        if isinstance(node, wq.Prefix):
            prefixes.append(str(node.text))
        elif isinstance(node, wq.Phrase):
            words = tuple(str(word) for word in node.words)
            if len(words) == 1:
                stems.add(words[0])
            elif words:
                phrases.append(words)
        elif isinstance(node, wq.Term):
            stems.add(str(node.text))
    return QueryTerms(
        frozenset(stems), tuple(dict.fromkeys(prefixes)), tuple(dict.fromkeys(phrases))
    )


def _leaves(node: Any) -> Iterable[Any]:
    if isinstance(node, wq.Not):
        return
    if isinstance(node, wq.AndNot):
        yield from _leaves(node.a)
        return
    if node.is_leaf():
        yield node
    else:
        for child in node.children():
            yield from _leaves(child)


def _dir_identity(path: os.PathLike[str]) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (0, 0)
    return (stat.st_dev, stat.st_ino)
