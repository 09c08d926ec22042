"""The SQLite FTS5 baseline: the same documents and queries, bm25 order, snippet().

Facet counts (by source, year and theme) are computed over the whole result
set with GROUP BY, as briefing computes them, so both sides do the same work.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from .generate import Document
from .queries import Query

SCHEMA = """
CREATE VIRTUAL TABLE articles USING fts5(
    title, body, themes, source UNINDEXED, published UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
"""


def build(docs: Iterable[Document], path: Path, themes: dict[str, set[str]]) -> float:
    """Create the FTS5 table from the documents; returns the seconds it took."""
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    rows = (
        (doc.title, doc.body, " ".join(t.replace("-", "") for t in sorted(themes.get(doc.id, ()))),
         doc.source, doc.published)
        for doc in docs
    )  # fmt: skip
    db.executemany(
        "INSERT INTO articles(title, body, themes, source, published) VALUES (?, ?, ?, ?, ?)", rows
    )
    db.commit()
    db.close()
    return time.perf_counter() - started


def search(db: sqlite3.Connection, query: Query) -> tuple[int, list[tuple[int, str]]]:
    """The first 20 hits with snippets, plus facet counts over all matches."""
    clauses, params = [], []
    match = query.fts
    if query.theme:
        theme = f"themes:{query.theme.replace('-', '')}"
        match = f"({match}) AND {theme}" if match else theme
    if match:
        clauses.append("articles MATCH ?")
        params.append(match)
    if query.source:
        clauses.append("source = ?")
        params.append(query.source)
    if query.date_from:
        clauses.append("published BETWEEN ? AND ?")
        params += [query.date_from, query.date_to or query.date_from]
    where = " AND ".join(clauses) or "1"
    order = "bm25(articles)" if match else "published DESC"
    hits = db.execute(
        f"SELECT rowid, snippet(articles, 1, '[', ']', '…', 24) FROM articles WHERE {where} "
        f"ORDER BY {order} LIMIT 20",
        params,
    ).fetchall()
    total = 0
    for column in ("source", "substr(published, 1, 4)", "themes"):
        counts = db.execute(
            f"SELECT {column}, count(*) FROM articles WHERE {where} GROUP BY 1", params
        ).fetchall()
        total = sum(n for _value, n in counts)
    return total, hits
