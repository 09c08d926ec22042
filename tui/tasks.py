"""The blocking work behind the interface, as plain functions run in thread workers.

Each takes the workspace and returns a message for the screen; none touches a
widget, so they can run off the event loop and be tested on their own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual.message import Message

from index.document import plain_text
from index.export import ExportFilters, briefing_markdown
from index.indexer import IndexBusy
from index.models import Article
from index.notes import NotesError
from index.query import QueryError
from index.storage import LockTimeout, atomic_write_text
from index.workspace import Workspace

from .messages import (
    ArticleLoaded,
    CorpusNotesLoaded,
    IndexFailed,
    IndexProgress,
    IndexUpdated,
    MatchesFound,
    NotesChanged,
    NotesFailed,
    NotesLoaded,
    RelatedFound,
    SearchFailed,
    SearchFinished,
)

PROGRESS_EVERY = 0.1
"""Seconds between progress messages while indexing."""


def search(
    workspace: Workspace,
    request: int,
    query: str,
    source: str | None,
    theme: str | None,
    offset: int,
    limit: int,
) -> SearchFinished | SearchFailed:
    try:
        workspace.refresh()  # another instance or an import may have updated the index
        result = workspace.search(query, source=source, theme=theme, limit=limit, offset=offset)
    except QueryError as error:
        return SearchFailed(str(error), request)
    return SearchFinished(result, request, append=offset > 0)


def open_article(
    workspace: Workspace, article_id: str, query: str, focus: bool, request: int
) -> ArticleLoaded | str:
    """The article with its query matches, or a one-line reason it cannot be opened."""
    loaded = workspace.load_article(article_id)
    if loaded is None or loaded.article is None:
        reason = str(loaded.problems[0]) if loaded and loaded.problems else "it is not indexed"
        return f"Cannot open {article_id}: {reason}"
    article = loaded.article
    matches = match_spans(workspace, article, query)
    notes = workspace.article_notes(article)
    return ArticleLoaded(article, matches, query, notes, focus=focus, request=request)


def match_spans(workspace: Workspace, article: Article, query: str) -> list[tuple[int, int]]:
    return workspace.match_spans(plain_text(article.body), query) if query.strip() else []


def find_matches(workspace: Workspace, article: Article, query: str) -> MatchesFound:
    return MatchesFound(article.id, match_spans(workspace, article, query), query)


def related(workspace: Workspace, article: Article, limit: int, request: int) -> RelatedFound:
    return RelatedFound(article, workspace.related(article.id, limit=limit), request)


def update_index(
    workspace: Workspace, index_ready: bool, post: Callable[[Message], object]
) -> IndexUpdated | IndexFailed | None:
    """Bring the index up to date, posting throttled IndexProgress; None when nothing to do."""
    if index_ready and not workspace.needs_update():
        return None
    post(IndexProgress(0, 0))
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY or done == total:
            last = now
            post(IndexProgress(done, total))

    try:
        return IndexUpdated(workspace.sync(progress=progress))
    except IndexBusy as error:
        return IndexFailed(str(error))


def load_notes(workspace: Workspace, article: Article, reveal: str | None = None) -> NotesLoaded:
    return NotesLoaded(article.id, workspace.article_notes(article), reveal)


def corpus_notes(workspace: Workspace) -> CorpusNotesLoaded:
    return CorpusNotesLoaded(workspace.all_notes())


def change_notes(
    change: Callable[[], object], article_id: str, done: str
) -> NotesChanged | NotesFailed:
    """Run one change to the notes (and the re-index it triggers), as a message."""
    try:
        change()
    except (NotesError, OSError, LockTimeout, IndexBusy) as error:
        return NotesFailed(f"Notes not saved: {error}")
    return NotesChanged(article_id, done)


def export_briefing(workspace: Workspace, filters: ExportFilters, path: Path) -> str:
    """Write the Markdown briefing; the one-line outcome for the user."""
    try:
        text = briefing_markdown(workspace, filters)
        atomic_write_text(path, text)
    except (OSError, QueryError) as error:
        return f"Briefing not written: {error}"
    articles = text.count("\n### ")
    return f"Briefing written to {path} ({articles} article{'' if articles == 1 else 's'})"
