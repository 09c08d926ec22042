"""Text analysis for the index: how text becomes searchable terms.

English words are lower-cased, stripped of accents and stemmed, so "factories"
finds "factory" and "Sinŭiju" finds "Sinuiju". Apostrophes inside a word are
dropped (P'yŏngyang → pyongyang) and hyphens split words (Kim Jong-un → kim jong
un), which makes the common romanisations of a name meet. Han, kana and Hangul
runs become overlapping character bigrams, the standard way to search
unsegmented CJK text: 평양에서 is indexed as 평양 양에 에서, so 평양 finds it.

Speed matters here (every word of every article passes through), so folding
and stop words happen inside the tokenizer and both folding and stemming are
memoised per distinct word, instead of a chain of per-token filters.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.analysis import STOP_WORDS, Filter, Token, Tokenizer
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

from ..content.dateline import find_dateline

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_APOSTROPHES = "'’ʼ‘`"
_WORDS = re.compile(
    rf"(?P<cjk>[{_CJK}]+)"
    rf"|(?P<word>[^\W_{_CJK}]+(?:[{_APOSTROPHES}][^\W_{_CJK}]+)*)"
)
_APOSTROPHE = re.compile(f"[{_APOSTROPHES}]")
_CAMEL = re.compile(r"[a-z](?=[A-Z])")
MEMO_LIMIT = 200_000
"""Distinct words remembered before a memo starts afresh (bounds memory)."""


Piece = tuple[str | None, int, int, int]
"""(text, start, end, gap) of one token; see PieceTokenizer."""
SAME_POSITION = -1
POSITION_GAP = 100
"""Positions left between two values of a field (or two paragraphs), so no phrase spans them."""


class PieceTokenizer(Tokenizer):
    """Base for tokenizers defined by `pieces()`: (text, start, end, gap) for each token.

    Implements Whoosh's tokenizer protocol (positions, character offsets,
    untokenized values) once for all of ours. A piece whose text is None is a
    stop word: dropped (positions close up) unless the caller keeps stop words.
    `gap` is the number of positions to leave free before the token (0 for the
    next one), or SAME_POSITION to put it where the previous token is (the
    parts of a word indexed as well as the word).
    """

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def pieces(self, value: str, indexing: bool = False) -> Iterator[Piece]:
        raise NotImplementedError

    def whole(self, value: str) -> Iterator[Piece]:
        """The token for a value Whoosh asks not to split (a prefix or wildcard term)."""
        yield value, 0, len(value), 0

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
        pieces = self.pieces(value, mode == "index") if tokenize else self.whole(value)
        next_pos = start_pos
        last_pos = start_pos
        pending = 0
        for text, start, end, gap in pieces:
            stopped = text is None
            if stopped and removestops:
                pending = max(pending, gap)
                continue
            if gap == SAME_POSITION:
                pos = last_pos
            else:
                pos = next_pos + max(gap, pending)
                next_pos = pos + 1
                pending = 0
            last_pos = pos
            token.text = value[start:end].lower() if text is None else text
            token.boost = 1.0
            token.stopped = stopped
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


class WordAndBigramTokenizer(PieceTokenizer):
    """Words (lower case, accents folded) for alphabetic text, overlapping bigrams for CJK.

    With `stops`, those words come out as stop words (see PieceTokenizer). A
    blank line (between paragraphs, or between the values joined into one
    field) leaves POSITION_GAP positions free, so no phrase spans it. A word
    glued at a change from lower to upper case ("ComradeKim", as scraped
    archives have them) is indexed whole and as its parts ("comrade", "kim").
    """

    def __init__(self, stops: Iterable[str] = ()) -> None:
        self.stops = frozenset(stops)
        self._memo: dict[str, str | None] = {}

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.stops == getattr(other, "stops", None)

    def __hash__(self) -> int:
        return hash((type(self), self.stops))

    def __getstate__(self) -> dict[str, Any]:
        return {"stops": self.stops}  # the memo is a cache: never pickled into the index

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["stops"])  # type: ignore[misc]

    def _fold(self, raw: str) -> str | None:
        memo = self._memo
        folded = memo.get(raw, "")
        if folded == "":
            folded = _APOSTROPHE.sub("", raw).lower().translate(accent_map)
            folded = None if folded in self.stops else folded
            memo[raw] = folded
        return folded

    def pieces(self, value: str, indexing: bool = False) -> Iterator[Piece]:
        if len(self._memo) > MEMO_LIMIT:
            self._memo.clear()
        return self._pieces(value, 0, len(value))

    def _pieces(self, value: str, begin: int, stop: int) -> Iterator[Piece]:
        paragraphs = "\n\n" in value
        previous_end = begin
        for match in _WORDS.finditer(value, begin, stop):
            gap = (
                POSITION_GAP if paragraphs and "\n\n" in value[previous_end : match.start()] else 0
            )
            previous_end = match.end()
            if match.lastgroup == "word":
                raw = match.group()
                yield self._fold(raw), match.start(), match.end(), gap
                if _CAMEL.search(raw):
                    yield from self._parts(raw, match.start())
                continue
            run, offset = match.group(), match.start()
            if len(run) == 1:
                yield run, offset, offset + 1, gap
            for i in range(len(run) - 1):
                yield run[i : i + 2], offset + i, offset + i + 2, gap if i == 0 else 0

    def _parts(self, raw: str, offset: int) -> Iterator[Piece]:
        """The parts of a word glued at lower-to-upper case changes, from its own position."""
        cuts = [0, *(m.start() + 1 for m in _CAMEL.finditer(raw)), len(raw)]
        for number, (start, end) in enumerate(itertools.pairwise(cuts)):
            part = raw[start:end]
            yield (
                self._fold(part),
                offset + start,
                offset + end,
                SAME_POSITION if number == 0 else 0,
            )

    def whole(self, value: str) -> Iterator[Piece]:
        yield value.lower().translate(accent_map), 0, len(value), 0


class BodyTokenizer(WordAndBigramTokenizer):
    """An article's body: as prose, but a wire dateline it opens with is not indexed."""

    def pieces(self, value: str, indexing: bool = False) -> Iterator[Piece]:
        if len(self._memo) > MEMO_LIMIT:
            self._memo.clear()
        dateline = find_dateline(value) if indexing else None
        return self._pieces(value, dateline.end if dateline else 0, len(value))


class MemoStemFilter(Filter):
    """Porter stemming, remembered per word (Whoosh's own cache costs more than the stem)."""

    is_morph = True

    def __init__(self) -> None:
        self._memo: dict[str, str] = {}

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        memo = self._memo
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        for token in tokens:
            if not token.stopped:
                text = token.text
                stemmed = memo.get(text)
                if stemmed is None:
                    stemmed = memo[text] = stem(text)
                token.text = stemmed
            yield token


def text_analyzer() -> Any:
    """For prose fields: words and bigrams, lower case, no accents, no stop words, stemmed."""
    return WordAndBigramTokenizer(STOP_WORDS) | MemoStemFilter()


def body_analyzer() -> Any:
    """For article bodies: as `text_analyzer`, without their opening dateline."""
    return BodyTokenizer(STOP_WORDS) | MemoStemFilter()


def folding_analyzer() -> Any:
    """Words and bigrams, lower case, no accents: to compare names as the index sees them."""
    return WordAndBigramTokenizer()


def normalise_name(name: str) -> str:
    """A name as keyword fields store it: lower case, no accents, single spaces."""
    return " ".join(token.text for token in _FOLDING(name))


def stem_word(word: str) -> str:
    """A single word as the prose fields index it (empty for a stop word)."""
    return " ".join(token.text for token in _PROSE(word))


_FOLDING = folding_analyzer()
_PROSE = text_analyzer()
