"""Searching from the reading room: the query as you type, results, facets, related.

One keystroke in the search box, hop by hop: `Input.Changed` reaches the
screen (`MainScreen.query_changed`, the one hop through it), which stores
the query in its state and calls `typed` → `run` starts a search worker
(`tasks.search`, in the "search" group: it cancels an older search) with a
`SearchRequest` of the state's `Filters` and the open article — at once when
no search for an earlier prefix is running, else when that one ends, for
the query as it is then (keys typed meanwhile fold into one search, never
queue one by one) → the worker runs `Workspace.search` and finds the
result's terms in the open article → `_finished`, its continuation, shows
the list, the facets and the Reader's highlights, and sets the screen's
reactive `hint` and `listed`, which the status line watches.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from index import SearchRequest
from index.models import Article, QueryTerms, SearchHit, SearchResult

from .. import tasks, trace
from ..tasks import Found
from ..widgets.article_list import ArticleList
from ..widgets.facets import SourcesPane, ThemesPane, WhenWherePane
from ..widgets.reader import ArticleView
from ..work import Failed

if TYPE_CHECKING:
    from ..screens.main import MainScreen

STALE_TYPING = 2.0
"""Seconds after which a typing search that never answered no longer holds the next one back."""
PAGE = 25
"""Hits of a first page (with snippets): two screens at 120×40; more load as the cursor nears
the end."""
QUIET_ACTIVITIES = ("opening the index…", "searching…")
"""Activities that end when results arrive."""


class SearchFlow:
    """The current search and its results; older answers are dropped."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.result: SearchResult | None = None
        """The last first page of results shown."""
        self.literal = False
        """Search the query as typed, not its correction (Ctrl+L), until the query changes."""
        self._typing = False
        self._held = -1
        self._request = 0
        self._typing_request: int | None = None
        """The search for a prefix being typed that is still running."""
        self._retype = False
        """The query changed while that search ran: search again when it ends."""
        self._typing_started = 0.0

    def typed(self) -> None:
        """The query changed: search it now (last word as a prefix), or after the one running."""
        self.screen.related_to = None
        self.literal = False
        stale = time.monotonic() - self._typing_started > STALE_TYPING
        if self._typing_request is None or stale:
            self.run(typing=True)
        else:
            self._retype = True

    def _typing_ended(self, request: int) -> None:
        """A search ended: if it was the typing one and keys came meanwhile, search again."""
        if request != self._typing_request:
            return
        self._typing_request = None
        if self._retype:
            self._retype = False
            self.run(typing=True)

    def submitted(self) -> None:
        """Enter in the box: the query is complete; search it as it is (last word exact)."""
        self._retype = False
        query = self.screen.state.filters.query
        if self._typing or self.result is None or self.result.query != query:
            self.run()
            self._held = self._request
            self.screen.hold_keys("results")  # keys typed after Enter act on these results

    def request_for(self, offset: int = 0, typing: bool = False) -> SearchRequest:
        """The search the screen shows: the filters of the current state."""
        state = self.screen.state
        return SearchRequest(
            state.filters,
            state.hidden,
            limit=PAGE,
            offset=offset,
            typing=typing,
            literal=self.literal,
        )

    def run(self, typing: bool = False) -> None:
        """A fresh search for the current query and filters (an older one is cancelled)."""
        screen = self.screen
        if not screen.index_ready:
            return
        self._request += 1
        ticket = self._request
        self._typing = typing
        self._typing_request = ticket if typing else None
        self._typing_started = time.monotonic()
        request = self.request_for(typing=typing)
        trace.stamp("started", ticket, request.filters.query)
        work = partial(tasks.search, screen.workspace, request, screen.open_article, ticket)
        screen.in_thread("search", work, partial(self._finished, ticket, False))

    def suggestion(self) -> str | None:
        """The correction the last results offer, if any."""
        return self.result.suggestion if self.result is not None else None

    def search_literally(self) -> bool:
        """Show what the query itself finds rather than its correction's; False if shown already."""
        result = self.result
        if result is None or result.shown_for is None:
            return False
        self.literal = True
        self.run()
        return True

    def more(self, loaded: int) -> None:
        """The next page of the list on screen (dropped if a newer search replaces it)."""
        screen = self.screen
        if screen.related_to is None and screen.index_ready:
            request = self.request_for(offset=loaded, typing=self._typing)
            work = partial(tasks.search, screen.workspace, request, None, self._request)
            screen.in_thread("page", work, partial(self._finished, self._request, True))

    def terms_for(self, query: str) -> QueryTerms | None:
        """The parsed terms of the last search when it was for `query`."""
        result = self.result
        return result.terms if result is not None and result.query == query else None

    def _finished(self, request: int, append: bool, outcome: Found | Failed) -> None:
        screen = self.screen
        if isinstance(outcome, Failed):
            screen.release_keys("results")
            self._typing_ended(request)
            if request == self._request:
                if outcome.message != screen.error:
                    title = "Error" if outcome.unexpected else "Query"
                    screen.tell(outcome.message, title=title, severity="error", timeout=4)
                screen.error = outcome.message
            return
        if request >= self._held:
            screen.release_keys("results")
        if not append:
            screen.call_later(self._typing_ended, request)  # after the results are shown
        if request != self._request or screen.related_to is not None:
            return
        result = outcome.result
        if not append:
            self.result = result
            if screen.activity in QUIET_ACTIVITIES:
                screen.activity = ""
        screen.error = ""
        with_snippets = bool(screen.state.filters.query.strip())
        self.show_hits(result.hits, result.total, with_snippets, append=append)
        if append:
            return
        self.show_facets(result)
        reader = screen.query_one(ArticleView)
        shown = reader.article.id if reader.article else None
        if outcome.matches is not None and outcome.article_id == shown:
            reader.set_matches(outcome.matches)
        screen.hint = _hint(result)
        screen.results_shown()
        trace.stamp("updated", request)

    # -- related articles ----------------------------------------------------------------

    def related(self, article: Article) -> None:
        screen = self.screen
        screen.activity = "finding related articles…"
        self._request += 1
        ticket = self._request
        work = partial(screen.workspace.related, article.id, PAGE)
        screen.in_thread("related", work, partial(self._related_found, ticket, article))

    def _related_found(
        self, request: int, article: Article, outcome: tuple[SearchHit, ...] | Failed
    ) -> None:
        screen = self.screen
        if request != self._request:
            return
        screen.activity = ""
        if isinstance(outcome, Failed):
            screen.tell(outcome.message, severity="error")
            return
        screen.related_to = article
        self.show_hits(outcome, len(outcome), empty_message="No related articles.")
        screen.focus_pane("articles")

    def leave_related(self) -> bool:
        """Back from related articles to the search; False when not showing them."""
        if self.screen.related_to is None:
            return False
        self.screen.related_to = None
        self.run()
        return True

    # -- showing --------------------------------------------------------------------------

    def show_hits(
        self,
        hits: Iterable[SearchHit],
        total: int,
        with_snippets: bool = False,
        append: bool = False,
        empty_message: str = "No articles match.",
    ) -> None:
        screen = self.screen
        articles = screen.query_one(ArticleList)
        articles.show(
            hits,
            total,
            read=screen.state.read,
            sources=screen.workspace.sources,
            marks=screen.marks,
            with_snippets=with_snippets,
            append=append,
            empty_message=empty_message,
            new=frozenset(screen.fetching.unread_new()),
        )
        counted = articles.total if self.result is not None else None
        screen.listed = (len(articles.hits), counted)

    def show_source_counts(self) -> None:
        """The Sources pane again: its counts, and each source's new articles not yet read."""
        facets = self.result.facets if self.result else None
        screen = self.screen
        new = Counter(screen.fetching.unread_new().values())
        screen.query_one(SourcesPane).show(
            screen.workspace.sources,
            facets.sources if facets else {},
            screen.state.filters.source,
            new,
        )

    def show_facets(self, result: SearchResult | None) -> None:
        facets = result.facets if result else None
        screen = self.screen
        chosen = screen.state.filters
        self.show_source_counts()
        screen.query_one(ThemesPane).show(
            screen.workspace.themes,
            facets.themes if facets else {},
            facets.theme_months if facets else {},
            screen.marks,
            chosen.theme,
            facets.months if facets else (),
        )
        screen.query_one(WhenWherePane).show(
            facets.years if facets else {},
            facets.places if facets else {},
            chosen.year,
            chosen.place,
        )


def _hint(result: SearchResult) -> str:
    """The status line's offer about a finished search's results."""
    if result.shown_for is not None:
        return f"showing results for “{result.shown_for}” · Ctrl+L: “{result.query}” as typed"
    if result.suggestion:
        return f"did you mean “{result.suggestion}”? Ctrl+Y"
    return ""
