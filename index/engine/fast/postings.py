"""Reading a term's postings a block at a time instead of one posting per call.

Whoosh's matchers hand out postings one at a time (`id()`, `weight()`,
`value()`, `next()`: several Python calls each), which is most of the cost of
a large query. Its on-disk posting lists are stored in blocks of up to 128
postings that are decoded whole anyway, so this module reads those decoded
arrays directly. That reaches into Whoosh 2.7.4's leaf matcher (the version
pinned in constraints.txt); any matcher that does not look like one is read
the slow, public way, so a different Whoosh gives the same answers.

Document numbers here are the top-level searcher's (segment offset added),
and deleted documents are never returned.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher

from ..positions import PackedPositions, unpack_positions
from . import columns, public_only


@dataclass(frozen=True)
class Block:
    """Consecutive postings of one term in one segment (segment-local document numbers)."""

    ids: Sequence[int]
    weights: Sequence[float]
    values: Sequence[Any] | None


def _blocks(matcher: Any, values: bool) -> Iterator[Block]:
    """The postings of a fresh matcher, block by block."""
    if type(matcher) is W3LeafMatcher and hasattr(matcher, "_read_data") and not public_only():
        while matcher.is_active():
            matcher._read_data()
            ids = matcher._data[0]
            if not matcher._byteids:
                ids = tuple(accumulate(ids))  # stored as gaps; Whoosh decodes them in Python
            matcher._read_weights()
            if values:
                matcher._read_values()
            start = matcher._i  # past the start of the first block when a filter moved it
            if start:
                yield Block(
                    ids[start:],
                    matcher._weights[start:],
                    matcher._values[start:] if values else None,
                )
            else:
                yield Block(ids, matcher._weights, matcher._values if values else None)
            matcher._next_block()
        return
    every_id: list[int] = []
    every_weight: list[float] = []
    every_value: list[Any] = []
    while matcher.is_active():
        every_id.append(matcher.id())
        every_weight.append(matcher.weight())
        if values:
            every_value.append(matcher.value())
        matcher.next()
    yield Block(every_id, every_weight, every_value if values else None)


def segment_postings(
    reader: Any, fieldname: str, text: Any, values: bool = False
) -> Iterator[Block]:
    """One segment's postings for a term, without its deleted documents."""
    try:
        if (fieldname, text) not in reader:
            return
    except ValueError:  # not a value this field can hold (a word in a number field)
        return
    matcher = reader.postings(fieldname, text)
    deleted: frozenset[int] = frozenset()
    fast = not public_only()
    if fast and isinstance(matcher, FilterMatcher) and getattr(matcher, "_exclude", False):
        deleted = frozenset(matcher._ids)
        matcher = matcher.child
    for block in _blocks(matcher, values):
        if not deleted or deleted.isdisjoint(block.ids):
            yield block
            continue
        keep = [i for i, docnum in enumerate(block.ids) if docnum not in deleted]
        yield Block(
            [block.ids[i] for i in keep],
            [block.weights[i] for i in keep],
            [block.values[i] for i in keep] if block.values is not None else None,
        )


@dataclass
class TermPostings:
    """Every posting of one term: top-level document numbers, weights, raw values."""

    ids: list[int]
    weights: list[float]
    values: list[Any] | None
    """Encoded positions, for fields that keep them; decoded only when a phrase needs them."""
    _arrays: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The document numbers and weights as NumPy arrays, for scoring them all at once
        (made on first use, kept with the postings)."""
        if self._arrays is None:
            self._arrays = (
                np.array(self.ids, dtype=np.int64),
                np.array(self.weights, dtype=np.float64),
            )
        return self._arrays


EMPTY = TermPostings([], [], None)
BUDGET = 400_000
"""Postings kept between queries (about 40 MB), the most recently used terms first."""


class PostingReader:
    """A searcher's posting lists, read a block at a time and kept for the next queries.

    One per index generation: the engine makes a new one whenever the index
    changes. Typing a query runs the same terms again and again, and a phrase
    reads its words once for matching and once more for ranking.
    """

    def __init__(self, searcher: Searcher, budget: int = BUDGET, lexicon: Any = None) -> None:
        self.searcher = searcher
        self.lexicon = lexicon
        """The reader whose words and frequencies choose a prefix's commonest expansions, when
        not the searcher's own (part of an index matched as the whole index would be)."""
        self._budget = budget
        self._terms: dict[tuple[str, Any], TermPostings] = {}
        self._held = 0
        self._lengths: dict[str, list[int]] = {}
        self._norms: dict[tuple[str, float, float, float], np.ndarray] = {}
        self.phrases: dict[tuple[str, tuple[str, ...]], set[int]] = {}
        """Documents holding each phrase looked up (see ranking.phrase_docs)."""
        self.prefixes: dict[tuple[str, str], set[int]] = {}
        """Documents matching each prefix looked up (see ranking.prefix_docs)."""
        self.expansions: dict[tuple[str, str], list[Any]] = {}
        """Each prefix's words, the commonest first (see ranking.commonest_expansions)."""

    def term(self, fieldname: str, text: Any) -> TermPostings:
        key = (fieldname, text)
        found = self._terms.pop(key, None)
        if found is None:
            found = self._read(fieldname, text)
            self._held += len(found.ids)
        self._terms[key] = found  # most recently used last
        while self._held > self._budget and len(self._terms) > 1:
            oldest = next(iter(self._terms))
            self._held -= len(self._terms.pop(oldest).ids)
        return found

    @property
    def held(self) -> tuple[int, int]:
        """(terms, postings) kept for the next queries."""
        return len(self._terms), self._held

    def docs(self, fieldname: str, text: Any) -> set[int]:
        """The documents holding a term."""
        return set(self.term(fieldname, text).ids)

    def positions(self, fieldname: str, text: Any, wanted: set[int]) -> dict[int, Sequence[int]]:
        """Where a term occurs (word positions) in each of the `wanted` documents holding it."""
        postings = self.term(fieldname, text)
        if postings.values is None:
            return {}
        format_ = self.searcher.schema[fieldname].format
        fast = type(format_) is PackedPositions and not public_only()
        decode = unpack_positions if fast else format_.decode_positions
        return {
            d: decode(value)
            for d, value in zip(postings.ids, postings.values, strict=True)
            if d in wanted
        }

    def norms(self, fieldname: str, k1: float, b: float, average: float) -> np.ndarray:
        """BM25's length normalisation for every document in a field, worked out once."""
        key = (fieldname, k1, b, average)
        found = self._norms.get(key)
        if found is None:
            norms = [k1 * ((1 - b) + b * n / average) for n in self.lengths(fieldname)]
            found = self._norms[key] = np.array(norms, dtype=np.float64)
        return found

    def lengths(self, fieldname: str) -> list[int]:
        """Every document's length in a field (see columns.field_lengths)."""
        found = self._lengths.get(fieldname)
        if found is None:
            found = self._lengths[fieldname] = columns.field_lengths(self.searcher, fieldname)
        return found

    def _read(self, fieldname: str, text: Any) -> TermPostings:
        if fieldname not in self.searcher.schema:
            return EMPTY
        values = self.searcher.schema[fieldname].format.supports("positions")
        ids: list[int] = []
        weights: list[float] = []
        raw: list[Any] = []
        for subsearcher, offset in self.searcher.leaf_searchers():
            for block in segment_postings(subsearcher.reader(), fieldname, text, values):
                ids += [d + offset for d in block.ids] if offset else block.ids
                weights += block.weights
                if block.values is not None:
                    raw += block.values
        return TermPostings(ids, weights, raw if values else None)
