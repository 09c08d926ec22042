""" "Did you mean": correcting misspelt words of a query that finds little.

Whoosh's own query corrector works on analysed (stemmed) terms and so suggests
stems such as "factori". Instead each plain word the index does not know is
replaced by the known word nearest to it in spelling (one edit before two),
the most frequent when several are as near. Words come from the title and body
spelling lists, which hold words as written, so suggestions are real words.
"""

from __future__ import annotations

from typing import Any

from .analysis import normalise_name, text_analyzer
from .lexer import is_plain_word, lexemes

SPELLING_FIELDS = ("title", "body")
_ANALYZER = text_analyzer()


def suggest_query(reader: Any, text: str) -> str | None:
    """`text` with unknown words replaced by their nearest known spelling, or None."""
    changed = False
    parts = []
    previous_kind = ""
    for kind, part in lexemes(text):
        if kind == "word" and previous_kind != "field" and is_plain_word(part):
            replacement = _correct_word(reader, part)
            if replacement is not None:
                parts.append(replacement)
                changed = True
                previous_kind = kind
                continue
        parts.append(part)
        previous_kind = kind if kind != "space" else previous_kind
    return "".join(parts) if changed else None


def _correct_word(reader: Any, word: str) -> str | None:
    terms = [token.text for token in _ANALYZER(word, mode="query")]
    if not terms or any(not term.isascii() or not term.isalpha() for term in terms):
        return None  # stop words, numbers and non-Latin script are left alone
    if all(any((field, term) in reader for field in SPELLING_FIELDS) for term in terms):
        return None
    folded = normalise_name(word).replace(" ", "")
    for distance in (1, 2):
        candidates: set[str] = set()
        for field in SPELLING_FIELDS:
            spelling_field = f"spell_{field}"
            if spelling_field in reader.schema:
                candidates.update(reader.terms_within(spelling_field, folded, distance))
        candidates.discard(folded)
        if candidates:
            return max(sorted(candidates), key=lambda candidate: _frequency(reader, candidate))
    return None


def _frequency(reader: Any, word: str) -> int:
    stems = [token.text for token in _ANALYZER(word, mode="query")]
    return sum(reader.doc_frequency(field, stem) for field in SPELLING_FIELDS for stem in stems)
