""" "Did you mean": correcting misspelt words of a query that finds little.

The index keeps stems, not words ("factori"), and keeping a second, unstemmed
copy of every text only for suggestions would double the cost of indexing. So
each plain word the index does not know is first edited as typed — every
letter dropped, added, swapped with its neighbour or replaced, the typing
mistakes people make — and each edit that stems to a known stem is a
candidate, the commonest winning and kept as written ("rehabilitaion" →
"rehabilitation", "revolutoin" → "revolution"): editing the stem alone misses
these, as the misspelt word keeps its suffix. Failing that, the known stems
nearest to its stem in spelling are found (one edit before two, same first
letter, the most frequent first), and the winning stem is turned back into a
real word by reading it in a document that contains it. A word the index knows from only
a document or two (a typo in an archive) is corrected too, when a word one
edit away is far commoner. The engine offers a correction only when it finds
clearly more (see `search.SUGGEST_MARGIN`).
"""

from __future__ import annotations

from typing import Any

from .analysis import stem_word, text_analyzer
from .lexer import is_plain_word, lexemes

SPELLING_FIELDS = ("body", "title")
LONGEST_CORRECTED = 30
"""Longer words are never corrected (the cost of a fuzzy lookup grows with the word)."""
SURFACE_DOCUMENTS = 5
RARE = 2
"""A word in this few documents may be a misspelling (archives have typos too)."""
COMMONER = 10
"""…when a word one edit away is in this many times as many documents."""
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
    known = sum(reader.doc_frequency(field, stemmed) for field in SPELLING_FIELDS)
    if known > RARE:
        return None
    if known:  # a rare word: corrected only to a word one edit away that is far commoner
        near: set[str] = set()
        for field in SPELLING_FIELDS:
            near.update(reader.terms_within(field, stemmed, 1, prefix=1))
        near.discard(stemmed)
        common = [c for c in near if reader.doc_frequency("body", c) >= COMMONER * known]
        if not common:
            return None
        best = max(sorted(common), key=lambda c: reader.doc_frequency("body", c))
        return _surface_word(searcher, best) or best
    edited = _best_edit(searcher, reader, word.lower())
    if edited is not None:
        return edited
    for distance in (1, 2):
        candidates: set[str] = set()
        for field in SPELLING_FIELDS:
            candidates.update(reader.terms_within(field, stemmed, distance, prefix=1))
        candidates.discard(stemmed)
        if candidates:
            best = max(sorted(candidates), key=lambda c: reader.doc_frequency("body", c))
            return _surface_word(searcher, best) or best
    return None


LETTERS = "abcdefghijklmnopqrstuvwxyz"
LONGEST_EDITED = 20
"""Longer words are not edited letter by letter (each letter makes 54 candidates)."""


def _edits(word: str) -> set[str]:
    """Every word one typing mistake away: a letter dropped, added, swapped or replaced."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    dropped = {a + b[1:] for a, b in splits if b}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaced = {a + c + b[1:] for a, b in splits if b for c in LETTERS if c != b[0]}
    added = {a + c + b for a, b in splits for c in LETTERS}
    return (dropped | swapped | replaced | added) - {word}


CHECKED_EDITS = 8
"""Candidates, commonest first, read in documents to see that they are written so."""


def _best_edit(searcher: Any, reader: Any, word: str) -> str | None:
    """The commonest word one typing mistake from `word` that the index's texts contain.

    An edit whose stem is known is a candidate; as many non-words share a stem
    with common words ("overment" stems as "over"), the commonest candidates are
    then looked for as written in documents with their stem.
    """
    if len(word) > LONGEST_EDITED or not word.isascii() or not word.isalpha():
        return None
    scored: list[tuple[int, str, str]] = []
    for candidate in _edits(word):
        stem = stem_word(candidate)
        if not stem or " " in stem:
            continue
        frequency = reader.doc_frequency("body", stem) + reader.doc_frequency("title", stem)
        if frequency > RARE:
            scored.append((frequency, candidate, stem))
    scored.sort(key=lambda item: (-item[0], item[1]))
    for _frequency, candidate, stem in scored[:CHECKED_EDITS]:
        if candidate in _surface_forms(searcher, stem):
            return candidate
    return None


def _surface_word(searcher: Any, stem: str) -> str | None:
    """A word as written that the index stores as `stem`, read from documents that have it.

    The plainest form seen in the first few documents wins: without an
    apostrophe ("un", not "un’s"), then the shortest.
    """
    forms = _surface_forms(searcher, stem)
    return min(forms, key=lambda form: (not form.isalnum(), len(form), form)) if forms else None


def _surface_forms(searcher: Any, stem: str) -> set[str]:
    """The words written in the first few documents that the index stores as `stem`."""
    forms: set[str] = set()
    for field in SPELLING_FIELDS:
        matcher = searcher.postings(field, stem) if (field, stem) in searcher.reader() else None
        read = 0
        while matcher is not None and matcher.is_active() and read < SURFACE_DOCUMENTS:
            text = searcher.stored_fields(matcher.id()).get(field, "")
            forms.update(
                str(text[token.startchar : token.endchar]).lower()
                for token in _ANALYZER(text, chars=True)
                if token.text == stem
            )
            read += 1
            matcher.next()
        if forms:
            break
    return forms
