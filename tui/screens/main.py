"""The reading room screen: one search box over the panes, a status line, the footer.

The screen composes the widgets and the flows (`tui.flows`) and holds the
state they share: the reading state (whose `Filters` are what the list,
the export and the status line show) and the reactive `activity`, `error`,
`hint`, `listed` and `related_to` that the status line watches. Widgets
tell it what the user did by message; it hands each to the flow that acts
on it. Background work goes from a flow to a worker and back to the same
flow (`tui.work`): the screen relays no results. `ARCHITECTURE.md` follows
a keystroke and a fetched item hop by hop.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Input

from index import Filters, ReadingState, StateStore, Workspace
from index.models import Article

from ..flows.analysing import AnalysisFlow
from ..flows.annotating import AnnotationFlow
from ..flows.curating import CurationFlow
from ..flows.fetching import FetchFlow
from ..flows.indexing import IndexFlow
from ..flows.opening import ArticleOpener
from ..flows.reading_state import StateKeeper
from ..flows.searching import SearchFlow
from ..marks import theme_marks
from ..messages import (
    ArticleChosen,
    FilterToggled,
    GradeRequested,
    ThemeEditRequested,
    ThemeMembershipToggled,
)
from ..widgets.article_list import ArticleList, MoreWanted
from ..widgets.notes import NoteAction, NotesModeToggled, NoteUndo
from ..widgets.reader import AnnotateRequested, ArticleView
from ..widgets.reading_room import PANES, ReadingRoom, pane_bindings
from ..widgets.search_box import SearchBox
from ..widgets.status_line import StatusLine, StatusView
from ..work import BackgroundWork

CYCLE = ("search", *(pane.id for pane in PANES))


class MainScreen(Screen[None], BackgroundWork):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", id="search"),
        *pane_bindings(),
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

    state: var[ReadingState] = var(ReadingState())
    """The filters on screen, the open article and the read marks (saved soon after a change)."""
    activity: var[str] = var("")
    """Background work under way, as the status line says it ("indexing 3/6 articles")."""
    error: var[str] = var("")
    """What was wrong with the last search, until one succeeds."""
    hint: var[str] = var("")
    """What the status line offers about the results: a correction, or the literal query."""
    listed: var[tuple[int, int | None]] = var((0, None))
    """Articles in the list and how many match (None before the first result)."""
    related_to: var[Article | None] = var(None)
    """The article whose related articles the list shows, instead of the search."""

    def __init__(self, workspace: Workspace, store: StateStore, update_index: bool = True) -> None:
        super().__init__()
        self.workspace = workspace
        self.update_index = update_index
        self.marks: dict[str, Text] = theme_marks(workspace.themes)
        """Each theme's coloured mark, for list rows."""
        self.open_article: Article | None = None
        self.index_ready = False
        self.keeper = StateKeeper(store, self)
        self.search = SearchFlow(self)
        self.opener = ArticleOpener(self)
        self.notes = AnnotationFlow(self)
        self.indexing = IndexFlow(self)
        self.curation = CurationFlow(self)
        self.fetching = FetchFlow(self)
        self.analysis = AnalysisFlow(self)
        self._check_index_after_results = False
        self._stories_found = False

    def compose(self) -> ComposeResult:
        yield SearchBox(placeholder='/ Search: words, "phrases", prefix*, place:…', id="search")
        yield ReadingRoom(id="room")
        yield StatusLine(self.status_view, id="status")
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

    def hold_keys(self, name: str) -> None:
        """Keys typed from now wait until `release_keys(name)` (see `tui.key_order`)."""
        holds = getattr(self.app, "key_holds", None)
        if holds is not None:
            holds.hold(name)

    def release_keys(self, name: str) -> None:
        holds = getattr(self.app, "key_holds", None)
        if holds is not None:
            holds.release(name)

    def on_mount(self) -> None:
        state = self.keeper.load()
        if state.filters.theme and state.filters.theme not in self.workspace.themes:
            state = replace(state, filters=replace(state.filters, theme=None))
        self.state = state
        self.fetching.load()
        if self.workspace.read_only:
            message = f"Read-only session: {self.workspace.read_only}. Nothing will be saved."
            self.tell(message, severity="warning", timeout=10)
        elif self.store.problem:
            message = f"{self.store.problem}. Reading state will not be saved."
            self.tell(message, severity="warning")
        self._show_query(state.filters.query)
        self.query_one(ArticleList).focus()
        self.index_ready = self.workspace.indexer.open_index() is not None
        self.activity = "opening the index…" if self.index_ready else "building the index…"
        if self.index_ready:
            self.search.run()
            if state.article:
                self.opener.open(state.article, quiet=True)
        else:
            self.search.show_hits([], 0, empty_message="Building the index… (progress below)")
        self.search.show_facets(None)
        # With an index, results come first; checking it for changes waits for them.
        self._check_index_after_results = self.update_index and self.index_ready
        if not self.index_ready:
            self.indexing.sync()

    def results_shown(self) -> None:
        """After each first page of results: save the state, then the deferred start-up work."""
        self.keeper.save_soon()
        if self._check_index_after_results:
            self._check_index_after_results = False
            self.indexing.sync()
        elif not self._stories_found:
            self._stories_found = True
            self.analysis.find_stories_soon()

    # -- the state ------------------------------------------------------------------------

    def filter_by(self, filters: Filters, show_query: bool = False) -> None:
        """Show the articles of `filters` (the query box follows when `show_query`)."""
        if show_query:
            self._show_query(filters.query)
        self.related_to = None
        self.state = replace(self.state, filters=filters)
        self.search.run()
        self.keeper.save_soon()

    def toggle_filter(self, kind: str, value: str) -> None:
        """Switch a source, theme, year or place filter on, or off when it is the active one."""
        self.filter_by(self.state.filters.toggled(kind, value))

    def show_read(self, read: frozenset[str]) -> None:
        self.state = replace(self.state, read=read)
        self.query_one(ArticleList).set_read(read)

    def _show_query(self, query: str) -> None:
        box = self.query_one(SearchBox)
        with box.prevent(Input.Changed):
            box.value = query

    def status_view(self) -> StatusView:
        """The status line's content, from the reactive state it watches."""
        chosen = self.state.filters
        theme = self.workspace.themes.get(chosen.theme or "")
        shown, total = self.listed
        return StatusView(
            chosen,
            self.workspace.source(chosen.source).name if chosen.source else None,
            theme.name if theme else chosen.theme,
            self.related_to.title if self.related_to else None,
            shown,
            total,
            self.activity,
            self.error,
            self.hint,
        )

    def on_unmount(self) -> None:
        self.keeper.save_now(self.state)

    # -- actions --------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one(SearchBox))  # at once: the keys typed next go to the box

    def focus_pane(self, pane: str) -> None:
        self.room.focus_pane(pane)

    def action_focus_pane(self, pane: str) -> None:
        self.focus_pane(pane)

    def action_cycle(self, step: int) -> None:
        current = self.room.pane_of(self.focused) or "search"
        target = CYCLE[(CYCLE.index(current) + step) % len(CYCLE)]
        if target == "search":
            self.action_focus_search()
        else:
            self.focus_pane(target)

    def action_escape(self) -> None:
        """Outside the search box: stop a fetch, else leave related articles, else clear the
        query."""
        if self.fetching.stop():
            self.tell("Stopping the fetch; what came is kept.", timeout=3)
        elif not self.search.leave_related() and self.query_one(SearchBox).value:
            self.query_one(SearchBox).value = ""

    def action_clear_all(self) -> None:
        self.filter_by(self.state.filters.cleared(), show_query=True)

    def action_toggle_read(self) -> None:
        self.opener.toggle_read()

    def action_unread_only(self) -> None:
        """Show only the articles not yet read, or every article again."""
        only = not self.state.filters.unread_only
        self.tell("Only unread articles." if only else "Read articles too.", timeout=2)
        self.filter_by(replace(self.state.filters, unread_only=only))

    def action_related(self) -> None:
        if self.open_article is None:
            self.tell("Open an article first (Enter in Articles).", severity="warning")
            return
        self.search.related(self.open_article)

    def action_match(self, direction: int) -> None:
        if self.open_article is not None:
            self.query_one(ArticleView).action_match(direction)

    def action_export(self) -> None:
        self.notes.export()

    def action_story(self) -> None:
        """The open article's story, its sources side by side (see AnalysisFlow)."""
        self.analysis.story()

    def action_timeline(self) -> None:
        """The results on screen over time, by source (see AnalysisFlow)."""
        self.analysis.timeline()

    def action_emerging(self) -> None:
        """What rose in the results' last two weeks (see AnalysisFlow)."""
        self.analysis.emerging()

    def action_fetch(self) -> None:
        """Fetch the feeds in the background (see FetchFlow)."""
        self.fetching.start()

    def action_sync_index(self) -> None:
        """Re-read changed content now (the palette's "update the index")."""
        self.indexing.sync()

    def action_accept_suggestion(self) -> None:
        """Search the correction the results offer ("did you mean")."""
        suggestion = self.search.suggestion()
        if suggestion is None:
            self.tell("No correction to accept.", timeout=2)
            return
        self.filter_by(replace(self.state.filters, query=suggestion), show_query=True)

    def action_literal(self) -> None:
        """Show what the query as typed finds, instead of its correction's results."""
        if not self.search.search_literally():
            self.tell("The results are already for the query as typed.", timeout=2)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Match keys only appear (and work) while an article is open."""
        if action == "match":
            return self.open_article is not None
        return True

    # -- what the widgets tell -------------------------------------------------------------

    @on(Input.Changed, "#search")
    def query_changed(self, event: Input.Changed) -> None:
        self.state = replace(self.state, filters=replace(self.state.filters, query=event.value))
        self.room.show_group("articles")  # narrow terminals: the results, under the box
        self.search.typed()

    @on(Input.Submitted, "#search")
    def query_submitted(self) -> None:
        self.search.submitted()
        self.focus_pane("articles")

    @on(SearchBox.Left)
    def search_left(self) -> None:
        self.focus_pane("articles")

    @on(FilterToggled)
    def filter_toggled(self, message: FilterToggled) -> None:
        self.toggle_filter(message.kind, message.value)

    @on(MoreWanted)
    def more_wanted(self, message: MoreWanted) -> None:
        self.search.more(message.loaded)

    @on(ArticleChosen)
    def article_chosen(self, message: ArticleChosen) -> None:
        self.opener.open(message.article_id)

    @on(GradeRequested)
    def grade_requested(self, message: GradeRequested) -> None:
        self.curation.grade(message.source_id)

    @on(ThemeEditRequested)
    def theme_edit_requested(self, message: ThemeEditRequested) -> None:
        self.curation.edit_theme(message.theme_id)

    @on(ThemeMembershipToggled)
    def theme_membership_toggled(self, message: ThemeMembershipToggled) -> None:
        self.curation.toggle_member(message.theme_id)

    @on(AnnotateRequested)
    def annotate_requested(self, message: AnnotateRequested) -> None:
        self.notes.annotate(message)

    @on(NoteAction)
    def note_action(self, message: NoteAction) -> None:
        self.notes.note_action(message)

    @on(NoteUndo)
    def note_undo(self) -> None:
        self.notes.undo()

    @on(NotesModeToggled)
    def notes_mode_toggled(self) -> None:
        self.notes.toggle_mode()
