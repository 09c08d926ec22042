"""Small, targeted fixes to Whoosh 2.7.4 (the version pinned in constraints.txt).

Whoosh's per-document reader looks up a field's length column on every call
and, when a field has none (spelling fields, IDs), asks the file system again
each time: one `stat` per posting while a segment is written, which made
index builds several times slower. The fix remembers that the column is
missing. Applied once, on import, by the modules that write and read the index.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec import whoosh3

_MISSING = object()


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    readers = self._readers
    reader = readers.get(fieldname, _MISSING)
    if reader is _MISSING:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        readers[fieldname] = reader
    return reader


def apply() -> None:
    if getattr(whoosh3.W3PerDocReader, "_briefing_fixed", False):
        return
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    whoosh3.W3PerDocReader._briefing_fixed = True


apply()
