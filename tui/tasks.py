"""The blocking work behind the interface, as plain functions run in thread workers.

Each takes the workspace and returns a message for the screen; none touches a
widget, so they can run off the event loop and be tested on their own. Each
catches `BriefingError` (the one root of failures a user can cause) and turns
it into a message; anything else is a bug, reported by the screen's
worker-failure handler.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from index import (
    BriefingError,
    ExportFilters,
    QueryError,
    SearchRequest,
    Workspace,
    atomic_write_text,
    briefing_markdown,
    plain_text,
)
from index.models import Article, QueryTerms

if TYPE_CHECKING:
    from index import FetchStatus

from . import trace
from .messages import (
    ArticleLoaded,
    CorpusNotesLoaded,
    FetchDone,
    FetchFailed,
    FetchProgressed,
    IndexFailed,
    IndexProgress,
    IndexUpdated,
    NotesChanged,
    NotesFailed,
    NotesLoaded,
    RelatedFound,
    SearchFailed,
    SearchFinished,
    StoryFound,
)

PROGRESS_EVERY = 0.1
"""Seconds between progress messages while indexing."""


def search(
    workspace: Workspace, request: SearchRequest, ticket: int, open_article: Article | None
) -> SearchFinished | SearchFailed:
    """One search; for a first page, also where its terms occur in the open article."""
    try:
        workspace.refresh()  # another instance or an import may have updated the index
        result = workspace.search(request)
    except QueryError as error:
        return SearchFailed(str(error), ticket)
    except BriefingError as error:
        return SearchFailed(error.advice, ticket)
    found = SearchFinished(result, ticket, append=request.offset > 0)
    if open_article is not None and not found.append:
        found.article_id = open_article.id
        found.matches = workspace.match_spans(plain_text(open_article.body), result.terms)
    trace.stamp("searched", ticket)
    return found


def open_article(
    workspace: Workspace,
    article_id: str,
    query: str,
    terms: QueryTerms | None,
    focus: bool,
    request: int,
) -> ArticleLoaded | str:
    """The article with its query matches, or a one-line reason it cannot be opened.

    `terms` are the last search's (None when there is none yet for `query`).
    """
    try:
        loaded = workspace.load_article(article_id)
        if loaded is None or loaded.article is None:
            reason = str(loaded.problems[0]) if loaded and loaded.problems else "it is not indexed"
            return f"Cannot open {article_id}: {reason}"
        # The Reader shows the themes searches see (queries and the user's choices).
        article = replace(loaded.article, themes=workspace.themes_of(article_id))
        if terms is None:
            terms = workspace.query_terms(query)
        matches = workspace.match_spans(plain_text(article.body), terms)
        notes = workspace.article_notes(article)
    except BriefingError as error:
        return f"Cannot open {article_id}: {error.advice}"
    same = workspace.same_story(article_id)
    return ArticleLoaded(article, matches, query, notes, focus, request, same)


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
        report = workspace.sync(progress=progress)
        post(IndexProgress(0, 0, "preparing themes…"))
        workspace.prepare()  # theme membership and facets, before the first results show
    except BriefingError as error:
        return IndexFailed(error.advice)
    return IndexUpdated(report)


def fetch_feeds(workspace: Workspace, post: Callable[[Message], object]) -> FetchDone | FetchFailed:
    """Fetch the due feeds into the library, posting FetchProgressed per feed."""

    def progress(status: FetchStatus) -> None:
        post(FetchProgressed(status))

    try:
        report = workspace.fetch(progress=progress)
    except BriefingError as error:
        return FetchFailed(error.advice)
    except OSError as error:
        return FetchFailed(f"fetch failed: {error}")
    return FetchDone(report)


def story_of(workspace: Workspace, article_id: str) -> StoryFound | str:
    """The story of an article with its articles loaded, or why there is none to show."""
    try:
        story = workspace.story_of(article_id)
    except BriefingError as error:
        return error.advice
    if story is None:
        return "This article is not part of a story: no other article reports its event."
    articles = [a for hit in story.articles if (a := workspace.article(hit.id)) is not None]
    if len(articles) < 2:
        return "The story's other articles cannot be read now."
    return StoryFound(story, articles)


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
    except (BriefingError, OSError) as error:
        return NotesFailed(f"Notes not saved: {error}")
    return NotesChanged(article_id, done)


def export_briefing(workspace: Workspace, filters: ExportFilters, path: Path) -> str:
    """Write the Markdown briefing; the one-line outcome for the user."""
    try:
        text = briefing_markdown(workspace, filters)
        atomic_write_text(path, text)
    except (BriefingError, OSError) as error:
        return f"Briefing not written: {error}"
    articles = text.count("\n### ")
    return f"Briefing written to {path} ({articles} article{'' if articles == 1 else 's'})"
