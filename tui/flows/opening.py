"""Opening articles in the Reader and marking them read.

`open` loads the article in a worker ("article" group: opening another
cancels it) with the query's matches, the user's notes and its story's
other articles; `_opened`, its continuation, shows it. Unless the article is
restored quietly at start-up, the keys typed meanwhile wait for it (they
are meant for the Reader it focuses).
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from .. import tasks
from ..render import story_line
from ..widgets.article_list import ArticleList
from ..widgets.reader import ArticleView
from ..work import Failed

if TYPE_CHECKING:
    from ..screens.main import MainScreen


class ArticleOpener:
    """The article in the Reader, and the read marks."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._request = 0

    def open(self, article_id: str, quiet: bool = False) -> None:
        """Open an article in the Reader; `quiet` restores it without moving the focus."""
        screen = self.screen
        self._request += 1
        query = screen.state.filters.query
        terms = screen.search.terms_for(query)
        if not quiet:
            screen.hold_keys("article")
        work = partial(tasks.open_article, screen.workspace, article_id, query, terms)
        group = "article-restore" if quiet else "article"  # a restore never cancels a click
        screen.in_thread(group, work, partial(self._opened, self._request, quiet))

    def _opened(self, request: int, quiet: bool, outcome: tasks.Opened | Failed) -> None:
        screen = self.screen
        if isinstance(outcome, Failed):
            if not quiet:
                screen.tell(outcome.message, severity="error")
                screen.release_keys("article")
            return
        if request != self._request:
            return
        article = screen.open_article = outcome.article
        workspace = screen.workspace
        same_story = [story_line(hit, workspace.source(hit.source)) for hit in outcome.same_story]
        screen.query_one(ArticleView).show(
            article,
            workspace.source(article.source),
            workspace.themes,
            outcome.matches,
            not quiet,
            same_story,
        )
        screen.notes.show_notes(article, outcome.notes)
        screen.state = replace(screen.state, article=article.id)
        screen.refresh_bindings()
        if not quiet:
            screen.focus_pane("reader")
            screen.call_after_refresh(screen.release_keys, "article")  # after the focus moved
        self.set_read(article.id, True)

    def set_read(self, article_id: str, read: bool) -> None:
        screen = self.screen
        screen.keeper.marks.mark(article_id, read)
        screen.show_read(screen.state.with_read(article_id, read).read)
        if article_id in screen.fetching.new:
            screen.search.show_source_counts()  # one fewer new article of its source
        screen.keeper.save_soon()

    def toggle_read(self) -> None:
        """Mark the highlighted (in Articles) or open article read, or unread again."""
        screen = self.screen
        articles = screen.query_one(ArticleList)
        in_list = screen.room.pane_of(screen.focused) == "articles"
        target = articles.highlighted_id if in_list else None
        open_id = screen.open_article.id if screen.open_article else None
        target = target or open_id or articles.highlighted_id
        if target is not None:
            self.set_read(target, target not in screen.state.read)
