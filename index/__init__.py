"""The domain layer of briefing: articles, the Whoosh index, search and user data.

Nothing in this package knows about the terminal interface; `tui/` builds on
it through the names in `__all__` (and `index.models`, `index.errors`), never
through the sub-packages:

- `content/`   reading a briefing folder: articles, front matter, the Markdown
               body, sentences, the catalog of sources, themes and variants, the gazetteer;
- `engine/`    the Whoosh index: schema, analysis, indexing, queries, search,
               facets, highlighting, spelling — and `engine/fast/`, the only code
               that touches Whoosh's private internals;
- `userdata/`  what the user writes: annotations, their anchoring, reading state;
- `importing/` bringing articles in: formats, HTML extraction, enrichment, the library writer;
- `feeds/`     following sources: subscriptions, polite HTTP, fetching into the library;
- top level:   `workspace` (the one entry point; what it changes for the user in
               `workspace_changes`), `models`, `errors`, `paths`, `storage`,
               `access`, `sanitize`, `safe_yaml`, `export`.

Whoosh 2.7.4 predates current Python: compiling it warns about invalid escape
sequences and `is` with literals, which `-W error` turns into import errors.
Those warnings are silenced here, for Whoosh's modules only, before any of
them is imported; every other warning still counts.
"""

import warnings
from typing import TYPE_CHECKING

WHOOSH_MODULES = r"(whoosh(\..*)?|.*[/\\]whoosh([/\\].*)?)$"
"""Whoosh's modules by name (runtime warnings) or by file path (compile-time ones)."""

for _category in (DeprecationWarning, SyntaxWarning):
    warnings.filterwarnings("ignore", category=_category, module=WHOOSH_MODULES)

# The public surface, imported after the filters above (these modules load Whoosh).
from .content.body import Block, Document, parse_body, plain_text  # noqa: E402
from .content.sentences import sentence_spans  # noqa: E402
from .engine.indexer import Progress, SyncReport  # noqa: E402
from .errors import (  # noqa: E402
    BriefingError,
    ImportBusy,
    IndexBusy,
    LockTimeout,
    NotesError,
    QueryError,
    ReadOnly,
    Refused,
    StateError,
    UnsafeIndex,
    WriteFailed,
)
from .export import ExportScope, annotations_jsonld, briefing_markdown  # noqa: E402
from .models import FILTER_KINDS, SORTS, Filters, SearchRequest  # noqa: E402
from .paths import DataPaths  # noqa: E402
from .sanitize import clean_text  # noqa: E402
from .storage import atomic_write_text  # noqa: E402
from .userdata.notes import clean_tags  # noqa: E402
from .userdata.state import PendingMarks, ReadingState, StateStore  # noqa: E402
from .workspace import Workspace  # noqa: E402

if TYPE_CHECKING:
    from .feeds.fetcher import FetchReport, FetchStatus
    from .feeds.following import AddedFeed
    from .feeds.ledger import FeedState
    from .feeds.subscriptions import Feed
    from .importing.library import ImportProgress, ImportReport, ImportStatus

_LAZY = {
    "ImportProgress": "importing.library", "ImportReport": "importing.library",
    "ImportStatus": "importing.library", "AddedFeed": "feeds.following",
    "Feed": "feeds.subscriptions", "FeedState": "feeds.ledger",
    "FetchReport": "feeds.report", "FetchStatus": "feeds.report",
}  # fmt: skip
"""Names whose module (importers, HTTP, feed parsing) loads only when first used."""


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'index' has no attribute {name!r}")


__all__ = [
    "FILTER_KINDS",
    "SORTS",
    "AddedFeed",
    "Block",
    "BriefingError",
    "DataPaths",
    "Document",
    "ExportScope",
    "Feed",
    "FeedState",
    "FetchReport",
    "FetchStatus",
    "Filters",
    "ImportBusy",
    "ImportProgress",
    "ImportReport",
    "ImportStatus",
    "IndexBusy",
    "LockTimeout",
    "NotesError",
    "PendingMarks",
    "Progress",
    "QueryError",
    "ReadOnly",
    "ReadingState",
    "Refused",
    "SearchRequest",
    "StateError",
    "StateStore",
    "SyncReport",
    "UnsafeIndex",
    "Workspace",
    "WriteFailed",
    "annotations_jsonld",
    "atomic_write_text",
    "briefing_markdown",
    "clean_tags",
    "clean_text",
    "parse_body",
    "plain_text",
    "sentence_spans",
]
