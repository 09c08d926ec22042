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
MAX_SPANS = 10_000
"""Matches found in one article at most (the Reader highlights these)."""
SNIPPET_SPANS = 200
"""Matches considered when choosing snippets: the first ones are enough."""
CHUNK_CHARS = 65_536
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
    text: str, stems: Iterable[str], prefixes: Iterable[str] = (), limit: int = MAX_SPANS
) -> list[tuple[int, int]]:
    """(start, end) of the first `limit` words in `text` whose stem is in `stems` or
    that start with a prefix, in order.

    The text is read a chunk at a time and reading stops at `limit`, so the
    cost depends on where the matches are, not on how long the article is.
    """
    stems, prefixes = frozenset(stems), frozenset(prefixes)
    pattern = _pattern(stems, prefixes)
    cjk = [term for term in stems | prefixes if _CJK.search(term)]
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text) and len(spans) < limit:
        end = _chunk_end(text, start)
        spans += _chunk_spans(text[start:end], start, pattern, stems, prefixes, cjk)
        start = end
    return sorted(set(spans))[:limit]


def _chunk_end(text: str, start: int) -> int:
    """Where the chunk from `start` ends: CHUNK_CHARS on, at a space (words stay whole)."""
    end = start + CHUNK_CHARS
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", start + CHUNK_CHARS // 2, end)
    newline = text.rfind("\n", start + CHUNK_CHARS // 2, end)
    cut = max(space, newline)
    return cut + 1 if cut >= 0 else end


def _chunk_spans(
    chunk: str,
    offset: int,
    pattern: re.Pattern[str] | None,
    stems: frozenset[str],
    prefixes: frozenset[str],
    cjk: list[str],
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    folded = chunk.lower().translate(accent_map)
    if len(folded) != len(chunk):  # folding changed offsets: search the text as it is
        folded = chunk.lower()
    if pattern is not None:
        for match in pattern.finditer(folded):
            word = match.group()
            stemmed = stem_word(word)
            if stemmed in stems or any(
                stemmed.startswith(p) or word.startswith(p) for p in prefixes
            ):
                spans.append((offset + match.start(), offset + match.end()))
    for term in cjk:
        at = folded.find(term)
        while at >= 0:
            spans.append((offset + at, offset + at + len(term)))
            at = folded.find(term, at + 1)
    return spans


def spans_of(text: str, terms: QueryTerms, limit: int = MAX_SPANS) -> list[tuple[int, int]]:
    """Where a parsed query's terms occur in `text` (see `match_spans`)."""
    return match_spans(text, terms.stems, terms.prefixes, limit) if terms else []


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
