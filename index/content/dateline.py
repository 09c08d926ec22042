"""Wire datelines: where and when a report was filed, not what it is about.

An agency report opens with a dateline — "Pyongyang, September 21 (KCNA) --",
"SEOUL, Sept. 21 (Reuters) -", "BEIJING, Jan 5 (Xinhua) —", "WASHINGTON (AP) —",
"Seoul, March 3 (Yonhap) --": a place (a city, optionally ", Country"), an
optional month and day, the agency in parentheses, and a dash (--, -, – or
—). Only a dateline at the very start of the text counts.

A dateline is kept and shown, and indexed in its own field (`dateline:`),
but its words are not indexed as the body's: a place named only in the
dateline is not a place the article is about, and does not make it match a
theme or a search for that place.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_PLACE = r"[A-Z][A-Za-z'’.\-]*(?: [A-Z][A-Za-z'’.\-]*){0,3}"
_DATELINE = re.compile(
    rf"""\A\s*
    (?P<place>{_PLACE})(?:,\ (?:{_PLACE}))?         # Pyongyang | Washington, D.C.
    (?:,\ (?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?
        \ (?P<day>\d{{1,2}}))?                        # , September 21
    ,?\ \((?P<agency>[A-Za-z][\w .&'-]{{0,30}})\)     # (KCNA)
    \ ?(?:--|—|–|-)\ ?                                # --
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Dateline:
    """A dateline at the start of a text: `text[:end]` is the dateline itself."""

    place: str
    agency: str
    month: int | None
    day: int | None
    end: int

    @property
    def text(self) -> str:
        month = f" {dt.date(2000, self.month, 1):%B} {self.day}" if self.month and self.day else ""
        return f"{self.place}{',' if month else ''}{month} ({self.agency})"

    def date_before(self, day: dt.date) -> dt.date | None:
        """The dateline's date in the year that puts it on or before `day` (a feed of news)."""
        if not (self.month and self.day):
            return None
        for year in (day.year, day.year - 1):
            try:
                candidate = dt.date(year, self.month, self.day)
            except ValueError:
                continue
            if candidate <= day:
                return candidate
        return None


def find_dateline(text: str) -> Dateline | None:
    """The dateline the text opens with, if it opens with one."""
    match = _DATELINE.match(text[:200])
    if match is None:
        return None
    month = match.group("month")
    return Dateline(
        place=match.group("place").strip().title()
        if match.group("place").isupper()
        else match.group("place").strip(),
        agency=match.group("agency").strip(),
        month=MONTHS[month.lower()] if month else None,
        day=int(match.group("day")) if match.group("day") else None,
        end=match.end(),
    )
