"""Making selectors for passages and finding them again after the text changes.

A passage is found, in order of preference: at its recorded offsets (the text
there is still the quote), as the same quote elsewhere (the occurrence whose
context best matches the recorded prefix and suffix, then the nearest), or as
a lightly edited quote (the most similar stretch of text near where its
context or its longest surviving fragment now is). What cannot be found is
orphaned, never dropped: the annotation keeps its quote.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from difflib import SequenceMatcher

from ..models import Anchored, Annotation, TextTarget

CONTEXT_CHARS = 32
FUZZY_THRESHOLD = 0.75
"""How similar (difflib ratio) an edited passage must be to its old quote."""
MAX_FUZZY_TEXT = 400_000
"""Longer texts only get exact re-anchoring (fuzzy search is quadratic-ish)."""


def text_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_target(text: str, start: int, end: int) -> TextTarget:
    """A selector for text[start:end], with up to CONTEXT_CHARS of context either side."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"bad passage {start}:{end} in a text of {len(text)} characters")
    return TextTarget(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
        text_hash=text_hash(text),
    )


def anchor(annotation: Annotation, text: str) -> Anchored:
    """Place `annotation` on `text`; a found passage gets a target refreshed for `text`.

    The returned annotation's quote is always what `text` holds at the found span,
    so a lightly edited passage is shown (and later saved) as it now reads.
    """
    target = annotation.target
    if target is None:
        return Anchored(annotation, None, None, "article")
    found = _find(target, text)
    if found is None:
        return Anchored(annotation, None, None, "orphaned")
    start, end, status = found
    if status != "exact" or target.text_hash != text_hash(text):
        refreshed = make_target(text, start, end)
        annotation = _with_target(annotation, refreshed)
    return Anchored(annotation, start, end, status)


def _with_target(annotation: Annotation, target: TextTarget) -> Annotation:
    return replace(annotation, target=target)


def _find(target: TextTarget, text: str) -> tuple[int, int, str] | None:
    exact = target.exact
    if not exact:
        return None
    if text[target.start : target.end] == exact:
        return target.start, target.end, "exact"
    occurrences = _occurrences(text, exact)
    if occurrences:
        best = max(
            occurrences, key=lambda at: (_context_score(target, text, at), -abs(at - target.start))
        )
        return best, best + len(exact), "moved"
    if len(text) > MAX_FUZZY_TEXT:
        return None
    fuzzy = _fuzzy(target, text)
    if fuzzy is None:
        return None
    return fuzzy[0], fuzzy[1], "fuzzy"


def _occurrences(text: str, exact: str) -> list[int]:
    found = []
    at = text.find(exact)
    while at >= 0:
        found.append(at)
        at = text.find(exact, at + 1)
    return found


def _context_score(target: TextTarget, text: str, at: int) -> int:
    """How many characters of the recorded prefix and suffix surround position `at`."""
    before = text[max(0, at - len(target.prefix)) : at]
    after = text[at + len(target.exact) : at + len(target.exact) + len(target.suffix)]
    return _common_suffix(before, target.prefix) + _common_prefix(after, target.suffix)


def _fuzzy(target: TextTarget, text: str) -> tuple[int, int] | None:
    """The stretch of `text` most like the old quote, near the places it may now be."""
    exact = target.exact
    slack = max(16, len(exact) // 2)
    best: tuple[float, int, int] | None = None
    for centre in _candidate_starts(target, text):
        low = max(0, centre - slack)
        window = text[low : min(len(text), centre + len(exact) + slack)]
        blocks = [
            b
            for b in SequenceMatcher(None, exact, window, autojunk=False).get_matching_blocks()
            if b.size
        ]
        if not blocks:
            continue
        first, last = blocks[0], blocks[-1]
        start = low + max(0, first.b - first.a)
        end = low + min(len(window), last.b + last.size + len(exact) - last.a - last.size)
        start, end = _whole_words(text, start, end)
        if end <= start:
            continue
        ratio = SequenceMatcher(None, exact, text[start:end], autojunk=False).ratio()
        if best is None or ratio > best[0]:
            best = (ratio, start, end)
    if best is None or best[0] < FUZZY_THRESHOLD:
        return None
    return best[1], best[2]


def _candidate_starts(target: TextTarget, text: str) -> list[int]:
    """Where the passage may now begin: after its old prefix, before its old suffix,
    where its longest surviving fragment is, and where it used to be."""
    starts: set[int] = set()
    if len(target.prefix) >= 8:
        for at in _occurrences(text, target.prefix):
            starts.add(at + len(target.prefix))
    if len(target.suffix) >= 8:
        for at in _occurrences(text, target.suffix):
            starts.add(max(0, at - len(target.exact)))
    matcher = SequenceMatcher(None, text, target.exact, autojunk=False)
    block = matcher.find_longest_match(0, len(text), 0, len(target.exact))
    if block.size >= min(12, len(target.exact) // 2):
        starts.add(max(0, block.a - block.b))
    starts.add(min(target.start, max(0, len(text) - 1)))
    return sorted(starts, key=lambda at: abs(at - target.start))[:8]


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span cut inside a word to the whole word; drop whitespace at its edges."""
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
