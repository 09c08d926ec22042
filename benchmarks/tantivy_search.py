"""The tantivy baseline: what a compiled search library does with the same documents and queries.

It answers what fts5.py answers (total, facet counts by source, year and
theme over all matches, the top 20 with snippets) so the two can be put side
by side. tantivy-py cannot run several collectors in one pass, so a query is
executed twice: once by the aggregation collector (facet counts over every
match, without scoring; the total is the sum of the source buckets, since
each article has one source) and once by the top-20 collector, which alone
may skip documents that cannot reach the page (block-max WAND). Most of the
time goes to the 20 snippets: SnippetGenerator re-tokenizes each stored body.
Title and body use "en_stem" (Snowball English), close to FTS5's porter;
totals can differ where the two stemmers do (on the generated corpus, none).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from .generate import Document
from .queries import Query

PAGE = 20
SNIPPET_CHARS = 150  # about the 24 tokens FTS5's snippet() is asked for
FACET_FIELDS = {"source": "source", "year": "year", "theme": "themes"}
FACET_BUCKETS = 1000  # more than any facet has values, so the counts are exact
PREFIX = re.compile(r"(?<![\w\"])(\w+)\*")


@dataclass(frozen=True)
class Handle:
    """An open index and a searcher over its committed segments."""

    index: tantivy.Index
    searcher: tantivy.Searcher


def schema() -> tantivy.Schema:
    """Text to rank and highlight; metadata as untokenized fast fields to filter and count."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    for name in ("source", "year", "themes"):
        builder.add_text_field(name, fast=True, tokenizer_name="raw")
    builder.add_date_field("published", indexed=True, fast=True)
    return builder.build()


def build(docs: Iterable[Document], path: Path, themes: dict[str, set[str]]) -> float:
    """Create the index in the directory `path`; returns the seconds it took."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    started = time.perf_counter()
    index = tantivy.Index(schema(), path=str(path))
    writer = index.writer()
    for doc in docs:
        writer.add_document(
            tantivy.Document(
                id=doc.id,
                title=doc.title,
                body=doc.body,
                source=doc.source,
                year=doc.published[:4],
                themes=sorted(themes.get(doc.id, ())),
                published=day(doc.published),
            )
        )
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - started


def open(path: Path) -> Handle:
    """Open the index built by `build` for searching."""
    index = tantivy.Index.open(str(path))
    return Handle(index, index.searcher())


def search(handle: Handle, query: Query) -> tuple[int, list[tuple[str, str]]]:
    """The first 20 hits (article id, snippet), plus facet counts over all matches."""
    text = text_query(handle.index, query.fts)
    matches = filtered(handle.index.schema, text, query)
    facets = facet_counts(handle.searcher, matches)
    total = sum(facets["source"].values())
    if query.fts:
        page = handle.searcher.search(matches, PAGE, count=False).hits
    else:
        page = handle.searcher.search(matches, PAGE, count=False, order_by_field="published").hits
    stored = [handle.searcher.doc(address) for _key, address in page]
    return total, snippets(handle, text if query.fts else None, stored)


def text_query(index: tantivy.Index, fts: str) -> tantivy.Query:
    """The FTS5 expression in tantivy's syntax, over title and body, words ANDed as in FTS5.

    The operators, "phrases" and title: are written alike. A prefix `constr*`
    becomes a regex on each field, `(title:/constr.*/ OR body:/constr.*/)`: a bare
    `constr*` would look up the term "constr", and tantivy's prefix `"constr"*`
    is for phrases of two words or more.
    """
    if not fts:
        return tantivy.Query.all_query()
    expression = PREFIX.sub(r"(title:/\1.*/ OR body:/\1.*/)", fts)
    return index.parse_query(
        expression, ["title", "body"], conjunction_by_default=True, allow_regexes=True
    )


def filtered(schema: tantivy.Schema, text: tantivy.Query, query: Query) -> tantivy.Query:
    """`text` restricted by source, theme and dates; the filters add nothing to the score."""
    filters: list[tantivy.Query] = []
    if query.source:
        filters.append(tantivy.Query.term_query(schema, "source", query.source))
    if query.theme:
        filters.append(tantivy.Query.term_query(schema, "themes", query.theme))
    if query.date_from:
        filters.append(
            tantivy.Query.range_query(
                schema,
                "published",
                tantivy.FieldType.Date,
                day(query.date_from),
                day(query.date_to or query.date_from),
            )
        )
    if not filters:
        return text
    clauses = [(tantivy.Occur.Must, text)]
    clauses += [(tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters]
    return tantivy.Query.boolean_query(clauses)


def facet_counts(searcher: tantivy.Searcher, matches: tantivy.Query) -> dict[str, dict[str, int]]:
    """Matches per source, per year and per theme: one terms aggregation over the fast fields."""
    request = {
        name: {"terms": {"field": field, "size": FACET_BUCKETS}}
        for name, field in FACET_FIELDS.items()
    }
    result: dict[str, Any] = searcher.aggregate(matches, request)
    return {
        name: {bucket["key"]: bucket["doc_count"] for bucket in result[name]["buckets"]}
        for name in FACET_FIELDS
    }


def snippets(
    handle: Handle, text: tantivy.Query | None, stored: list[tantivy.Document]
) -> list[tuple[str, str]]:
    """(id, body snippet with [hits]); the start of the body when nothing in it matched."""
    generator = None
    if text is not None:
        generator = tantivy.SnippetGenerator.create(
            handle.searcher, text, handle.index.schema, "body"
        )
        generator.set_max_num_chars(SNIPPET_CHARS)
    page = []
    for doc in stored:
        body = doc.get_first("body") or ""
        shown = marked(generator.snippet_from_doc(doc)) if generator else ""
        page.append((str(doc.get_first("id")), shown or opening(body)))
    return page


def marked(snippet: tantivy.Snippet) -> str:
    """The fragment with each highlighted range in [brackets], as fts5.py asks snippet() for."""
    fragment = snippet.fragment().encode()  # the ranges are UTF-8 byte offsets
    pieces, done = [], 0
    for span in snippet.highlighted():
        pieces += [fragment[done : span.start], b"[", fragment[span.start : span.end], b"]"]
        done = span.end
    return b"".join([*pieces, fragment[done:]]).decode()


def opening(body: str, words: int = 24) -> str:
    """The first words of a body, as snippet() shows a document without a hit."""
    head = body.split()
    return " ".join(head[:words]) + ("…" if len(head) > words else "")


def day(iso_date: str) -> dt.datetime:
    """Midnight UTC of a YYYY-MM-DD date: how `published` is stored and compared."""
    return dt.datetime.fromisoformat(iso_date).replace(tzinfo=dt.UTC)
