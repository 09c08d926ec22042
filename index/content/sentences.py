"""Sentence boundaries in an article's plain text, for the reader's sentence cursor.

A sentence ends at . ! ? (with any closing quotes or brackets) followed by
space and a capital, a digit or an opening quote — except after common
abbreviations (Jan., Mr., U.S.) and single initials. Sentences never cross
block boundaries, and CJK full stops (。！？) end sentences too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .body import Document

_END = re.compile(r"""[.!?。！？]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9\u3131-\ud7a3]|\s*$)|[。！？]""")
_ABBREVIATIONS = frozenset(
    (
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "vs",
        "etc",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "gov",
        "sen",
        "rep",
        "prof",
        "inc",
        "corp",
        "co",
        "ltd",
        "jr",
        "sr",
        "u.s",
        "u.n",
        "u.k",
        "e.g",
        "i.e",
    )
)


@lru_cache(maxsize=64)
def sentence_spans(document: Document) -> tuple[tuple[int, int], ...]:
    """(start, end) offsets of every sentence in the document's plain text, in order."""
    spans: list[tuple[int, int]] = []
    for block in document.blocks:
        text = block.text
        start = 0
        for match in _END.finditer(text):
            end = match.end()
            if _is_abbreviation(text, match.start()):
                continue
            _add(spans, text, block.start, start, end)
            start = end
        _add(spans, text, block.start, start, len(text))
    return tuple(spans)


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = re.search(r"([\w.]+)$", text[:dot])
    if word is None:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _add(spans: list[tuple[int, int]], text: str, offset: int, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    spans.append((offset + start + lead, offset + start + lead + len(stripped)))
