"""The reading room screen: one search box over the panes, a status line, the footer.

The screen coordinates: widgets post messages (ArticleChosen, FilterToggled),
thread workers run the blocking calls in `tui.tasks` and post their results
back, and the screen updates the panes and the saved reading state.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import replace
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.timer import Timer
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState

from index.models import Article, SearchHit, SearchResult
from index.state import ReadingState, StateStore
from index.storage import LockTimeout
from index.workspace import Workspace

from .. import tasks
from ..marks import theme_marks
from ..messages import (
    ArticleChosen,
    ArticleLoaded,
    FilterToggled,
    IndexFailed,
    IndexProgress,
    IndexUpdated,
    MatchesFound,
    RelatedFound,
    SearchFailed,
    SearchFinished,
    StateSaved,
)
from ..widgets.article_list import ArticleList, MoreWanted
from ..widgets.facets import SourcesPane, ThemesPane
from ..widgets.reader import ArticleView
from ..widgets.reading_room import PANES, ReadingRoom
from ..widgets.search_box import SearchBox
from ..widgets.status_line import StatusLine
from .annotating import AnnotatingScreen

CYCLE = ("search", *PANES)
PAGE = 50
DEBOUNCE = 0.15
SAVE_DELAY = 0.5
PROBLEMS_SHOWN = 3


class MainScreen(AnnotatingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search"),
        Binding("1", "focus_pane('sources')", "Panes", key_display="1-5"),
        Binding("2", "focus_pane('themes')", "Themes", show=False),
        Binding("3", "focus_pane('articles')", "Articles", show=False),
        Binding("4", "focus_pane('reader')", "Reader", show=False),
        Binding("5", "focus_pane('notes')", "Notes", show=False),
        Binding("tab", "cycle(1)", "Next pane", show=False),
        Binding("shift+tab", "cycle(-1)", "Previous pane", show=False),
        Binding("r", "related", "Related"),
        Binding("x", "clear_all", "Clear", show=False),
        Binding("u", "toggle_read", "Read", show=False),
        Binding("n", "match(1)", "Next match"),
        Binding("N", "match(-1)", "Previous match", show=False),
        Binding("escape", "escape", "Clear query", show=False),
    ]

    def __init__(self, workspace: Workspace, store: StateStore, update_index: bool = True) -> None:
        super().__init__()
        self.workspace = workspace
        self.store = store
        self.update_index = update_index
        self.state = ReadingState()
        self.marks = theme_marks(workspace.themes)
        self.result: SearchResult | None = None
        self.related_to: Article | None = None
        self.open_article: Article | None = None
        self.index_ready = False
        self.activity = ""
        self.error = ""
        self._request = 0
        self._article_request = 0
        self._debounce: Timer | None = None
        self._save_timer: Timer | None = None
        self._read_changes: dict[str, bool] = {}
        """Read/unread marks set since the last save, applied to the file's marks on saving."""
        self._matches_query = ""
        self._check_index_after_results = False

    def compose(self) -> ComposeResult:
        yield SearchBox(placeholder='/ Search: words, "phrases", prefix*, place:…', id="search")
        yield ReadingRoom(id="room")
        yield StatusLine(id="status")
        yield Footer(compact=True)

    @property
    def room(self) -> ReadingRoom:
        return self.query_one(ReadingRoom)

    def tell(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> None:
        """A notification whose text is shown as is: it often quotes untrusted input."""
        self.notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_mount(self) -> None:
        self.state = self.store.load()
        if self.state.theme and self.state.theme not in self.workspace.themes:
            self.state = replace(self.state, theme=None)
        if self.workspace.read_only:
            message = f"Read-only session: {self.workspace.read_only}. Nothing will be saved."
            self.tell(message, severity="warning", timeout=10)
        elif self.store.problem:
            message = f"{self.store.problem}. Reading state will not be saved."
            self.tell(message, severity="warning")
        search = self.query_one(SearchBox)
        with search.prevent(Input.Changed):
            search.value = self.state.query
        self.query_one(ArticleList).focus()
        self.index_ready = self.workspace.indexer.open_index() is not None
        if self.index_ready:
            self.run_search()
            if self.state.article:
                self.open_article_by_id(self.state.article, quiet=True)
        else:
            self._show_hits([], 0, empty_message="Building the index…")
        self._show_facets(None)
        # With an index, results come first; checking it for changes waits for them.
        self._check_index_after_results = self.update_index and self.index_ready
        if not self.index_ready:
            self.sync_index()
        self.refresh_status()

    # -- actions --------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one(SearchBox))  # at once: the keys typed next go to the box

    def action_focus_pane(self, pane: str) -> None:
        self.room.focus_pane(pane)

    def action_cycle(self, step: int) -> None:
        current = self.room.pane_of(self.focused) or "search"
        target = CYCLE[(CYCLE.index(current) + step) % len(CYCLE)]
        if target == "search":
            self.action_focus_search()
        else:
            self.action_focus_pane(target)

    def action_escape(self) -> None:
        """Outside the search box: leave related articles, else clear the query."""
        if self.related_to is not None:
            self.related_to = None
            self.run_search()
        elif self.query_one(SearchBox).value:
            self.query_one(SearchBox).value = ""

    def action_clear_all(self) -> None:
        self.related_to = None
        search = self.query_one(SearchBox)
        with search.prevent(Input.Changed):
            search.value = ""
        self.state = replace(self.state, query="", source=None, theme=None)
        self.run_search()
        self.save_soon()

    def action_toggle_read(self) -> None:
        articles = self.query_one(ArticleList)
        in_list = self.room.pane_of(self.focused) == "articles"
        target = articles.highlighted_id if in_list else None
        target = target or (self.open_article.id if self.open_article else articles.highlighted_id)
        if target is not None:
            self._set_read(target, target not in self.state.read)

    def action_related(self) -> None:
        if self.open_article is None:
            self.tell("Open an article first (Enter in Articles).", severity="warning")
            return
        self.activity = "finding related articles…"
        self.refresh_status()
        self._request += 1
        self.find_related(self.open_article, self._request)

    def action_match(self, direction: int) -> None:
        if self.open_article is not None:
            self.query_one(ArticleView).action_match(direction)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Match keys only appear (and work) while an article is open."""
        if action == "match":
            return self.open_article is not None
        return True

    # -- searching ------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def query_changed(self, event: Input.Changed) -> None:
        self.state = replace(self.state, query=event.value)
        self.related_to = None
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE, self.run_search)

    @on(Input.Submitted, "#search")
    def query_submitted(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self.run_search()
        self.action_focus_pane("articles")

    @on(SearchBox.Left)
    def search_left(self) -> None:
        self.action_focus_pane("articles")

    @on(FilterToggled)
    def filter_toggled(self, message: FilterToggled) -> None:
        self.toggle_filter(message.kind, message.value)

    def toggle_filter(self, kind: str, value: str) -> None:
        """Switch a source or theme filter on, or off when it is the active one."""
        if kind == "source":
            self.state = replace(self.state, source=None if self.state.source == value else value)
        else:
            self.state = replace(self.state, theme=None if self.state.theme == value else value)
        self.related_to = None
        self.run_search()
        self.save_soon()

    def run_search(self) -> None:
        """A fresh search for the current query and filters; older results are ignored."""
        if self.index_ready:
            self._request += 1
            self.search_worker(self._request, self.state, 0)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def search_worker(self, request: int, state: ReadingState, offset: int) -> None:
        found = tasks.search(
            self.workspace, request, state.query, state.source, state.theme, offset, PAGE
        )
        self.post_message(found)

    @on(SearchFinished)
    def search_finished(self, message: SearchFinished) -> None:
        if message.request != self._request or self.related_to is not None:
            return
        result = self.result = message.result
        self.error = ""
        with_snippets = bool(self.state.query.strip())
        self._show_hits(result.hits, result.total, with_snippets, append=message.append)
        if not message.append:
            self._show_facets(result)
            self._refresh_matches()
            if result.suggestion and result.total == 0:
                self.error = f"nothing found; did you mean “{result.suggestion}”?"
        self.refresh_status()
        self.save_soon()
        if self._check_index_after_results:
            self._check_index_after_results = False
            self.sync_index()

    @on(SearchFailed)
    def search_failed(self, message: SearchFailed) -> None:
        if message.request != self._request:
            return
        if message.message != self.error:
            self.tell(message.message, title="Query", severity="error", timeout=4)
        self.error = message.message
        self.refresh_status()

    @on(MoreWanted)
    def more_wanted(self, message: MoreWanted) -> None:
        """The next page of the list on screen (ignored if a newer search replaces it)."""
        if self.related_to is None and self.index_ready:
            self.page_worker(self._request, self.state, message.loaded)

    @work(thread=True, exclusive=True, group="page", exit_on_error=False)
    def page_worker(self, request: int, state: ReadingState, offset: int) -> None:
        found = tasks.search(
            self.workspace, request, state.query, state.source, state.theme, offset, PAGE
        )
        self.post_message(found)

    def _show_hits(
        self,
        hits: Iterable[SearchHit],
        total: int,
        with_snippets: bool = False,
        append: bool = False,
        empty_message: str = "No articles match.",
    ) -> None:
        self.query_one(ArticleList).show(
            hits, total, read=self.state.read, sources=self.workspace.sources,
            marks=self.marks, with_snippets=with_snippets, append=append,
            empty_message=empty_message,
        )  # fmt: skip

    def _show_facets(self, result: SearchResult | None) -> None:
        facets = result.facets if result else None
        self.query_one(SourcesPane).show(
            self.workspace.sources, facets.sources if facets else {}, self.state.source
        )
        self.query_one(ThemesPane).show(
            self.workspace.themes,
            facets.themes if facets else {},
            facets.theme_months if facets else {},
            self.marks,
            self.state.theme,
            facets.months if facets else (),
        )

    # -- opening articles -------------------------------------------------------------------

    @on(ArticleChosen)
    def article_chosen(self, message: ArticleChosen) -> None:
        self.open_article_by_id(message.article_id)

    def open_article_by_id(self, article_id: str, quiet: bool = False) -> None:
        """Open an article in the Reader; `quiet` restores it without moving the focus."""
        self._article_request += 1
        self.article_worker(self._article_request, article_id, self.state.query, quiet)

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def article_worker(self, request: int, article_id: str, query: str, quiet: bool) -> None:
        outcome = tasks.open_article(self.workspace, article_id, query, not quiet, request)
        if isinstance(outcome, ArticleLoaded):
            self.post_message(outcome)
        elif not quiet:
            self.app.call_from_thread(self.tell, outcome, severity="error")

    @on(ArticleLoaded)
    def article_loaded(self, message: ArticleLoaded) -> None:
        if message.request != self._article_request:
            return
        article = self.open_article = message.article
        source = self.workspace.source(article.source)
        self.query_one(ArticleView).show(article, source, self.workspace.themes, message.matches)
        self.show_notes(article, message.notes)
        self.state = replace(self.state, article=article.id)
        self._matches_query = message.query
        self.refresh_bindings()
        if message.focus:
            self.action_focus_pane("reader")
        self._set_read(article.id, True)

    def _refresh_matches(self) -> None:
        """Highlight the new query's words in the open article."""
        if self.open_article is not None and self._matches_query != self.state.query:
            self._matches_query = self.state.query
            self.find_matches(self.open_article, self.state.query)

    @work(thread=True, exclusive=True, group="matches", exit_on_error=False)
    def find_matches(self, article: Article, query: str) -> None:
        self.post_message(tasks.find_matches(self.workspace, article, query))

    @on(MatchesFound)
    def matches_found(self, message: MatchesFound) -> None:
        reader = self.query_one(ArticleView)
        same_article = reader.article is not None and reader.article.id == message.article_id
        if same_article and message.query == self.state.query:
            reader.set_matches(message.matches)

    def _set_read(self, article_id: str, read: bool) -> None:
        self.state = self.state.with_read(article_id, read)
        self._read_changes[article_id] = read
        self.query_one(ArticleList).set_read(self.state.read)
        self.save_soon()

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def find_related(self, article: Article, request: int) -> None:
        self.post_message(tasks.related(self.workspace, article, PAGE, request))

    @on(RelatedFound)
    def related_found(self, message: RelatedFound) -> None:
        if message.request != self._request:
            return
        self.related_to = message.article
        self.activity = ""
        self._show_hits(message.hits, len(message.hits), empty_message="No related articles.")
        self.action_focus_pane("articles")
        self.refresh_status()

    # -- the index ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def sync_index(self) -> None:
        outcome = tasks.update_index(self.workspace, self.index_ready, self.post_message)
        if outcome is not None:
            self.post_message(outcome)

    @on(IndexProgress)
    def index_progress(self, message: IndexProgress) -> None:
        if message.total:
            self.activity = f"indexing {message.done}/{message.total}"
        else:
            self.activity = "checking the index…"
        self.refresh_status()

    @on(IndexUpdated)
    def index_updated(self, message: IndexUpdated) -> None:
        self.activity = ""
        self.index_ready = True
        self.run_search()
        if message.report.changed and self.open_article is None and self.state.article:
            self.open_article_by_id(self.state.article, quiet=True)
        problems = self.workspace.problems()
        for problem in problems[:PROBLEMS_SHOWN]:
            self.tell(str(problem), title="Content problem", severity="warning", timeout=8)
        if len(problems) > PROBLEMS_SHOWN:
            more = len(problems) - PROBLEMS_SHOWN
            message_text = f"…and {more} more: run `briefing index` to list them."
            self.tell(message_text, severity="warning", timeout=8)
        self.refresh_status()

    @on(IndexFailed)
    def index_failed(self, message: IndexFailed) -> None:
        self.activity = ""
        self.tell(message.message, title="Index", severity="error")
        self.refresh_status()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.activity = ""
            self.tell(str(event.worker.error), title="Error", severity="error")
            self.refresh_status()

    # -- status and state -------------------------------------------------------------------------

    def refresh_status(self) -> None:
        source = self.workspace.source(self.state.source).name if self.state.source else None
        theme = self.workspace.themes.get(self.state.theme or "")
        articles = self.query_one(ArticleList)
        self.query_one(StatusLine).update_status(
            query=self.state.query.strip(), source=source,
            theme=theme.name if theme else self.state.theme,
            related_to=self.related_to.title if self.related_to else None,
            shown=len(articles.hits), total=articles.total,
            activity=self.activity, error=self.error,
        )  # fmt: skip

    def save_soon(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.save_state)

    def save_state(self) -> None:
        changes, self._read_changes = self._read_changes, {}
        self.save_worker(self.state, changes)

    @work(thread=True, group="state", exit_on_error=False)
    def save_worker(self, state: ReadingState, changes: dict[str, bool]) -> None:
        try:
            written = self.store.save(state, changes)
        except (OSError, LockTimeout) as error:
            self.post_message(StateSaved(changes, None, f"Cannot save the reading state: {error}"))
            return
        if written is not None:
            self.post_message(StateSaved(changes, written))

    @on(StateSaved)
    def state_saved(self, message: StateSaved) -> None:
        """Take in marks other instances changed; keep changes that failed to save."""
        if message.written is None:
            self.tell(message.problem, severity="error")
            self._read_changes = {**message.changes, **self._read_changes}
            return
        read = set(message.written.read)
        for article_id, is_read in self._read_changes.items():  # made since this save began
            (read.add if is_read else read.discard)(article_id)
        if read != self.state.read:
            self.state = replace(self.state, read=frozenset(read))
            self.query_one(ArticleList).set_read(self.state.read)

    def on_unmount(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        # The app is closing: if the file is busy, the last debounced save stands.
        with contextlib.suppress(OSError, LockTimeout):
            self.store.save(self.state, self._read_changes, wait=2.0)
