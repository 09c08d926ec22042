"""Searching from the reading room: the query as you type, results, facets, related.

`SearchFlow` is held by the main screen, which forwards the search messages
to it. One keystroke in the search box, hop by hop: `Input.Changed` →
`typed` → `run` starts a search worker with a `SearchRequest` and the
open article (at once when no search for an earlier prefix is running;
else when it ends, for the query as it is then: keys typed meanwhile are
folded into one search, never queued one by one) → `tasks.search` runs
`Workspace.search` (the query parsed once) and finds the result's terms
in the open article → `SearchFinished` → `finished` updates the list,
facets, status line and the Reader's highlights. No hop goes back to a
worker.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from functools import partial

from textual.screen import Screen

from index import SearchRequest
from index.models import Article, QueryTerms, SearchHit, SearchResult

from .. import tasks, trace
from ..messages import RelatedFound, SearchFailed, SearchFinished
from ..widgets.article_list import ArticleList
from ..widgets.facets import SourcesPane, ThemesPane, WhenWherePane
from ..widgets.reader import ArticleView
from .host import Host

STALE_TYPING = 2.0
"""Seconds after which a typing search that never answered no longer holds the next one back."""
PAGE = 25
"""Hits of a first page (with snippets): two screens at 120×40; more load as the cursor nears
the end."""


class SearchFlow:
    """The current search and its results; older answers are ignored."""

    def __init__(self, host: Host, screen: Screen[None]) -> None:
        self.host = host
        self.screen = screen
        self.result: SearchResult | None = None
        """The last first page of results shown."""
        self.related_to: Article | None = None
        self.literal = False
        """Search the query as typed, not its correction (Ctrl+L), until the query changes."""
        self.hint = ""
        """What the status line offers about the results: a correction, or the literal query."""
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
        self.related_to = None
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

    def worker_failed(self) -> None:
        """A search worker failed unexpectedly: the next keys are not held back by it."""
        request = self._typing_request
        if request is not None:
            self._typing_ended(request)

    def submitted(self) -> None:
        """Enter in the box: the query is complete; search it as it is (last word exact)."""
        self._retype = False
        if self._typing or self.result is None or self.result.query != self.host.state.query:
            self.run()
            self._hold_keys()

    def _hold_keys(self) -> None:
        """Keys typed after Enter act on this query's results: they wait for them."""
        holds = getattr(self.screen.app, "key_holds", None)
        if holds is not None:
            self._held = self._request
            holds.hold("results")

    def _release_keys(self) -> None:
        holds = getattr(self.screen.app, "key_holds", None)
        if holds is not None:
            holds.release("results")

    def request_for(self, offset: int = 0, typing: bool = False) -> SearchRequest:
        """The search the screen shows: the query and filters of the current state."""
        state = self.host.state
        hide = state.read if state.unread_only else frozenset()
        return SearchRequest(state.query, state.source, state.theme, state.place, state.year,
                             hide, limit=PAGE, offset=offset, typing=typing,
                             literal=self.literal)  # fmt: skip

    def run(self, typing: bool = False) -> None:
        """A fresh search for the current query and filters."""
        if self.host.index_ready:
            self._request += 1
            self._typing = typing
            self._typing_request = self._request if typing else None
            self._typing_started = time.monotonic()
            request = self.request_for(typing=typing)
            trace.stamp("started", self._request, request.query)
            work = partial(tasks.search, self.host.workspace, request, self._request,
                           self.host.open_article)  # fmt: skip
            self.host.in_thread("search", work, True)

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
        """The next page of the list on screen (ignored if a newer search replaces it)."""
        if self.related_to is None and self.host.index_ready:
            request = self.request_for(offset=loaded, typing=self._typing)
            work = partial(tasks.search, self.host.workspace, request, self._request, None)
            self.host.in_thread("page", work, True)

    def terms_for(self, query: str) -> QueryTerms | None:
        """The parsed terms of the last search when it was for `query`."""
        result = self.result
        return result.terms if result is not None and result.query == query else None

    def finished(self, message: SearchFinished) -> None:
        if not message.append:
            self.screen.call_later(self._typing_ended, message.request)  # after it is shown
        if message.request >= self._held:
            self._release_keys()
        if message.request != self._request or self.related_to is not None:
            return
        host = self.host
        result = message.result
        if not message.append:
            self.result = result
            if host.activity in ("opening the index…", "searching…"):
                host.activity = ""
        host.error = ""
        with_snippets = bool(host.state.query.strip())
        self.show_hits(result.hits, result.total, with_snippets, append=message.append)
        if not message.append:
            self.show_facets(result)
            reader = self.screen.query_one(ArticleView)
            shown = reader.article.id if reader.article else None
            if message.matches is not None and message.article_id == shown:
                reader.set_matches(message.matches)
            self.hint = _hint(result)
        host.refresh_status()
        if not message.append:
            host.results_shown()
            trace.stamp("updated", message.request)

    def failed(self, message: SearchFailed) -> None:
        self._typing_ended(message.request)
        self._release_keys()
        if message.request != self._request:
            return
        if message.message != self.host.error:
            self.host.tell(message.message, title="Query", severity="error", timeout=4)
        self.host.error = message.message
        self.host.refresh_status()

    # -- related articles ----------------------------------------------------------------

    def related(self, article: Article) -> None:
        self.host.activity = "finding related articles…"
        self.host.refresh_status()
        self._request += 1
        work = partial(tasks.related, self.host.workspace, article, PAGE, self._request)
        self.host.in_thread("related", work, True)

    def related_found(self, message: RelatedFound) -> None:
        if message.request != self._request:
            return
        self.related_to = message.article
        self.host.activity = ""
        self.show_hits(message.hits, len(message.hits), empty_message="No related articles.")
        self.host.action_focus_pane("articles")
        self.host.refresh_status()

    def leave_related(self) -> bool:
        """Back from related articles to the search; False when not showing them."""
        if self.related_to is None:
            return False
        self.related_to = None
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
        host = self.host
        self.screen.query_one(ArticleList).show(
            hits, total, read=host.state.read, sources=host.workspace.sources,
            marks=host.marks, with_snippets=with_snippets, append=append,
            empty_message=empty_message, new=frozenset(host.new_articles()),
        )  # fmt: skip

    def show_source_counts(self) -> None:
        """The Sources pane again: its counts, and each source's new articles not yet read."""
        facets = self.result.facets if self.result else None
        host = self.host
        new = Counter(host.new_articles().values())
        self.screen.query_one(SourcesPane).show(
            host.workspace.sources, facets.sources if facets else {}, host.state.source, new
        )

    def show_facets(self, result: SearchResult | None) -> None:
        facets = result.facets if result else None
        host = self.host
        self.show_source_counts()
        self.screen.query_one(ThemesPane).show(
            host.workspace.themes,
            facets.themes if facets else {},
            facets.theme_months if facets else {},
            host.marks,
            host.state.theme,
            facets.months if facets else (),
        )
        self.screen.query_one(WhenWherePane).show(
            facets.years if facets else {},
            facets.places if facets else {},
            host.state.year,
            host.state.place,
        )


def _hint(result: SearchResult) -> str:
    """The status line's offer about a finished search's results."""
    if result.shown_for is not None:
        return f"showing results for “{result.shown_for}” · Ctrl+L: “{result.query}” as typed"
    if result.suggestion:
        return f"did you mean “{result.suggestion}”? Ctrl+Y"
    return ""
