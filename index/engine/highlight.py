"""Finding a query's words in an article's text, fast, and choosing snippets around them.

Re-analysing every word of a text to find matches costs a millisecond per
article; storing character offsets in the index makes every build slower. So
a regular expression (run in C) first finds the words that *could* match —
words starting like one of the query's stems — and only those few are stemmed
to confirm. CJK bigram terms are found as literal substrings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from whoosh.support.charset import accent_map

from ..models import QueryTerms, Snippet
from .analysis import stem_word

SNIPPET_CHARS = 220
LEAD_CHARS = 200
WORD_REACH = 24
"""How far a snippet edge may move to reach a word boundary (unspaced scripts have none)."""
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@lru_cache(maxsize=256)
def _pattern(stems: frozenset[str], prefixes: frozenset[str]) -> re.Pattern[str] | None:
    starts = {stem[:-1] if len(stem) > 3 else stem for stem in stems if not _CJK.search(stem)}
    starts |= {p for p in prefixes if not _CJK.search(p)}
    if not starts:
        return None
    alternatives = "|".join(re.escape(s) for s in sorted(starts, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})[\w'’]*")


def match_spans(
    text: str, stems: Iterable[str], prefixes: Iterable[str] = ()
) -> list[tuple[int, int]]:
    """(start, end) of every word in `text` whose stem is in `stems` or starts a prefix."""
    stems, prefixes = frozenset(stems), frozenset(prefixes)
    spans: list[tuple[int, int]] = []
    folded = text.lower().translate(accent_map)
    if len(folded) != len(text):  # folding changed offsets: search the text as it is
        folded = text.lower()
    pattern = _pattern(stems, prefixes)
    if pattern is not None:
        for match in pattern.finditer(folded):
            word = match.group()
            stemmed = stem_word(word)
            if stemmed in stems or any(
                stemmed.startswith(p) or word.startswith(p) for p in prefixes
            ):
                spans.append((match.start(), match.end()))
    for term in stems | prefixes:
        if _CJK.search(term):
            at = folded.find(term)
            while at >= 0:
                spans.append((at, at + len(term)))
                at = folded.find(term, at + 1)
    return sorted(set(spans))


def spans_of(text: str, terms: QueryTerms) -> list[tuple[int, int]]:
    """Where a parsed query's terms occur in `text` (see `match_spans`)."""
    return match_spans(text, terms.stems, terms.prefixes) if terms else []


def snippets(text: str, spans: list[tuple[int, int]], count: int = 2) -> list[Snippet]:
    """Up to `count` windows of the text holding the most matches (best first)."""
    if not spans:
        return [lead(text)] if text else []
    windows = []
    for index, (start, _end) in enumerate(spans):
        window_start = max(0, start - SNIPPET_CHARS // 3)
        window_end = window_start + SNIPPET_CHARS
        inside = [s for s in spans[index:] if s[1] <= window_end]
        distinct = {text[s:e].lower() for s, e in inside}
        windows.append((len(distinct) * 10 + len(inside), -window_start, window_start, window_end))
    windows.sort(reverse=True)
    chosen: list[tuple[int, int]] = []
    for _score, _order, start, end in windows:
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
        if len(chosen) == count:
            break
    return [_snippet(text, start, end, spans) for start, end in chosen]


def _snippet(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> Snippet:
    start, end = _word_start(text, start), _word_end(text, min(end, len(text)))
    matches = tuple((s - start, e - start) for s, e in spans if start <= s and e <= end)
    return Snippet(text[start:end].replace("\n", " "), start, matches)


def lead(text: str) -> Snippet:
    """The opening of the text, for a hit that matched elsewhere (its title, its notes)."""
    end = _word_end(text, min(len(text), LEAD_CHARS))
    return Snippet(text[:end].replace("\n", " "), 0, ())


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
