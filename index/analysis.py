"""Text analysis for the index: how text becomes searchable terms.

English words are lower-cased, stripped of accents and stemmed, so "factories"
finds "factory" and "Sinŭiju" finds "Sinuiju". Apostrophes inside a word are
dropped (P'yŏngyang → pyongyang) and hyphens split words (Kim Jong-un → kim jong
un), which makes the common romanisations of a name meet. Han, kana and Hangul
runs become overlapping character bigrams, the standard way to search
unsegmented CJK text: 평양에서 is indexed as 평양 양에 에서, so 평양 finds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import (
    STOP_WORDS,
    CharsetFilter,
    LowercaseFilter,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.support.charset import accent_map

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_APOSTROPHES = "'’ʼ‘`"
_WORDS = re.compile(
    rf"(?P<cjk>[{_CJK}]+)"
    rf"|(?P<word>[^\W_{_CJK}]+(?:[{_APOSTROPHES}][^\W_{_CJK}]+)*)"
)
_APOSTROPHE = re.compile(f"[{_APOSTROPHES}]")


class PieceTokenizer(Tokenizer):
    """Base for tokenizers defined by `pieces()`: (text, start, end) for each token.

    Implements Whoosh's tokenizer protocol (positions, character offsets,
    untokenized values) once for all of ours.
    """

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def pieces(self, value: str) -> Iterator[tuple[str, int, int]]:
        raise NotImplementedError

    def whole(self, value: str) -> Iterator[tuple[str, int, int]]:
        """The token for a value Whoosh asks not to split (a prefix or wildcard term)."""
        yield value, 0, len(value)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pieces = self.pieces(value) if tokenize else self.whole(value)
        for pos, (text, start, end) in enumerate(pieces, start_pos):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


class WordAndBigramTokenizer(PieceTokenizer):
    """Words for alphabetic text, overlapping bigrams for CJK runs."""

    def pieces(self, value: str) -> Iterator[tuple[str, int, int]]:
        return _pieces(value)


def _pieces(value: str) -> Iterator[tuple[str, int, int]]:
    for match in _WORDS.finditer(value):
        if match.lastgroup == "word":
            yield _APOSTROPHE.sub("", match.group()), match.start(), match.end()
            continue
        run, offset = match.group(), match.start()
        if len(run) == 1:
            yield run, offset, offset + 1
        for i in range(len(run) - 1):
            yield run[i : i + 2], offset + i, offset + i + 2


def text_analyzer() -> Any:
    """For prose fields: words and bigrams, lower case, no accents, no stop words, stemmed."""
    return (
        WordAndBigramTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | StemFilter(cachesize=50000)
    )


def folding_analyzer() -> Any:
    """Words and bigrams, lower case, no accents: to compare names as the index sees them."""
    return WordAndBigramTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def normalise_name(name: str) -> str:
    """A name as keyword fields store it: lower case, no accents, single spaces."""
    return " ".join(token.text for token in _FOLDING(name))


_FOLDING = folding_analyzer()
