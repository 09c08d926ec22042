"""The analyst's views from the reading room: a story side by side, the results over time,
what is rising in them.

Each view is computed in a worker (a story needs every article's signature,
a timeline the dates of every result) and shown, by the continuation that
receives it, as a screen of its own (`StoryScreen`, `TimelineScreen`,
`EmergingScreen`); what is chosen there comes back here: an article to open
in the Reader, a period or a term to put in the query.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from index import BriefingError, SearchRequest
from index.models import Article, Emerging, Story, Timeline

from .. import tasks
from ..screens.emerging import BASELINE_DAYS, EMERGING_DAYS, EmergingScreen
from ..screens.story import StoryScreen
from ..screens.timeline import TimelineScreen
from ..work import Failed

if TYPE_CHECKING:
    from ..screens.main import MainScreen

STORIES_IN_BACKGROUND = 5000
"""Articles up to which stories are found at start-up (about a second at 5,000)."""
DATE_RANGE = re.compile(r"\s*date:\[\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\]")
"""A period chosen on the timeline, replaced by the next one chosen."""


class AnalysisFlow:
    """Opens the story, timeline and emerging views and applies what is chosen in them."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def find_stories_soon(self) -> None:
        """For a library of at most STORIES_IN_BACKGROUND articles, find its stories now, in
        the background, so the Reader lists an article's other coverage as it opens."""
        workspace = self.screen.workspace

        def work() -> None:
            try:
                if workspace.engine().article_count <= STORIES_IN_BACKGROUND:
                    workspace.stories()
            except BriefingError:
                pass  # only a head start: `S` says what is wrong

        self.screen.in_thread("stories", work, lambda _outcome: None)

    def _busy(self, activity: str) -> None:
        self.screen.activity = activity

    def _failed(self, outcome: Failed) -> None:
        self.screen.activity = ""
        self.screen.tell(outcome.message, timeout=5)

    # -- a story side by side ---------------------------------------------------------------

    def story(self) -> None:
        screen = self.screen
        article = screen.open_article
        if article is None:
            screen.tell("Open an article first (Enter in Articles).", severity="warning")
            return
        self._busy("finding the story…")
        work = partial(tasks.story_of, screen.workspace, article.id)
        screen.in_thread("story", work, self._story_found)

    def _story_found(self, outcome: tuple[Story, list[Article]] | Failed) -> None:
        if isinstance(outcome, Failed):
            self._failed(outcome)
            return
        screen = self.screen
        screen.activity = ""
        story, articles = outcome
        current = screen.open_article.id if screen.open_article else ""

        def chosen(article_id: str | None) -> None:
            if article_id:
                screen.opener.open(article_id)

        screen.app.push_screen(StoryScreen(story, articles, screen.workspace, current), chosen)

    # -- the results over time -------------------------------------------------------------

    def _what(self, request: SearchRequest) -> str:
        """The results on screen, in words: “query” in Theme from Source."""
        workspace = self.screen.workspace
        chosen = request.filters
        query = chosen.query.strip()
        what = f"“{query}”" if query else "every article"
        if chosen.theme and chosen.theme in workspace.themes:
            what += f" in {workspace.themes[chosen.theme].name}"
        if chosen.source:
            what += f" from {workspace.source(chosen.source).name}"
        return what

    def timeline(self) -> None:
        screen = self.screen
        request = screen.search.request_for()
        work = partial(screen.workspace.timeline, request, periods=100)
        screen.in_thread("timeline", work, partial(self._timeline_ready, self._what(request)))

    def _timeline_ready(self, what: str, outcome: Timeline | Failed) -> None:
        screen = self.screen
        if isinstance(outcome, Failed):
            screen.tell(outcome.message, severity="error")
            return

        def chosen(period: tuple[dt.date, dt.date] | None) -> None:
            if period is None:
                return
            first, last = period
            query = DATE_RANGE.sub("", screen.state.filters.query).strip()
            self._set_query(f"{query} date:[{first.isoformat()} to {last.isoformat()}]".strip())

        screen.app.push_screen(TimelineScreen(outcome, screen.workspace, what), chosen)

    # -- what is emerging -------------------------------------------------------------------

    def emerging(self) -> None:
        """What rose in the results' last two weeks (to their newest article)."""
        screen = self.screen
        request = screen.search.request_for()
        workspace = screen.workspace
        self._busy("finding what is rising…")

        def work() -> tuple[list[Emerging], dt.date]:
            until = workspace.newest_date(request) or dt.date.today()
            chosen = request.filters
            found = workspace.emerging(
                EMERGING_DAYS, until, BASELINE_DAYS, chosen.theme, chosen.query
            )
            return found, until

        screen.in_thread("emerging", work, partial(self._emerging_ready, self._what(request)))

    def _emerging_ready(self, what: str, outcome: tuple[list[Emerging], dt.date] | Failed) -> None:
        if isinstance(outcome, Failed):
            self._failed(outcome)
            return
        self.screen.activity = ""
        found, until = outcome

        def chosen(term: str | None) -> None:
            if term:
                self._set_query(f'"{term}"' if " " in term else term)

        self.screen.app.push_screen(EmergingScreen(found, until, what), chosen)

    def _set_query(self, query: str) -> None:
        screen = self.screen
        screen.filter_by(replace(screen.state.filters, query=query), show_query=True)
