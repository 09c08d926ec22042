"""Which documents match a query, and the best of them, as cheaply as Whoosh allows.

Relies on Whoosh 2.7.4 (pinned in constraints.txt) for BM25F's per-field `_field_B`;
with another version, the B of a field comes from a scorer, through the public API.

Whoosh walks its matchers document by document in Python. For the set of all
matches (needed for totals and facets) it is much faster to read each leaf's
posting list a block at a time (see postings.py) and combine the leaves with
set operations, which run in C: And is an intersection, Or a union, Not a
difference. Phrases are leaves too: their words' positions are decoded only
for the documents that hold every word.

Ranking then scores only the documents that survive the filters, term by
term, with Whoosh's BM25F formula; Whoosh's own collector skips blocks by
their best possible score and can miss a document that deserved the page.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from operator import sub
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.util.times import long_to_datetime

from . import public_only
from .postings import PostingReader


def matching_docs(
    postings: PostingReader,
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
            return phrase_docs(postings, node.fieldname, [str(w) for w in node.words])
        if type(node) is wq.Term:
            return postings.docs(node.fieldname, node.text)
        if isinstance(node, wq.Prefix):
            return prefix_docs(postings, node)
        return set(searcher.docs_for_query(node))

    searcher = postings.searcher
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


def phrase_docs(postings: PostingReader, fieldname: str, words: list[str]) -> set[int]:
    """Documents where `words` occur one after another in `fieldname`.

    The documents holding every word are found with set intersections; only
    for those are the words' positions decoded and compared.
    """
    key = (fieldname, tuple(words))
    known = postings.phrases.get(key)
    if known is not None:
        return known
    schema = postings.searcher.schema
    if fieldname not in schema or not schema[fieldname].format.supports("positions"):
        raise ValueError(f"the {fieldname!r} field has no positions for phrases")
    candidates: set[int] | None = None
    for word in sorted(set(words), key=lambda w: len(postings.term(fieldname, w).ids)):
        docs = postings.docs(fieldname, word)
        candidates = docs if candidates is None else candidates & docs
        if not candidates:
            return set()
    assert candidates is not None
    # Word k of the phrase at position p means a phrase starting at p - k: the
    # phrase is there when every word allows some common start.
    where = {word: postings.positions(fieldname, word, candidates) for word in set(words)}
    found: set[int] = set()
    for docnum in candidates:
        starts = set(where[words[0]][docnum])
        for k, word in enumerate(words[1:], start=1):
            starts.intersection_update(map(sub, where[word][docnum], repeat(k)))
            if not starts:
                break
        else:
            found.add(docnum)
    postings.phrases[key] = found
    return found


PREFIX_EXPANSIONS = 200
"""A prefix matches the documents of its commonest expansions, this many at most."""
SHORT_PREFIX = 2
SHORT_PREFIX_EXPANSIONS = 8
"""The cap, in matching and in scoring, for a prefix of SHORT_PREFIX letters or fewer: two
letters cover a tenth of the vocabulary. At 20,000 articles, reading the postings of 24 such
words took 0.15–0.2 s and scoring 32 of them 50 ms, the slowest steps of typing a query's
second letter. The commonest eight already cover nearly every article such a prefix finds,
and a third letter lifts the cap."""


def prefix_docs(postings: PostingReader, node: Any) -> set[int]:
    """Documents holding one of the prefix's commonest words (PREFIX_EXPANSIONS of them,
    SHORT_PREFIX_EXPANSIONS for a prefix of two letters).

    Typing a query searches its last word as a prefix ("f", "fl", "flo"…): the
    cap keeps a one-letter prefix as cheap as a word on a large archive. The
    words a prefix covers are remembered for the index generation.
    """
    key = (node.fieldname, str(node.text))
    known = postings.prefixes.get(key)
    if known is not None:
        return known
    found: set[int] = set()
    for term in commonest_expansions(postings, node)[: _cap(node, PREFIX_EXPANSIONS)]:
        found |= postings.docs(node.fieldname, term)
    postings.prefixes[key] = found
    return found


def commonest_expansions(postings: PostingReader, node: Any) -> list[Any]:
    """A prefix's words, the commonest first (remembered for the index generation).

    Matching and scoring both take the head of this list: sorting a short
    prefix's hundreds of words by frequency cost 10 ms a search at 20,000 articles.
    """
    key = (node.fieldname, str(node.text))
    known = postings.expansions.get(key)
    if known is not None:
        return known
    searcher = postings.searcher
    if node.fieldname not in searcher.schema:
        return []
    field = searcher.schema[node.fieldname]
    reader = postings.lexicon or searcher.reader()  # the words, and how common each is
    expansions = [field.from_bytes(btext) for _name, btext in node.expanded_terms(reader)]
    frequency = reader.doc_frequency
    expansions.sort(key=lambda term: -frequency(node.fieldname, term))
    postings.expansions[key] = expansions
    return expansions


def _cap(node: Any, longer: int) -> int:
    """How many of a prefix's commonest words count: `longer`, or fewer for a short prefix."""
    return longer if len(str(node.text)) > SHORT_PREFIX else SHORT_PREFIX_EXPANSIONS


MAX_EXPANSIONS = 32
"""A prefix, wildcard or fuzzy term scores by at most this many of its commonest expansions."""


ScoredTerm = tuple[str, Any, float, "set[int] | None"]
"""(field, term, boost, the only documents it scores in, or None for all)."""


def scored_terms(query: Any, postings: PostingReader) -> list[ScoredTerm]:
    """Every term that adds to a document's score, with its boost.

    Terms under a NOT add nothing. A phrase's words score only in the documents
    where the phrase is (a title that merely holds one of the words earns
    nothing). A prefix (or wildcard, or fuzzy term) counts by its commonest
    expansions, where Whoosh would give every match the same score.
    """
    searcher = postings.searcher
    found: list[ScoredTerm] = []

    def walk(node: Any, boost: float) -> None:
        boost *= getattr(node, "boost", 1.0) or 1.0
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot | wq.AndMaybe | wq.Require):
            walk(node.a, boost)  # what is excluded or only required adds nothing
            if isinstance(node, wq.AndMaybe):
                walk(node.b, boost)
            return
        if isinstance(node, wq.Term):
            found.append((node.fieldname, node.text, boost, None))
        elif isinstance(node, wq.Phrase):
            words = [str(word) for word in node.words]
            within = (
                phrase_docs(postings, node.fieldname, words)
                if node.slop == 1 and len(words) > 1
                else None
            )
            found.extend((node.fieldname, word, boost, within) for word in words)
        elif isinstance(node, wq.Prefix):
            if node.fieldname in searcher.schema and searcher.schema[node.fieldname].scorable:
                expansions = commonest_expansions(postings, node)[: _cap(node, MAX_EXPANSIONS)]
                found.extend((node.fieldname, t, boost, None) for t in expansions)
        elif isinstance(node, wq.MultiTerm) and node.field() in searcher.schema:
            field = searcher.schema[node.field()]
            if not field.scorable:
                return
            reader = searcher.reader()
            expansions = [field.from_bytes(btext) for _, btext in node.expanded_terms(reader)]
            expansions.sort(key=lambda t: -reader.doc_frequency(node.field(), t))
            found.extend((node.field(), t, boost, None) for t in expansions[:MAX_EXPANSIONS])
        elif not node.is_leaf():
            for child in node.children():
                walk(child, boost)

    walk(query, 1.0)
    # A word in several variants of a name counts once: with its strongest boost,
    # in every document any of them allows.
    merged: dict[tuple[str, Any], tuple[float, set[int] | None]] = {}
    for fieldname, text, boost, within in found:
        key = (fieldname, text)
        if key not in merged:
            merged[key] = (boost, within)
            continue
        strongest, allowed = merged[key]
        together = None if allowed is None or within is None else allowed | within
        merged[key] = (max(strongest, boost), together)
    return [(field, text, boost, within) for (field, text), (boost, within) in merged.items()]


def ranked_by_terms(
    postings: PostingReader, query: Any, candidates: set[int], limit: int
) -> list[tuple[float, int]]:
    """The `limit` best candidates by the summed BM25F scores of the query's terms.

    Takes each term's postings whole and scores the candidates among them with
    Whoosh's own formula (boosts included), instead of walking the query's
    compound matcher document by document: one NumPy expression per term, in
    the order and float arithmetic of the formula, so the scores are the ones
    Whoosh computes. Ties go to the earlier document.
    """
    searcher = postings.searcher
    weighting = searcher.weighting
    assert isinstance(weighting, BM25F), "the engine's searchers use Whoosh's default BM25F"
    if not candidates:
        return []
    k1 = weighting.K1
    size = searcher.doc_count_all()
    scores = np.zeros(size)
    scored = np.zeros(size, dtype=bool)
    allowed_anywhere = _mask(candidates, size)
    for fieldname, text, boost, within in scored_terms(query, postings):
        if fieldname not in searcher.schema or not searcher.schema[fieldname].scorable:
            continue
        found = postings.term(fieldname, text)
        if not found.ids:
            continue
        ids, tfs = found.arrays()
        allowed = allowed_anywhere if within is None else allowed_anywhere & _mask(within, size)
        keep = allowed[ids]
        ids, tfs = ids[keep], tfs[keep]
        # BM25: idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average length))
        scale = boost * searcher.idf(fieldname, text) * (k1 + 1)
        b = _field_b(weighting, searcher, fieldname, text)
        norms = postings.norms(fieldname, k1, b, searcher.avg_field_length(fieldname) or 1)
        scores[ids] += scale * tfs / (tfs + norms[ids])  # a term's documents are distinct
        scored[ids] = True
    return best_of(scores, scored, allowed_anywhere, limit)


def _mask(docs: set[int], size: int) -> np.ndarray:
    """A boolean array that is True at each document number of `docs`."""
    mask = np.zeros(size, dtype=bool)
    mask[np.fromiter(docs, dtype=np.int64, count=len(docs))] = True
    return mask


def _field_b(weighting: BM25F, searcher: Any, fieldname: str, text: Any) -> float:
    """BM25's B for a field: Whoosh 2.7.4 keeps per-field values in `_field_B`; the public
    way is to ask for a scorer of the term, which carries it."""
    field_b = getattr(weighting, "_field_B", None)
    if isinstance(field_b, dict) and not public_only():
        return float(field_b.get(fieldname, weighting.B))
    return float(weighting.scorer(searcher, fieldname, text).B)


def best_of(
    scores: np.ndarray, scored: np.ndarray, candidates: np.ndarray, limit: int
) -> list[tuple[float, int]]:
    """The `limit` highest (score, docnum), best first, earlier documents first on ties.

    `scored` marks the documents a term scored in, `candidates` those that
    may be returned; candidates without a score (matched only by filters) score 0.
    """
    ids = np.flatnonzero(scored)
    if len(ids) < limit:
        unscored = np.flatnonzero(candidates & ~scored)[: limit - len(ids)]  # in docnum order
        ids = np.concatenate([ids, unscored])
    if not len(ids):
        return []
    values = scores[ids]
    if len(ids) > limit:
        threshold = np.partition(values, len(values) - limit)[len(values) - limit]
        kept = values >= threshold
        ids, values = ids[kept], values[kept]
    order = np.lexsort((ids, -values))[:limit]  # by score, then by document number
    return [(float(values[i]), int(ids[i])) for i in order]
