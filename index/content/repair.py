"""Repairing what scraped archives break: names glued to the words beside them.

Archives scraped from web pages lose the spaces around markup: KCNA's set the
leader's name in bold, and the scraped text reads "the respected ComradeKim
Jong Unsent" and "atKim Il SungSquare". Every known name of two words or more
(the people, places and organisations of the briefing's `variants.yaml`, the
gazetteer and the enrichment rules) that touches a letter on either side gets
a space there: "Comrade Kim Jong Un sent", "at Kim Il Sung Square". Single
words are left alone ("Unsan" must not become "Unsan itary"); a lower-to-upper
change inside a word ("inPyongyang") is indexed as its parts instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


class NameRepair:
    """Separates known multi-word names from letters glued to them."""

    def __init__(self, names: Iterable[str]) -> None:
        multiword = sorted(
            {" ".join(name.split()) for name in names if len(name.split()) >= 2 and name.isascii()},
            key=len,
            reverse=True,
        )
        self._pattern = _pattern(tuple(multiword)) if multiword else None

    def repair(self, text: str) -> str:
        """`text` with a space between each known name and a letter glued to it."""
        if self._pattern is None:
            return text
        return self._pattern.sub(_spaced, text)


def _spaced(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    before = " " if start > 0 and text[start - 1].isalpha() else ""
    after = " " if end < len(text) and text[end].isalpha() else ""
    return f"{before}{match.group()}{after}"


@lru_cache(maxsize=8)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(name).replace(r"\ ", r" +") for name in names)
    return re.compile(alternatives)
