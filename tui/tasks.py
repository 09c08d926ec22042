"""The blocking work behind the interface, as plain functions run in thread workers.

Each takes the workspace and returns a plain value (a dataclass below, or a
domain type); none touches a widget, so they run off the event loop and can
be tested on their own. A problem the user can cause raises `BriefingError`
(or is returned as a `Failed` where it is not an error, such as an article
in no story); `tui.work.in_thread` turns raised errors into a `Failed` for
the continuation.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from index import (
    ExportScope,
    SearchRequest,
    SyncReport,
    Workspace,
    atomic_write_text,
    briefing_markdown,
    plain_text,
)
from index.models import Article, ArticleNotes, QueryTerms, SearchHit, SearchResult, Story

from . import trace
from .work import Failed

if TYPE_CHECKING:
    from index import FetchReport, FetchStatus

PROGRESS_EVERY = 0.1
"""Seconds between progress reports while indexing."""


@dataclass(frozen=True)
class Found:
    """A search's result, with where its terms are in the article open when it ran."""

    result: SearchResult
    article_id: str | None = None
    matches: list[tuple[int, int]] | None = None


@dataclass(frozen=True)
class Opened:
    """An article to show in the Reader, with the query's matches and the user's notes."""

    article: Article
    matches: list[tuple[int, int]]
    notes: ArticleNotes
    same_story: tuple[SearchHit, ...] = ()
    """The other articles telling its story (republished or revised copies)."""


@dataclass(frozen=True)
class IndexProgress:
    done: int
    total: int
    phase: str = ""
    """What comes after the articles ("preparing themes…"), once they are indexed."""


def search(
    workspace: Workspace, request: SearchRequest, open_article: Article | None, ticket: int
) -> Found:
    """One search; for a first page, also where its terms occur in the open article."""
    workspace.refresh()  # another instance or an import may have updated the index
    result = workspace.search(request)
    found = Found(result)
    if open_article is not None and request.offset == 0:
        spans = workspace.match_spans(plain_text(open_article.body), result.terms)
        found = Found(result, open_article.id, spans)
    trace.stamp("searched", ticket)
    return found


def open_article(
    workspace: Workspace, article_id: str, query: str, terms: QueryTerms | None
) -> Opened | Failed:
    """The article with its query matches, or a one-line reason it cannot be opened.

    `terms` are the last search's (None when there is none yet for `query`).
    """
    loaded = workspace.load_article(article_id)
    if loaded is None or loaded.article is None:
        reason = str(loaded.problems[0]) if loaded and loaded.problems else "it is not indexed"
        return Failed(f"Cannot open {article_id}: {reason}")
    # The Reader shows the themes searches see (queries and the user's choices).
    article = replace(loaded.article, themes=workspace.themes_of(article_id))
    if terms is None:
        terms = workspace.query_terms(query)
    matches = workspace.match_spans(plain_text(article.body), terms)
    notes = workspace.article_notes(article)
    return Opened(article, matches, notes, workspace.same_story(article_id))


def update_index(
    workspace: Workspace, index_ready: bool, progress: Callable[[IndexProgress], None]
) -> SyncReport | None:
    """Bring the index up to date, reporting throttled progress; None when nothing to do."""
    if index_ready and not workspace.needs_update():
        return None
    progress(IndexProgress(0, 0))
    last = 0.0

    def articles(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY or done == total:
            last = now
            progress(IndexProgress(done, total))

    report = workspace.sync(progress=articles)
    progress(IndexProgress(0, 0, "preparing themes…"))
    workspace.prepare()  # theme membership and facets, before the first results show
    return report


def fetch_feeds(
    workspace: Workspace,
    progress: Callable[[FetchStatus], None],
    stop: Callable[[], bool] = lambda: False,
) -> FetchReport:
    """Fetch the due feeds into the library, reporting each feed done."""
    return workspace.fetch(progress=progress, stop=stop)


def story_of(workspace: Workspace, article_id: str) -> tuple[Story, list[Article]] | Failed:
    """The story of an article with its articles loaded, or why there is none to show."""
    story = workspace.story_of(article_id)
    if story is None:
        return Failed("This article is not part of a story: no other article reports its event.")
    articles = [a for hit in story.articles if (a := workspace.article(hit.id)) is not None]
    if len(articles) < 2:
        return Failed("The story's other articles cannot be read now.")
    return story, articles


def export_briefing(workspace: Workspace, scope: ExportScope, path: Path) -> str:
    """Write the Markdown briefing; the one-line outcome for the user."""
    text = briefing_markdown(workspace, scope)
    atomic_write_text(path, text)
    articles = text.count("\n### ")
    return f"Briefing written to {path} ({articles} article{'' if articles == 1 else 's'})"
