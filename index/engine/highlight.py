"""Finding a query's words in an article's text, fast, and choosing snippets around them.

A parsed query gives the words, prefixes and phrases it looks for in prose
(`query_terms`); those are what a result's snippets and the open article highlight.

Re-analysing every word of a text to find matches costs a millisecond per
article; storing character offsets in the index makes every build slower. So
a regular expression (run in C) first finds the words that *could* match —
words starting like one of the query's stems — and only those few are stemmed
to confirm. CJK bigram terms are found as literal substrings.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from whoosh import query as wq
from whoosh.analysis import STOP_WORDS
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
PROSE_FIELDS = frozenset({"title", "summary", "body", "context", "notes"})
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


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


@lru_cache(maxsize=256)
def _pattern(stems: frozenset[str], prefixes: frozenset[str]) -> re.Pattern[str] | None:
    """Where a word that could be one of `stems` (or start with a prefix) may begin."""
    starts = {stem[:-1] if len(stem) > 3 else stem for stem in stems if not _CJK.search(stem)}
    starts |= {p for p in prefixes if not _CJK.search(p)}
    if not starts:
        return None
    alternatives = "|".join(re.escape(s) for s in sorted(starts, key=len, reverse=True))
    return re.compile(alternatives)


_WORD_REST = re.compile(r"[\w'’]*")
Match = tuple[int, int, str]
"""(start, end, stem) of one word of a text that a query term matched."""


def match_spans(
    text: str, stems: Iterable[str], prefixes: Iterable[str] = (), limit: int = MAX_SPANS
) -> list[tuple[int, int]]:
    """(start, end) of the first `limit` words in `text` whose stem is in `stems` or
    that start with a prefix, in order.

    The text is read a chunk at a time and reading stops at `limit`, so the
    cost depends on where the matches are, not on how long the article is.
    """
    return [(s, e) for s, e, _stem in _matches(text, frozenset(stems), frozenset(prefixes), limit)]


def spans_of(text: str, terms: QueryTerms, limit: int = MAX_SPANS) -> list[tuple[int, int]]:
    """Where a parsed query's terms occur in `text`: each word, prefix, and whole phrase.

    A phrase is one span from its first word to its last ("planned city that
    rose" is one match, not four), and its words count only there. A Korean
    word searched as bigrams is one span too.
    """
    if not terms:
        return []
    words = set(terms.stems)
    latin_phrases = [p for p in terms.phrases if not any(_CJK.search(w) for w in p)]
    for phrase in latin_phrases:
        words.update(phrase)
    found = _matches(text, frozenset(words), frozenset(terms.prefixes), limit * 4)
    prefixes = terms.prefixes
    spans = {
        (start, end)
        for start, end, stem in found
        if stem in terms.stems or any(stem.startswith(p) for p in prefixes)
    }
    for phrase in latin_phrases:
        spans.update(_phrase_spans(text, found, phrase))
    folded = text.lower()
    for phrase in terms.phrases:
        if phrase not in latin_phrases:  # CJK bigrams: the word they spell, found whole
            spelled = phrase[0] + "".join(bigram[-1] for bigram in phrase[1:])
            spans.update(_occurrences(folded, spelled, limit))
    return _without_inner(sorted(spans))[:limit]


def _matches(text: str, stems: frozenset[str], prefixes: frozenset[str], limit: int) -> list[Match]:
    pattern = _pattern(stems, prefixes)
    cjk = [term for term in stems | prefixes if _CJK.search(term)]
    found: list[Match] = []
    start = 0
    while start < len(text) and len(found) < limit:
        end = _chunk_end(text, start)
        found += _chunk_matches(text[start:end], start, pattern, stems, prefixes, cjk)
        start = end
    return sorted(set(found))[:limit]


def _chunk_end(text: str, start: int) -> int:
    """Where the chunk from `start` ends: CHUNK_CHARS on, at a space (words stay whole)."""
    end = start + CHUNK_CHARS
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", start + CHUNK_CHARS // 2, end)
    newline = text.rfind("\n", start + CHUNK_CHARS // 2, end)
    cut = max(space, newline)
    return cut + 1 if cut >= 0 else end


def _chunk_matches(
    chunk: str,
    offset: int,
    pattern: re.Pattern[str] | None,
    stems: frozenset[str],
    prefixes: frozenset[str],
    cjk: list[str],
) -> list[Match]:
    found: list[Match] = []
    folded = chunk.lower().translate(accent_map)
    if len(folded) != len(chunk):  # folding changed offsets: search the text as it is
        folded = chunk.lower()
    if pattern is not None:
        for match in pattern.finditer(folded):
            start = match.start()
            if start and folded[start - 1].isalnum() and not _camel(chunk, start):
                continue  # inside a word, not where one begins (or a glued part begins)
            end = _WORD_REST.match(folded, match.end()).end()  # type: ignore[union-attr]
            end = next((i for i in range(start + 1, end) if _camel(chunk, i)), end)
            word = folded[start:end]
            stemmed = stem_word(word)
            if stemmed in stems or any(
                stemmed.startswith(p) or word.startswith(p) for p in prefixes
            ):
                found.append((offset + start, offset + end, stemmed))
    for term in cjk:
        found += [(offset + s, offset + e, term) for s, e in _occurrences(folded, term, 10**9)]
    return found


def _camel(text: str, at: int) -> bool:
    """A glued word's part starts at `at` (a change from lower to upper case)."""
    return text[at - 1].islower() and text[at].isupper()


def _occurrences(text: str, term: str, limit: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    at = text.find(term)
    while at >= 0 and len(spans) < limit:
        spans.append((at, at + len(term)))
        at = text.find(term, at + 1)
    return spans


def _phrase_spans(text: str, found: list[Match], phrase: tuple[str, ...]) -> list[tuple[int, int]]:
    """Runs of matched words spelling `phrase`, with nothing between them but stop words."""
    spans = []
    for first in range(len(found) - len(phrase) + 1):
        run = found[first : first + len(phrase)]
        if all(m[2] == word for m, word in zip(run, phrase, strict=True)) and all(
            _only_stop_words(text[a[1] : b[0]]) for a, b in itertools.pairwise(run)
        ):
            spans.append((run[0][0], run[-1][1]))
    return spans


def _only_stop_words(between: str) -> bool:
    return all(word.lower() in STOP_WORDS for word in re.findall(r"\w+", between))


def _without_inner(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, dropping any inside an earlier one (a word inside its phrase)."""
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if kept and start < kept[-1][1]:
            if end > kept[-1][1]:
                kept[-1] = (kept[-1][0], end)
            continue
        kept.append((start, end))
    return kept


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
