"""The same story in other words: near-duplicates by MinHash/LSH over word shingles.

A wire story republished by another outlet under its own headline, or a
corrected version of an article, is not an exact duplicate (`known` catches
those by URL and normalised text) but shares most of its wording. Each text
is cut into shingles of SHINGLE_WORDS lower-cased words; a MinHash of
NUM_PERM values (datasketch) estimates the Jaccard similarity of two texts'
shingle sets, and an LSH index (`NearIndex`) finds, among every known
article, the candidates likely above CANDIDATE_THRESHOLD without comparing
them all.
Each candidate is then checked on the exact Jaccard similarity of the texts:

- SAME_STORY (0.4) when both texts have at least LONG_TEXT shingles;
- SAME_SHORT_STORY (0.7) when one is shorter: short agency items are built from
  templates ("… delegation arrived in Pyongyang" / "… left Pyongyang") and
  share half their shingles without being one story;
- never below MIN_SHINGLES shingles (a caption, a one-line notice).

The thresholds come from the KCNA archive: its revised versions of one story
(the same link, re-edited text) score 0.41–0.76 when long, while its
different stories score at most 0.32 when long and up to 0.59 when short
(see `tests/unit/test_near_duplicates.py` and the benchmark note in
`benchmarks/RESULTS.md`).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from datasketch import MinHash

SHINGLE_WORDS = 4
NUM_PERM = 64
BANDS, ROWS = 32, 2
SEED = 1
CANDIDATE_THRESHOLD = 0.25
SAME_STORY = 0.4
SAME_SHORT_STORY = 0.7
LONG_TEXT = 150
MIN_SHINGLES = 20
MAX_CANDIDATES = 20
WORD = re.compile(r"\w+")


Shingle = tuple[str, ...]


def shingles(text: str) -> set[Shingle]:
    """The text's shingles: every run of SHINGLE_WORDS words, lower-cased.

    Tuples of words, not joined strings: making a set of them costs a third
    as much, and each shingle is joined only to be hashed into a signature.
    """
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return {tuple(words)} if words else set()
    return set(zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False))  # runs end early


_PERMUTATIONS: Any = None


def signature(found: set[Shingle]) -> np.ndarray:
    """The MinHash values of a shingle set (uint32, NUM_PERM of them), each shingle's
    words joined by spaces and hashed with CRC-32."""
    global _PERMUTATIONS
    if _PERMUTATIONS is None:  # the same for every signature: drawn once
        _PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED).permutations
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32, permutations=_PERMUTATIONS)
    if found:
        minhash.update_batch([" ".join(shingle).encode() for shingle in found])
    return minhash.hashvalues.astype(np.uint32)


def similarity(first: set[Shingle], second: set[Shingle]) -> float:
    """Exact Jaccard similarity of two shingle sets."""
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def same_story(first: set[Shingle], second: set[Shingle]) -> bool:
    """Whether two texts' shingles say they are one story (see the module's thresholds)."""
    smaller = min(len(first), len(second))
    if smaller < MIN_SHINGLES:
        return False
    needed = SAME_STORY if smaller >= LONG_TEXT else SAME_SHORT_STORY
    return similarity(first, second) >= needed


@dataclass(frozen=True)
class Match:
    article_id: str
    similarity: float


class NearIndex:
    """Signatures of known articles, banded for LSH lookups, and the exact check.

    LSH by bands: the NUM_PERM values are cut into BANDS bands of ROWS; two
    texts are candidates when all the values of one band agree, which for
    Jaccard similarity J happens with probability 1 - (1 - J^ROWS)^BANDS
    (0.996 at J = 0.4, 0.73 at 0.2). Each band's hashes are kept sorted
    (numpy), so a lookup is BANDS binary searches: datasketch's MinHashLSH
    takes 14 s to index 100,000 signatures, which every import would pay;
    sorting them takes 0.2 s. Candidates are ranked by the estimate from their
    signatures, and only those above CANDIDATE_THRESHOLD are read (`text_of`)
    for the exact check.
    """

    def __init__(self, text_of: Callable[[str], str | None]) -> None:
        self._text_of = text_of
        self._ids: list[str] = []
        self._rows: list[np.ndarray] = []
        self._known: set[str] = set()
        self._sorted: list[tuple[np.ndarray, np.ndarray]] | None = None
        self._matrix: np.ndarray | None = None
        self._recent: dict[tuple[int, int], list[int]] = {}
        """Band hashes of signatures added since the bands were sorted."""

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, article_id: str, values: np.ndarray) -> None:
        if article_id in self._known:
            return
        self._known.add(article_id)
        row = len(self._ids)
        self._ids.append(article_id)
        self._rows.append(values.astype(np.uint32))
        if self._sorted is not None:
            for band, key in enumerate(_band_keys(values[None, :])[0]):
                self._recent.setdefault((band, int(key)), []).append(row)

    def find(self, text: str, values: np.ndarray | None = None) -> Match | None:
        """The known article most like `text`, when it is the same story."""
        found = shingles(text)
        if len(found) < MIN_SHINGLES or not self._ids:
            return None
        values = signature(found) if values is None else values
        rows = self._candidates(values)
        if not rows:
            return None
        chosen = list(rows)  # only the candidates' rows: stacking them all is O(known)
        estimates = (np.vstack([self._rows[row] for row in chosen]) == values).mean(axis=1)
        order = np.argsort(-estimates)[:MAX_CANDIDATES]
        for position in order:
            if estimates[position] < CANDIDATE_THRESHOLD:
                break
            candidate = self._ids[chosen[int(position)]]
            other = self._text_of(candidate)
            if other is None:
                continue
            theirs = shingles(other)
            if same_story(found, theirs):
                return Match(candidate, round(similarity(found, theirs), 3))
        return None

    def _all_rows(self) -> np.ndarray:
        if self._matrix is None or len(self._matrix) != len(self._rows):
            self._matrix = np.vstack(self._rows)
        return self._matrix

    def _candidates(self, values: np.ndarray) -> set[int]:
        if self._sorted is None:
            keys = _band_keys(self._all_rows())
            order = np.argsort(keys, axis=0, kind="stable")
            self._sorted = [(keys[order[:, b], b], order[:, b]) for b in range(BANDS)]
            self._recent = {}
        rows: set[int] = set()
        for band, key in enumerate(_band_keys(values[None, :])[0]):
            column, order = self._sorted[band]
            low, high = np.searchsorted(column, key, "left"), np.searchsorted(column, key, "right")
            rows.update(order[low:high].tolist())
            rows.update(self._recent.get((band, int(key)), ()))
        return rows


def _band_keys(matrix: np.ndarray) -> np.ndarray:
    """One 64-bit key per band of each signature (rows × BANDS)."""
    bands = matrix.astype(np.uint64).reshape(len(matrix), BANDS, ROWS)
    keys = np.zeros((len(matrix), BANDS), dtype=np.uint64)
    for row in range(ROWS):
        keys = keys * np.uint64(0x9E3779B97F4A7C15) + bands[:, :, row]  # wraps: a mix
    return keys
