"""Which documents match a query, and the best of them, as cheaply as Whoosh allows.

Whoosh walks its matchers document by document in Python. For the set of all
matches (needed for totals and facets) it is much faster to read each leaf's
posting list once and combine the leaves with set operations, which run in C:
And is an intersection, Or a union, Not a difference. Phrases and ranges are
leaves too, resolved by Whoosh, so their positions are checked only once.

Ranking then scores only the documents that survive the filters: Whoosh's
collector (with its block-skipping) for ordinary queries, and for phrase
queries, whose matchers are slow to walk, by skipping the matcher straight to
each candidate.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime


def matching_docs(
    searcher: Searcher,
    query: Any,
    every: Callable[[], set[int]],
    days: Callable[[], list[int]] | None = None,
) -> set[int]:
    """The document numbers matching `query` (deleted documents excluded).

    With `days` (each document's date as an ordinal), date ranges are answered
    from it instead of Whoosh's numeric trie, which expands into many terms.
    """

    def match(node: Any) -> set[int]:
        if isinstance(node, wq.Every):
            return every()
        if days is not None and isinstance(node, wq.NumericRange) and node.fieldname == "published":
            return _dated(node, every(), days())
        if isinstance(node, wq.And):
            sets = sorted((match(q) for q in node.subqueries), key=len)
            return set.intersection(*sets) if sets else set()
        if isinstance(node, wq.Or):
            result: set[int] = set()
            for subquery in node.subqueries:
                result |= match(subquery)
            return result
        if isinstance(node, wq.AndNot):
            return match(node.a) - match(node.b)
        if isinstance(node, wq.Not):
            return every() - match(node.query)
        if isinstance(node, wq.AndMaybe):
            return match(node.a)
        if isinstance(node, wq.Require):
            return match(node.a) & match(node.b)
        if isinstance(node, wq.Phrase) and node.slop == 1 and len(node.words) > 1:
            return phrase_docs(searcher, node.fieldname, [str(w) for w in node.words])
        return set(searcher.docs_for_query(node))

    return match(query)


def _dated(query: Any, every: set[int], days: list[int]) -> set[int]:
    low = _ordinal(query.start) if query.start is not None else 1
    high = _ordinal(query.end) if query.end is not None else 10**7
    if query.startexcl:
        low += 1
    if query.endexcl:
        high -= 1
    return {docnum for docnum in every if low <= days[docnum] <= high}


def _ordinal(value: int) -> int:
    return int(long_to_datetime(value).date().toordinal())


def phrase_docs(searcher: Searcher, fieldname: str, words: list[str]) -> set[int]:
    """Documents where `words` occur one after another in `fieldname`.

    The documents holding every word are found with set intersections; only
    for those are the words' positions decoded and compared.
    """
    if fieldname not in searcher.schema or not searcher.schema[fieldname].format.supports(
        "positions"
    ):
        raise ValueError(f"the {fieldname!r} field has no positions for phrases")
    candidates: set[int] | None = None
    for word in sorted(set(words), key=lambda w: searcher.doc_frequency(fieldname, w)):
        docs = set(searcher.docs_for_query(wq.Term(fieldname, word)))
        candidates = docs if candidates is None else candidates & docs
        if not candidates:
            return set()
    assert candidates is not None
    found: set[int] = set()
    for subsearcher, offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        size = subsearcher.doc_count_all()
        local = sorted(d - offset for d in candidates if offset <= d < offset + size)
        if not local:
            continue
        matchers = [reader.postings(fieldname, word) for word in words]
        for docnum in local:
            positions = []
            for matcher in matchers:
                if matcher.is_active() and matcher.id() < docnum:
                    matcher.skip_to(docnum)
                if not matcher.is_active() or matcher.id() != docnum:
                    break
                positions.append(matcher.value_as("positions"))
            else:
                rest = [set(p) for p in positions[1:]]
                if any(all(start + i + 1 in later for i, later in enumerate(rest))
                       for start in positions[0]):  # fmt: skip
                    found.add(docnum + offset)
    return found


def phrases_as_words(query: Any) -> Any:
    """Phrases replaced by the And of their words, to rank phrase matches cheaply."""
    if isinstance(query, wq.Phrase):
        terms = [wq.Term(query.fieldname, word, boost=query.boost) for word in query.words]
        return terms[0] if len(terms) == 1 else wq.And(terms)
    if query.is_leaf():
        return query
    return query.apply(phrases_as_words)


def has_phrase(query: Any) -> bool:
    if isinstance(query, wq.Phrase):
        return True
    return not query.is_leaf() and any(has_phrase(child) for child in query.children())


def top_scored(
    searcher: Searcher, query: Any, candidates: set[int], limit: int
) -> list[tuple[float, int]]:
    """The `limit` best (score, docnum) among `candidates`, best first.

    Skips each segment's matcher to the candidates instead of walking it, which
    is what makes phrase queries affordable.
    """
    best: list[tuple[float, int]] = []
    context = searcher.context()
    for subsearcher, offset in searcher.leaf_searchers():
        size = subsearcher.doc_count_all()
        local = sorted(d - offset for d in candidates if offset <= d < offset + size)
        if not local:
            continue
        matcher = query.matcher(subsearcher, context)
        for docnum in local:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                item = (matcher.score(), -(docnum + offset))
                if len(best) < limit:
                    heapq.heappush(best, item)
                elif item > best[0]:
                    heapq.heapreplace(best, item)
    return [(score, -negative) for score, negative in sorted(best, reverse=True)]


MAX_PREFIX_TERMS = 32
"""A prefix scores by at most this many of its commonest expansions."""


def scored_terms(query: Any, searcher: Searcher) -> list[tuple[str, Any, float]]:
    """(field, term, boost) for every term that adds to a document's score.

    Terms under a NOT add nothing; a prefix counts by its commonest expansions.
    """
    found: list[tuple[str, Any, float]] = []

    def walk(node: Any, boost: float) -> None:
        boost *= getattr(node, "boost", 1.0) or 1.0
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot | wq.AndMaybe):
            walk(node.a, boost)
            if isinstance(node, wq.AndMaybe):
                walk(node.b, boost)
            return
        if isinstance(node, wq.Term):
            found.append((node.fieldname, node.text, boost))
        elif isinstance(node, wq.Phrase):
            found.extend((node.fieldname, word, boost) for word in node.words)
        elif isinstance(node, wq.Prefix):
            reader = searcher.reader()
            expansions = list(reader.expand_prefix(node.fieldname, node.text))
            expansions.sort(key=lambda t: -reader.doc_frequency(node.fieldname, t))
            found.extend((node.fieldname, t, boost) for t in expansions[:MAX_PREFIX_TERMS])
        elif not node.is_leaf():
            for child in node.children():
                walk(child, boost)

    walk(query, 1.0)
    return found


def ranked_by_terms(
    searcher: Searcher, query: Any, candidates: set[int], limit: int
) -> list[tuple[float, int]]:
    """The `limit` best candidates by the summed BM25F scores of the query's terms.

    Reads each term's postings once, in order (skipping when the candidates are
    few), instead of walking the query's compound matcher per document.
    """
    scores = dict.fromkeys(candidates, 0.0)
    weighting = searcher.weighting
    for subsearcher, offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        size = subsearcher.doc_count_all()
        local = sorted(d - offset for d in candidates if offset <= d < offset + size)
        if not local:
            continue
        for fieldname, text, boost in scored_terms(query, subsearcher):
            if (fieldname, text) not in reader:
                continue
            matcher = reader.postings(fieldname, text)
            scorer = weighting.scorer(subsearcher, fieldname, text, qf=boost)
            if len(local) * 8 < reader.doc_frequency(fieldname, text):
                for docnum in local:  # few candidates: skip straight to each
                    if matcher.is_active() and matcher.id() < docnum:
                        matcher.skip_to(docnum)
                    if matcher.is_active() and matcher.id() == docnum:
                        scores[docnum + offset] += scorer.score(matcher)
            else:
                wanted = set(local)
                while matcher.is_active():
                    docnum = matcher.id()
                    if docnum in wanted:
                        scores[docnum + offset] += scorer.score(matcher)
                    matcher.next()
    best = heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))
    return [(score, docnum) for docnum, score in best]
