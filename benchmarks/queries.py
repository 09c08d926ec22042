"""The fixed query set, written for briefing and for the SQLite FTS5 baseline.

Each query asks for what the interface needs: the first page of 20 hits with
highlighted snippets, and facet counts over the whole result set.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    kind: str
    ours: str
    fts: str
    """An FTS5 MATCH expression (porter, unicode61, diacritics removed)."""
    source: str | None = None
    theme: str | None = None
    date_from: str | None = None
    date_to: str | None = None


# fmt: off
QUERIES = [
    Query("term", "Pyongyang", "pyongyang"),
    Query("term", "factory", "factory"),
    Query("term", "construction", "construction"),
    Query("term", "agriculture", "agriculture"),
    Query("term", "sanctions", "sanctions"),
    Query("words", "regional factories counties", "regional factories counties"),
    Query("words", "electricity cement steel", "electricity cement steel"),
    Query("phrase", '"regional development"', '"regional development"'),
    Query("phrase", '"Central Committee"', '"central committee"'),
    Query("phrase", '"joint venture"', '"joint venture"'),
    Query("prefix", "constr*", "constr*"),
    Query("prefix", "agri*", "agri*"),
    Query("boolean", "China OR Chinese", "china OR chinese"),
    Query("boolean", "flood NOT rain", "flood NOT rain"),
    Query("boolean", "Sinuiju AND trade", "sinuiju AND trade"),
    Query("field", "title:factory", "title:factory"),
    Query("field", "title:Pyongyang AND housing", "title:pyongyang AND housing"),
    Query(
        "date",
        "date:[2022-01 to 2022-06] construction",
        "construction",
        date_from="2022-01-01",
        date_to="2022-06-30",
    ),
    Query(
        "date", "date:2023 agriculture", "agriculture", date_from="2023-01-01", date_to="2023-12-31"
    ),
    Query("source", "Kim Jong Un", '"kim jong un"', source="kcna"),
    Query("source", "economy", "economy", source="daily-nk"),
    Query("theme", "housing", "housing", theme="pyongyang-focus"),
    Query("theme", "people", "people", theme="inequality"),
    Query("browse", "", "", theme="china-ventures"),
    Query("misspelt", "Pyongyng constrution", "pyongyng constrution"),
]
# fmt: on
