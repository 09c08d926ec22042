"""The Whoosh schema: which article fields are searchable, stored and sortable.

Stored fields are what a result list needs without opening the article file
(title, source, date, themes) plus the body for snippets and related articles.
Name lists (places, people…) are keyword fields for exact filters and facets.
Free text searches three fields: title, body, and `context` — the summary, the
names and the user's notes and tags together — because every extra default
field multiplies the matchers Whoosh walks for each word of a query.
Values that are one name (source, kind, language, the dateline's place) are
single lower-cased terms, so `source:KCNA` and `source:kcna` are one.
Sorting by date uses `day` (the date's ordinal, 0 when undated) because a
DATETIME column gives undated articles a value that sorts them as the newest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from whoosh.analysis import IDTokenizer, LowercaseFilter
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions

from .analysis import Piece, PieceTokenizer, body_analyzer, normalise_name, text_analyzer
from .fast import fixes  # noqa: F401  (applied on import)
from .positions import PackedPositions

SCHEMA_VERSION = 14
"""Bump when indexing changes in ways the field list does not show (analysis, documents)."""

DEFAULT_FIELDS = ("title", "body", "context")
FIELD_BOOSTS = {"title": 3.0, "body": 1.0, "context": 1.5}
NAME_FIELDS = ("places", "people", "organizations", "tags")


class NameListTokenizer(PieceTokenizer):
    """One token per comma-separated name, normalised like the text fields (case, accents)."""

    def pieces(self, value: str, indexing: bool = False) -> Iterator[Piece]:
        offset = 0
        for item in value.split(","):
            name = normalise_name(item)
            if name:
                yield name, offset, offset + len(item), 0
            offset += len(item) + 1

    def whole(self, value: str) -> Iterator[Piece]:
        return self.pieces(value)


class OneNameTokenizer(PieceTokenizer):
    """A whole value as one name, normalised like names (`kind: News report` → "news report")."""

    def pieces(self, value: str, indexing: bool = False) -> Iterator[Piece]:
        name = normalise_name(value)
        if name:
            yield name, 0, len(value), 0

    def whole(self, value: str) -> Iterator[Piece]:
        return self.pieces(value)


def build_schema() -> Schema:
    prose = text_analyzer()
    lower_case = IDTokenizer() | LowercaseFilter()  # ids: "KCNA" is kcna, "daily-nk" stays whole
    one_name = OneNameTokenizer()

    def names_field() -> KEYWORD:
        return KEYWORD(stored=True, scorable=True, analyzer=NameListTokenizer())

    schema = Schema(
        id=ID(stored=True, unique=True),
        path=STORED(),
        title=TEXT(
            analyzer=prose,
            stored=True,
            field_boost=FIELD_BOOSTS["title"],
            multitoken_query="phrase",
        ),
        summary=TEXT(analyzer=prose, multitoken_query="phrase"),
        body=TEXT(analyzer=body_analyzer(), stored=True, multitoken_query="phrase"),
        context=TEXT(
            analyzer=prose, field_boost=FIELD_BOOSTS["context"], multitoken_query="phrase"
        ),
        notes=TEXT(analyzer=prose, multitoken_query="phrase"),
        source=ID(stored=True, sortable=True, analyzer=lower_case),
        kind=ID(stored=True, analyzer=one_name),
        language=ID(stored=True, analyzer=lower_case),
        dateline=ID(stored=True, analyzer=one_name),
        published=DATETIME(stored=True),
        day=NUMERIC(numtype=int, bits=32, sortable=True, default=0),
        year=ID(sortable=True),
        month=ID(),
        themes=KEYWORD(stored=True, scorable=True, analyzer=NameListTokenizer()),
        themes_removed=KEYWORD(analyzer=NameListTokenizer()),
        curated=ID(),
        story=ID(stored=True),
        places=names_field(),
        people=names_field(),
        organizations=names_field(),
        tags=names_field(),
    )
    for name in schema.names():
        field = schema[name]
        if type(field.format) is Positions:  # the phrase fields: packed, not pickled
            field.format = PackedPositions(field_boost=field.format.field_boost)
    return schema


def schema_fingerprint(schema: Schema) -> str:
    """Changes whenever the schema or SCHEMA_VERSION changes, to trigger a full rebuild."""
    parts = [f"version={SCHEMA_VERSION}"]
    for name in sorted(schema.names()):
        field = schema[name]
        parts.append(
            f"{name}:{type(field).__name__}:{type(getattr(field, 'format', None)).__name__}"
            f":{getattr(field, 'stored', False)}:{getattr(field, 'column_type', None) is not None}"
        )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
