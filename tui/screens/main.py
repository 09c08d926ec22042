"""The reading room screen: one search box over the panes, a status line, the footer.

The screen coordinates: widgets post messages (ArticleChosen, FilterToggled),
thread workers run the blocking calls in `tui.tasks` and post their results
back, and the screen updates the panes and the saved reading state. The
annotation workflow is `AnnotationFlow`'s; saving the reading state is
`StateKeeper`'s; searching is `SearchFlow`'s (its docstring follows one
keystroke from the box to the screen); grading sources and editing themes
is `CurationFlow`'s.

"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState

from index import ReadingState, StateStore, Workspace
from index.models import Article, SearchResult

from .. import tasks
from ..marks import theme_marks
from ..messages import (
    ArticleChosen,
    ArticleLoaded,
    CorpusNotesLoaded,
    CurationSaved,
    EmergingReady,
    FetchDone,
    FetchFailed,
    FetchProgressed,
    FilterToggled,
    GradeRequested,
    IndexFailed,
    IndexProgress,
    IndexUpdated,
    NotesChanged,
    NotesFailed,
    NotesLoaded,
    RelatedFound,
    SearchFailed,
    SearchFinished,
    StateSaved,
    StoryFound,
    ThemeEditRequested,
    ThemeMembershipToggled,
    TimelineReady,
)
from ..render import story_line
from ..widgets.article_list import ArticleList, MoreWanted
from ..widgets.notes import NoteAction, NotesModeToggled, NoteUndo
from ..widgets.reader import AnnotateRequested, ArticleView
from ..widgets.reading_room import PANES, ReadingRoom
from ..widgets.search_box import SearchBox
from ..widgets.status_line import StatusLine
from .analysing import AnalysisFlow
from .annotations import AnnotationFlow
from .curating import CurationFlow
from .fetching import FetchFlow
from .indexing import IndexFlow
from .reading_state import StateKeeper
from .searching import SearchFlow

CYCLE = ("search", *PANES)


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", id="search"),
        Binding("1", "focus_pane('sources')", "Panes", key_display="1-6", id="pane.sources"),
        Binding("2", "focus_pane('themes')", "Themes", show=False, id="pane.themes"),
        Binding("3", "focus_pane('articles')", "Articles", show=False, id="pane.articles"),
        Binding("4", "focus_pane('reader')", "Reader", show=False, id="pane.reader"),
        Binding("5", "focus_pane('notes')", "Notes", show=False, id="pane.notes"),
        Binding("6", "focus_pane('when')", "Years · places", show=False, id="pane.when"),
        Binding("tab", "cycle(1)", "Next pane", show=False, id="pane.next"),
        Binding("shift+tab", "cycle(-1)", "Previous pane", show=False, id="pane.previous"),
        Binding("r", "related", "Related", id="related"),
        Binding("x", "clear_all", "Clear", show=False, id="clear"),
        Binding("u", "toggle_read", "Read", show=False, id="read"),
        Binding("U", "unread_only", "Unread only", show=False, id="view.unread"),
        Binding("n", "match(1)", "Next match", id="match.next"),
        Binding("N", "match(-1)", "Previous match", show=False, id="match.previous"),
        Binding("e", "export", "Export", show=False, id="export"),
        Binding("f", "fetch", "Fetch", show=False, id="fetch"),  # the footer is full at 80
        Binding("S", "story", "Story", show=False, id="story"),
        Binding("T", "timeline", "Timeline", show=False, id="timeline"),
        Binding("E", "emerging", "Emerging", show=False, id="emerging"),
        Binding("ctrl+y", "accept_suggestion", "Did you mean", show=False, id="suggestion.accept"),
        Binding("ctrl+l", "literal", "As typed", show=False, id="suggestion.literal"),
        Binding("escape", "escape", "Clear query", show=False, id="escape"),
    ]

    def __init__(self, workspace: Workspace, store: StateStore, update_index: bool = True) -> None:
        super().__init__()
        self.workspace = workspace
        self.update_index = update_index
        self.state = ReadingState()
        self.keeper = StateKeeper(store, self)
        self.notes_flow = AnnotationFlow(self, self)
        self.indexing = IndexFlow(self)
        self.marks = theme_marks(workspace.themes)
        self.search = SearchFlow(self, self)
        self.curation = CurationFlow(self, self)
        self.fetching = FetchFlow(self)
        self.analysis = AnalysisFlow(self, self)
        self.open_article: Article | None = None
        self.index_ready = False
        self.activity = ""
        self.error = ""
        self._article_request = 0
        self._check_index_after_results = False
        self._stories_found = False

    def compose(self) -> ComposeResult:
        yield SearchBox(placeholder='/ Search: words, "phrases", prefix*, place:…', id="search")
        yield ReadingRoom(id="room")
        yield StatusLine(id="status")
        yield Footer(compact=True)

    @property
    def room(self) -> ReadingRoom:
        return self.query_one(ReadingRoom)

    @property
    def store(self) -> StateStore:
        return self.keeper.store

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

    def in_thread(self, group: str, work: Callable[[], Message | None], exclusive: bool) -> None:
        """Run `work` in a thread worker of `group`; post the message it returns."""

        def run() -> None:
            message = work()
            if message is not None:
                self.post_message(message)

        self.run_worker(run, thread=True, group=group, exclusive=exclusive, exit_on_error=False)

    def on_mount(self) -> None:
        self.state = self.keeper.load()
        self.fetching.load()
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
        self.activity = "opening the index…" if self.index_ready else "building the index…"
        if self.index_ready:
            self.run_search()
            if self.state.article:
                self.open_article_by_id(self.state.article, quiet=True)
        else:
            self.search.show_hits([], 0, empty_message="Building the index… (progress below)")
        self.search.show_facets(None)
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
        if not self.search.leave_related() and self.query_one(SearchBox).value:
            self.query_one(SearchBox).value = ""

    def action_clear_all(self) -> None:
        self.search.related_to = None
        search = self.query_one(SearchBox)
        with search.prevent(Input.Changed):
            search.value = ""
        self.state = replace(self.state, query="", source=None, theme=None, year=None,
                             place=None, unread_only=False)  # fmt: skip
        self.run_search()
        self.keeper.save_soon()

    def action_toggle_read(self) -> None:
        articles = self.query_one(ArticleList)
        in_list = self.room.pane_of(self.focused) == "articles"
        target = articles.highlighted_id if in_list else None
        target = target or (self.open_article.id if self.open_article else articles.highlighted_id)
        if target is not None:
            self.set_read(target, target not in self.state.read)

    def action_unread_only(self) -> None:
        """Show only the articles not yet read, or every article again."""
        self.state = replace(self.state, unread_only=not self.state.unread_only)
        self.tell("Only unread articles." if self.state.unread_only else "Read articles too.",
                  timeout=2)  # fmt: skip
        self.run_search()
        self.keeper.save_soon()

    def action_related(self) -> None:
        if self.open_article is None:
            self.tell("Open an article first (Enter in Articles).", severity="warning")
            return
        self.search.related(self.open_article)

    def action_match(self, direction: int) -> None:
        if self.open_article is not None:
            self.query_one(ArticleView).action_match(direction)

    def action_export(self) -> None:
        self.notes_flow.export()

    def new_articles(self) -> dict[str, str]:
        return self.fetching.unread_new(self.state.read)

    def action_story(self) -> None:
        """The open article's story, its sources side by side (see AnalysisFlow)."""
        self.analysis.story()

    def action_timeline(self) -> None:
        """The results on screen over time, by source (see AnalysisFlow)."""
        self.analysis.timeline()

    def action_emerging(self) -> None:
        """What rose in the results' last two weeks (see AnalysisFlow)."""
        self.analysis.emerging()

    @on(EmergingReady)
    def emerging_ready(self, message: EmergingReady) -> None:
        self.analysis.emerging_ready(message)

    @on(StoryFound)
    def story_found(self, message: StoryFound) -> None:
        self.analysis.story_found(message)

    @on(TimelineReady)
    def timeline_ready(self, message: TimelineReady) -> None:
        self.analysis.timeline_ready(message)

    def action_fetch(self) -> None:
        """Fetch the feeds in the background (see FetchFlow)."""
        self.fetching.start()

    def action_accept_suggestion(self) -> None:
        """Search the correction the results offer ("did you mean")."""
        suggestion = self.search.suggestion()
        if suggestion is None:
            self.tell("No correction to accept.", timeout=2)
            return
        box = self.query_one(SearchBox)
        with box.prevent(Input.Changed):
            box.value = suggestion
        self.state = replace(self.state, query=suggestion)
        self.search.run()

    def action_literal(self) -> None:
        """Show what the query as typed finds, instead of its correction's results."""
        if not self.search.search_literally():
            self.tell("The results are already for the query as typed.", timeout=2)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Match keys only appear (and work) while an article is open."""
        if action == "match":
            return self.open_article is not None
        return True

    # -- searching ------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def query_changed(self, event: Input.Changed) -> None:
        self.state = replace(self.state, query=event.value)
        self.room.show_group("articles")  # narrow terminals: the results, under the box
        self.search.typed()

    @on(Input.Submitted, "#search")
    def query_submitted(self) -> None:
        self.search.submitted()
        self.action_focus_pane("articles")

    @on(SearchBox.Left)
    def search_left(self) -> None:
        self.action_focus_pane("articles")

    @on(FilterToggled)
    def filter_toggled(self, message: FilterToggled) -> None:
        self.toggle_filter(message.kind, message.value)

    def toggle_filter(self, kind: str, value: str) -> None:
        """Switch a source, theme, year or place filter on, or off when it is the active one."""
        if kind not in ("source", "theme", "year", "place"):
            return
        chosen: str | None = None if getattr(self.state, kind) == value else value
        changes: dict[str, Any] = {kind: chosen}
        self.state = replace(self.state, **changes)
        self.search.related_to = None
        self.run_search()
        self.keeper.save_soon()

    def run_search(self) -> None:
        """A fresh search for the current query and filters; older results are ignored."""
        self.search.run()

    @on(SearchFinished)
    def search_finished(self, message: SearchFinished) -> None:
        self.search.finished(message)

    def results_shown(self) -> None:
        self.keeper.save_soon()
        if self._check_index_after_results:
            self._check_index_after_results = False
            self.sync_index()
        elif not self._stories_found:
            self._stories_found = True
            self.analysis.find_stories_soon()

    @on(SearchFailed)
    def search_failed(self, message: SearchFailed) -> None:
        self.search.failed(message)

    @on(MoreWanted)
    def more_wanted(self, message: MoreWanted) -> None:
        self.search.more(message.loaded)

    @on(RelatedFound)
    def related_found(self, message: RelatedFound) -> None:
        self.search.related_found(message)

    @property
    def result(self) -> SearchResult | None:
        """The last first page of results on screen."""
        return self.search.result

    @property
    def related_to(self) -> Article | None:
        return self.search.related_to

    # -- curating (see CurationFlow) ---------------------------------------------------------

    @on(GradeRequested)
    def grade_requested(self, message: GradeRequested) -> None:
        self.curation.grade(message.source_id)

    @on(ThemeEditRequested)
    def theme_edit_requested(self, message: ThemeEditRequested) -> None:
        self.curation.edit_theme(message.theme_id)

    @on(ThemeMembershipToggled)
    def theme_membership_toggled(self, message: ThemeMembershipToggled) -> None:
        self.curation.toggle_member(message.theme_id)

    @on(CurationSaved)
    def curation_saved(self, message: CurationSaved) -> None:
        self.curation.saved(message)

    # -- fetching (see FetchFlow) -------------------------------------------------------------

    @on(FetchProgressed)
    def fetch_progressed(self, message: FetchProgressed) -> None:
        self.fetching.progress(message)

    @on(FetchDone)
    def fetch_done(self, message: FetchDone) -> None:
        self.fetching.done(message)

    @on(FetchFailed)
    def fetch_failed(self, message: FetchFailed) -> None:
        self.fetching.failed(message)

    # -- opening articles -------------------------------------------------------------------

    @on(ArticleChosen)
    def article_chosen(self, message: ArticleChosen) -> None:
        self.open_article_by_id(message.article_id)

    def open_article_by_id(self, article_id: str, quiet: bool = False) -> None:
        """Open an article in the Reader; `quiet` restores it without moving the focus.

        Otherwise the keys typed next wait until the article is shown (they are
        meant for the Reader it focuses, or for what they move the focus to).
        """
        self._article_request += 1
        query = self.state.query
        terms = self.search.terms_for(query)
        request = self._article_request
        if not quiet:
            self._hold_keys("article")

        def work() -> Message | None:
            outcome = tasks.open_article(
                self.workspace, article_id, query, terms, not quiet, request
            )
            if isinstance(outcome, ArticleLoaded):
                return outcome
            if not quiet:
                self.app.call_from_thread(self.tell, outcome, severity="error")
                self.app.call_from_thread(self._release_keys, "article")
            return None

        self.in_thread("article", work, True)

    def _hold_keys(self, name: str) -> None:
        holds = getattr(self.app, "key_holds", None)
        if holds is not None:
            holds.hold(name)

    def _release_keys(self, name: str) -> None:
        holds = getattr(self.app, "key_holds", None)
        if holds is not None:
            holds.release(name)

    @on(ArticleLoaded)
    def article_loaded(self, message: ArticleLoaded) -> None:
        if message.request != self._article_request:
            return
        article = self.open_article = message.article
        source = self.workspace.source(article.source)
        reader = self.query_one(ArticleView)
        same_story = [story_line(hit, self.workspace.source(hit.source))
                      for hit in message.same_story]  # fmt: skip
        reader.show(article, source, self.workspace.themes, message.matches, message.focus,
                    same_story)  # fmt: skip
        self.notes_flow.show_notes(article, message.notes)
        self.state = replace(self.state, article=article.id)
        self.refresh_bindings()
        if message.focus:
            self.action_focus_pane("reader")
            self.call_after_refresh(self._release_keys, "article")  # after the focus moved
        self.set_read(article.id, True)

    def set_read(self, article_id: str, read: bool) -> None:
        self.state = self.state.with_read(article_id, read)
        self.keeper.marks.mark(article_id, read)
        self.query_one(ArticleList).set_read(self.state.read)
        if article_id in self.fetching.new:
            self.search.show_source_counts()  # one fewer new article of its source
        self.keeper.save_soon()

    # -- annotations (see AnnotationFlow) ---------------------------------------------------------

    @on(AnnotateRequested)
    def annotate_requested(self, message: AnnotateRequested) -> None:
        self.notes_flow.annotate(message)

    @on(NoteAction)
    def note_action(self, message: NoteAction) -> None:
        self.notes_flow.note_action(message)

    @on(NoteUndo)
    def note_undo(self) -> None:
        self.notes_flow.undo()

    @on(NotesModeToggled)
    def notes_mode_toggled(self) -> None:
        self.notes_flow.toggle_mode()

    @on(NotesLoaded)
    def notes_loaded(self, message: NotesLoaded) -> None:
        self.notes_flow.notes_loaded(message)

    @on(CorpusNotesLoaded)
    def corpus_loaded(self, message: CorpusNotesLoaded) -> None:
        self.notes_flow.corpus_loaded(message)

    @on(NotesChanged)
    def notes_changed(self, message: NotesChanged) -> None:
        self.notes_flow.notes_changed(message)

    @on(NotesFailed)
    def notes_failed(self, message: NotesFailed) -> None:
        self.notes_flow.notes_failed(message)

    # -- the index ------------------------------------------------------------------------------

    def sync_index(self) -> None:
        self.indexing.sync()

    @on(IndexProgress)
    def index_progress(self, message: IndexProgress) -> None:
        self.indexing.progress(message)

    @on(IndexUpdated)
    def index_updated(self, message: IndexUpdated) -> None:
        self.indexing.updated(message)

    @on(IndexFailed)
    def index_failed(self, message: IndexFailed) -> None:
        self.indexing.failed(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one handler for work that failed unexpectedly: say so, never crash."""
        if event.state == WorkerState.ERROR:
            self.activity = ""
            if event.worker.group == "fetch":
                self.fetching.running = False
            if event.worker.group == "search":
                self.search.worker_failed()
            self.tell(str(event.worker.error), title="Error", severity="error")
            self.refresh_status()

    # -- status and state -------------------------------------------------------------------------

    def refresh_status(self) -> None:
        source = self.workspace.source(self.state.source).name if self.state.source else None
        theme = self.workspace.themes.get(self.state.theme or "")
        articles = self.query_one(ArticleList)
        self.query_one(StatusLine).update_status(
            query=self.state.query.strip(), source=source,
            theme=theme.name if theme else self.state.theme, year=self.state.year,
            place=self.state.place, unread_only=self.state.unread_only,
            related_to=self.related_to.title if self.related_to else None,
            shown=len(articles.hits), total=articles.total if self.search.result else None,
            activity=self.activity, error=self.error, hint=self.search.hint,
        )  # fmt: skip

    @on(StateSaved)
    def state_saved(self, message: StateSaved) -> None:
        read = self.keeper.saved(message)
        if read is not None and read != self.state.read:
            self.state = replace(self.state, read=read)
            self.query_one(ArticleList).set_read(self.state.read)

    def on_unmount(self) -> None:
        self.keeper.save_now(self.state)
