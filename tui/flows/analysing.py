"""The analyst's views from the reading room: a story side by side, the results over time,
what is rising in them.

`AnalysisFlow` is held by the main screen, which forwards its messages. Both
views are computed in a worker (a story needs every article's signature, a
timeline the dates of every result) and shown as screens of their own
(`StoryScreen`, `TimelineScreen`); what is chosen there comes back here: an
article to open in the Reader, a period to add to the query.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input

from index import BriefingError

from .. import tasks
from ..messages import EmergingReady, StoryFound, TimelineReady
from ..widgets.search_box import SearchBox
from .emerging import BASELINE_DAYS, EMERGING_DAYS, EmergingScreen
from .host import Host
from .story import StoryScreen
from .timeline import TimelineScreen

STORIES_IN_BACKGROUND = 5000
"""Articles up to which stories are found at start-up (about a second at 5,000)."""
DATE_RANGE = re.compile(r"\s*date:\[\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\]")
"""A period chosen on the timeline, replaced by the next one chosen."""


class AnalysisFlow:
    """Opens the story and timeline views and applies what is chosen in them."""

    def __init__(self, host: Host, screen: Screen[None]) -> None:
        self.host = host
        self.screen = screen

    def find_stories_soon(self) -> None:
        """For a library of at most STORIES_IN_BACKGROUND articles, find its stories now, in
        the background, so the Reader lists an article's other coverage as it opens."""
        workspace = self.host.workspace

        def work() -> Message | None:
            try:
                if workspace.engine().article_count <= STORIES_IN_BACKGROUND:
                    workspace.stories()
            except BriefingError:
                pass  # only a head start: `S` says what is wrong
            return None

        self.host.in_thread("stories", work, True)

    def story(self) -> None:
        host = self.host
        article = host.open_article
        if article is None:
            host.tell("Open an article first (Enter in Articles).", severity="warning")
            return
        host.activity = "finding the story…"
        host.refresh_status()

        def work() -> Message | None:
            found = tasks.story_of(host.workspace, article.id)
            if isinstance(found, str):
                self.screen.app.call_from_thread(self._say, found)
                return None
            return found

        host.in_thread("story", work, True)

    def _say(self, reason: str) -> None:
        self.host.activity = ""
        self.host.refresh_status()
        self.host.tell(reason, timeout=5)

    def story_found(self, message: StoryFound) -> None:
        host = self.host
        host.activity = ""
        host.refresh_status()

        def chosen(article_id: str | None) -> None:
            if article_id:
                host.open_article_by_id(article_id)

        current = host.open_article.id if host.open_article else ""
        view = StoryScreen(message.story, message.articles, host.workspace, current)
        self.screen.app.push_screen(view, chosen)

    def _what(self) -> str:
        """The results on screen, in words: “query” in Theme from Source."""
        host = self.host
        request = host.search.request_for()
        what = f"“{request.query.strip()}”" if request.query.strip() else "every article"
        if request.theme and request.theme in host.workspace.themes:
            what += f" in {host.workspace.themes[request.theme].name}"
        if request.source:
            what += f" from {host.workspace.source(request.source).name}"
        return what

    def emerging(self) -> None:
        """What rose in the results' last two weeks (to their newest article)."""
        host = self.host
        request = host.search.request_for()
        what = self._what()
        host.activity = "finding what is rising…"
        host.refresh_status()

        def work() -> Message | None:
            try:
                until = host.workspace.newest_date(request) or dt.date.today()
                found = host.workspace.emerging(EMERGING_DAYS, until, BASELINE_DAYS,
                                                request.theme, request.query)  # fmt: skip
            except BriefingError as error:
                self.screen.app.call_from_thread(self._say, error.advice)
                return None
            return EmergingReady(found, until, what)

        host.in_thread("emerging", work, True)

    def emerging_ready(self, message: EmergingReady) -> None:
        host = self.host
        host.activity = ""
        host.refresh_status()

        def chosen(term: str | None) -> None:
            if term:
                self._set_query(f'"{term}"' if " " in term else term)

        self.screen.app.push_screen(EmergingScreen(message.found, message.until, message.what),
                                    chosen)  # fmt: skip

    def _set_query(self, query: str) -> None:
        host = self.host
        box = self.screen.query_one(SearchBox)
        with box.prevent(Input.Changed):
            box.value = query
        host.state = replace(host.state, query=query)
        host.run_search()

    def timeline(self) -> None:
        host = self.host
        request = host.search.request_for()
        what = self._what()

        def work() -> Message | None:
            try:
                return TimelineReady(host.workspace.timeline(request, periods=100), what)
            except BriefingError as error:
                self.screen.app.call_from_thread(host.tell, error.advice, severity="error")
                return None

        host.in_thread("timeline", work, True)

    def timeline_ready(self, message: TimelineReady) -> None:
        host = self.host

        def chosen(period: tuple[dt.date, dt.date] | None) -> None:
            if period is None:
                return
            first, last = period
            query = DATE_RANGE.sub("", host.state.query).strip()
            self._set_query(f"{query} date:[{first.isoformat()} to {last.isoformat()}]".strip())

        view = TimelineScreen(message.timeline, host.workspace, message.what)
        self.screen.app.push_screen(view, chosen)
