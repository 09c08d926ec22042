"""The SQLite FTS5 baseline, written the way a careful SQLite user would write it.

What makes it fair: the FTS5 table holds only the text (title, body), and the
metadata (source, date, year, themes) lives in ordinary indexed tables. Each
query runs ONE full MATCH, which puts the matching rowids and their bm25 score
into a TEMP table while filtering on source, date and theme through the
ordinary tables (CROSS JOIN, so SQLite drives from the hits; browsing, with
no words, starts from the theme's members). Total, facet counts (source,
year, theme) and the top 20 are then read from that small table. snippet()
needs a MATCH, so a second one, restricted to the 20 rowids shown, writes
their snippets. The index is optimised (segments merged) after the build,
as one would for a read-mostly archive.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .generate import Document
from .queries import Query

PAGE = 20
SCHEMA = """
CREATE VIRTUAL TABLE texts USING fts5(
    title, body, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TABLE articles(
    rowid INTEGER PRIMARY KEY, source TEXT NOT NULL, published TEXT NOT NULL, year TEXT NOT NULL
);
CREATE TABLE article_themes(
    theme TEXT NOT NULL, article INTEGER NOT NULL, PRIMARY KEY (theme, article)
) WITHOUT ROWID;
"""
# Created after the rows are in: building a B-tree once is cheaper than growing it.
INDEXES = (
    "CREATE INDEX articles_by_published ON articles(published)",
    "CREATE INDEX themes_by_article ON article_themes(article, theme)",
)
HITS_TABLE = "CREATE TEMP TABLE IF NOT EXISTS hits(rowid INTEGER PRIMARY KEY, score REAL)"
FACETS = {
    "source": "SELECT a.source, count(*) FROM hits h CROSS JOIN articles a "
    "ON a.rowid = h.rowid GROUP BY 1",
    "year": "SELECT a.year, count(*) FROM hits h CROSS JOIN articles a "
    "ON a.rowid = h.rowid GROUP BY 1",
    "theme": "SELECT t.theme, count(*) FROM hits h CROSS JOIN article_themes t "
    "ON t.article = h.rowid GROUP BY 1",
}


def build(docs: Iterable[Document], path: Path, themes: dict[str, set[str]]) -> float:
    """Create the FTS5 and metadata tables from the documents; returns the seconds it took."""
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    numbered = list(enumerate(docs, start=1))
    with db:
        db.executemany(
            "INSERT INTO texts(rowid, title, body) VALUES (?, ?, ?)",
            ((rowid, doc.title, doc.body) for rowid, doc in numbered),
        )
        db.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?)",
            ((rowid, doc.source, doc.published, doc.published[:4]) for rowid, doc in numbered),
        )
        db.executemany(
            "INSERT INTO article_themes VALUES (?, ?)",
            ((theme, rowid) for rowid, doc in numbered for theme in themes.get(doc.id, ())),
        )
        for statement in INDEXES:
            db.execute(statement)
        db.execute("INSERT INTO texts(texts) VALUES ('optimize')")
    db.execute("ANALYZE")
    db.close()
    return time.perf_counter() - started


def search(db: sqlite3.Connection, query: Query) -> tuple[int, list[tuple[int, str]]]:
    """The first 20 hits with snippets, plus facet counts over all matches."""
    db.execute("PRAGMA temp_store = MEMORY")
    db.execute(HITS_TABLE)
    db.execute("DELETE FROM hits")
    db.execute(*collect_hits(query))
    total = db.execute("SELECT count(*) FROM hits").fetchone()[0]
    facet_counts(db)  # the interface shows these; the harness only times them
    shown = top_rowids(db, bool(query.fts))
    return total, list(snippets(db, query.fts, shown))


def collect_hits(query: Query) -> tuple[str, list[str]]:
    """The one statement that fills `hits` with every match that passes the filters.

    It is driven from the MATCH when there is one, else from the theme's members,
    else from every article; the metadata table is joined only when a filter needs it.
    """
    params: list[str] = []
    metadata_joined = False
    if query.fts:
        rows, key, score = "texts", "texts.rowid", "bm25(texts)"
        where = ["texts MATCH ?"]
        params.append(query.fts)
    elif query.theme:
        rows, key, score = "article_themes t", "t.article", "NULL"
        where = ["t.theme = ?"]
        params.append(query.theme)
    else:
        rows, key, score = "articles a", "a.rowid", "NULL"
        where = []
        metadata_joined = True
    if query.source:
        where.append("a.source = ?")
        params.append(query.source)
    if query.date_from:
        where.append("a.published BETWEEN ? AND ?")
        params += [query.date_from, query.date_to or query.date_from]
    if query.theme and query.fts:
        where.append(
            f"EXISTS (SELECT 1 FROM article_themes t WHERE t.theme = ? AND t.article = {key})"
        )
        params.append(query.theme)
    if (query.source or query.date_from) and not metadata_joined:
        rows += f" CROSS JOIN articles a ON a.rowid = {key}"
    return (
        f"INSERT INTO hits SELECT {key}, {score} FROM {rows} WHERE {' AND '.join(where) or '1'}",
        params,
    )


def facet_counts(db: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Matches per source, per year and per theme, over everything in `hits`."""
    return {name: dict(db.execute(sql).fetchall()) for name, sql in FACETS.items()}


def top_rowids(db: sqlite3.Connection, ranked: bool) -> list[int]:
    """The page shown: best bm25 first (lower is better), or newest first when browsing."""
    if ranked:
        sql = "SELECT rowid FROM hits ORDER BY score LIMIT ?"
    else:
        sql = (
            "SELECT h.rowid FROM hits h CROSS JOIN articles a ON a.rowid = h.rowid "
            "ORDER BY a.published DESC LIMIT ?"
        )
    return [rowid for (rowid,) in db.execute(sql, (PAGE,))]


def snippets(db: sqlite3.Connection, match: str, rowids: list[int]) -> Iterator[tuple[int, str]]:
    """(rowid, snippet) in page order; without a MATCH, the start of the body stands in."""
    if not rowids:
        return
    marks = ", ".join("?" * len(rowids))
    if match:
        sql = (
            f"SELECT rowid, snippet(texts, 1, '[', ']', '…', 24) FROM texts "
            f"WHERE texts MATCH ? AND rowid IN ({marks})"
        )
        rows = dict(db.execute(sql, [match, *rowids]).fetchall())
    else:
        sql = f"SELECT rowid, body FROM texts WHERE rowid IN ({marks})"
        rows = {rowid: opening(body) for rowid, body in db.execute(sql, rowids)}
    for rowid in rowids:
        yield rowid, rows[rowid]


def opening(body: str, words: int = 24) -> str:
    """The first words of a body, as snippet() would show a document without a hit."""
    head = body.split()
    return " ".join(head[:words]) + ("…" if len(head) > words else "")
