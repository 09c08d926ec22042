""" "Did you mean": correcting misspelt words of a query that finds little.

The index keeps stems, not words ("factori"), and keeping a second, unstemmed
copy of every text only for suggestions would double the cost of indexing. So
each plain word the index does not know is stemmed, the known stems nearest to
it in spelling are found (one edit before two, same first letter, the most
frequent first), and the winning stem is turned back into a real word by
reading it in a document that contains it.
"""

from __future__ import annotations

from typing import Any

from .analysis import stem_word, text_analyzer
from .lexer import is_plain_word, lexemes

SPELLING_FIELDS = ("body", "title")
LONGEST_CORRECTED = 30
"""Longer words are never corrected (the cost of a fuzzy lookup grows with the word)."""
_ANALYZER = text_analyzer()


def suggest_query(searcher: Any, text: str) -> str | None:
    """`text` with unknown words replaced by their nearest known spelling, or None."""
    reader = searcher.reader()
    changed = False
    parts = []
    previous_kind = ""
    for kind, part in lexemes(text):
        if kind == "word" and previous_kind != "field" and is_plain_word(part):
            replacement = _correct_word(searcher, reader, part)
            if replacement is not None:
                parts.append(replacement)
                changed = True
                previous_kind = kind
                continue
        parts.append(part)
        previous_kind = kind if kind != "space" else previous_kind
    return "".join(parts) if changed else None


def _correct_word(searcher: Any, reader: Any, word: str) -> str | None:
    if len(word) > LONGEST_CORRECTED:
        return None  # no real word is this long, and edit distance over it is slow
    stemmed = stem_word(word)
    if not stemmed or " " in stemmed or not stemmed.isascii() or not stemmed.isalpha():
        return None  # stop words, numbers, several words and non-Latin script are left alone
    if any((field, stemmed) in reader for field in SPELLING_FIELDS):
        return None
    for distance in (1, 2):
        candidates: set[str] = set()
        for field in SPELLING_FIELDS:
            candidates.update(reader.terms_within(field, stemmed, distance, prefix=1))
        candidates.discard(stemmed)
        if candidates:
            best = max(sorted(candidates), key=lambda c: reader.doc_frequency("body", c))
            return _surface_word(searcher, best) or best
    return None


def _surface_word(searcher: Any, stem: str) -> str | None:
    """A word as written that the index stores as `stem`, read from a document that has it."""
    for field in SPELLING_FIELDS:
        matcher = searcher.postings(field, stem) if (field, stem) in searcher.reader() else None
        if matcher is None or not matcher.is_active():
            continue
        text = searcher.stored_fields(matcher.id()).get(field, "")
        for token in _ANALYZER(text, chars=True):
            if token.text == stem:
                return str(text[token.startchar : token.endchar]).lower()
    return None
