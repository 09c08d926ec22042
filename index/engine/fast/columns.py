"""Reading whole Whoosh columns at once: live documents, dates, field lengths.

Whoosh reads a column one document per Python call (and checks each document
for deletion the same way), which costs seconds on a large archive when the
engine needs every value: the set of live documents, each one's date, each
one's length in a field. Its fixed-width columns are plain arrays on disk, so
this module reads them in one go. Like postings.py it reaches into Whoosh
2.7.4's readers, and falls back on the public per-document calls when they do
not look as expected.

Values are indexed by the top-level searcher's document numbers.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from . import public_only


def live_docs(searcher: Searcher) -> set[int]:
    """The numbers of every document that is not deleted."""
    found: set[int] = set()
    for subsearcher, offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        count = reader.doc_count_all()
        try:
            if public_only():
                raise AttributeError("the public API was asked for")
            deleted = {offset + d for d in reader._perdoc.deleted_docs()}
        except AttributeError:
            found.update(offset + d for d in reader.all_doc_ids())
            continue
        found.update(range(offset, offset + count))
        found -= deleted
    return found


def numeric_column(searcher: Searcher, fieldname: str) -> list[int]:
    """Every document's value of an integer field stored as a column (sortable=True)."""
    field = searcher.schema[fieldname]
    shift = field.from_column_value(0)
    linear = (
        field.from_column_value(1) == shift + 1 and field.from_column_value(1000) == shift + 1000
    )
    values: list[int] = []
    for subsearcher, _offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        count = reader.doc_count_all()
        if not count:  # an empty index's reader has no columns at all
            continue
        raw = _raw_numbers(reader, fieldname) if linear else None
        if raw is None:
            column = reader.column_reader(fieldname)
            values += [column[d] for d in range(count)]
            continue
        stored, default = raw
        values += [v + shift for v in stored[:count]]
        values += [default + shift] * (count - len(stored))
    return values


def _raw_numbers(reader: Any, fieldname: str) -> tuple[Any, int] | None:
    """A segment's numeric column as stored (an array) and its default; None if not readable."""
    if public_only():
        return None
    try:
        if not reader._perdoc.has_column(fieldname):
            return None
        column = reader.column_reader(fieldname, translate=False)
        dbfile, basepos, count = column._dbfile, column._basepos, column._count
        typecode, default = column._typecode, column._default
    except AttributeError:
        return None
    return dbfile.get_array(basepos, typecode, count), int(default)


def field_lengths(searcher: Searcher, fieldname: str) -> list[int]:
    """Each document's length in words in `fieldname`, by top-level document number.

    Whoosh stores lengths as one byte each (approximate above a few hundred words)
    in a column; reading it whole costs less than a thousand per-document lookups.
    A document with no length counts as 1, as Whoosh's own scorer has it.
    """
    table = [1] + [byte_to_length(code) for code in range(1, 256)]
    lengths: list[int] = []
    for subsearcher, _offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        count = reader.doc_count_all()
        raw = _length_bytes(reader, fieldname)
        if raw is None:
            lengths += [reader.doc_field_length(d, fieldname, 1) or 1 for d in range(count)]
            continue
        lengths += [table[code] for code in raw[:count]]
        lengths += [1] * (count - len(raw))
    return lengths


def _length_bytes(reader: Any, fieldname: str) -> bytes | None:
    """A segment's length column as raw bytes; None when it cannot be read that way."""
    if public_only():
        return None
    try:
        column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    except AttributeError:
        return None
    if column is None:
        return b""
    if getattr(column, "_typecode", None) != "B" or not hasattr(column, "_dbfile"):
        return None
    return bytes(column._dbfile.get(column._basepos, column._count))
