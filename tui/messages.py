"""Messages the widgets and workers post; the main screen acts on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from index import ReadingState, SyncReport
from index.models import (
    Annotation,
    Article,
    ArticleNotes,
    Emerging,
    SearchHit,
    SearchResult,
    Story,
    Timeline,
)

if TYPE_CHECKING:
    from index import FetchReport, FetchStatus


@dataclass
class ArticleChosen(Message):
    """The user asked to open an article."""

    article_id: str


@dataclass
class FilterToggled(Message):
    """A source or theme filter was switched on or off."""

    kind: str
    """"source", "theme", "year" or "place"."""
    value: str


@dataclass
class GradeRequested(Message):
    """The user wants to grade a source."""

    source_id: str


@dataclass
class ThemeEditRequested(Message):
    """The user wants to edit a theme, or (None) to save the query as a new one."""

    theme_id: str | None


@dataclass
class ThemeMembershipToggled(Message):
    """The user wants the open article put in, or taken out of, a theme."""

    theme_id: str


@dataclass
class CurationSaved(Message):
    """A grade, a theme or an article's themes were saved (or not: `failed`).

    When saving failed, `reopen` opens the dialog again with what was typed.
    """

    message: str
    failed: bool = False
    reopen: Callable[[], object] | None = None


@dataclass
class SearchFinished(Message):
    """A search worker has a result for the request it was started for."""

    result: SearchResult
    request: int
    append: bool = False
    """True when the result is a further page of the current list."""
    article_id: str | None = None
    """The article that was open when the search ran, whose matches come with it."""
    matches: list[tuple[int, int]] | None = None
    """Where the query's terms are in that article's plain text."""


@dataclass
class SearchFailed(Message):
    message: str
    request: int


@dataclass
class ArticleLoaded(Message):
    article: Article
    matches: list[tuple[int, int]]
    """Character spans of the query's words in the article's plain text."""
    query: str = ""
    """The query the matches are for."""
    notes: ArticleNotes | None = None
    """The user's annotations on it."""
    focus: bool = True
    """Move the focus to the reader (not when an article is restored at start-up)."""
    request: int = 0
    """Which open request this answers; answers to older requests are ignored."""
    same_story: tuple[SearchHit, ...] = ()
    """The other articles telling its story (republished or revised copies)."""


@dataclass
class RelatedFound(Message):
    article: Article
    hits: tuple[SearchHit, ...]
    request: int = 0


@dataclass
class StateSaved(Message):
    """A save of the reading state finished: `written` (marks merged), or a problem."""

    changes: dict[str, bool]
    """The read/unread changes the save carried."""
    written: ReadingState | None
    problem: str = ""


@dataclass
class IndexProgress(Message):
    done: int
    total: int
    phase: str = ""
    """What comes after the articles ("preparing themes…"), once they are indexed."""


@dataclass
class IndexUpdated(Message):
    report: SyncReport


@dataclass
class IndexFailed(Message):
    message: str


@dataclass
class NotesLoaded(Message):
    """An article's annotations, placed on its text; `reveal` is one to jump to."""

    article_id: str
    notes: ArticleNotes
    reveal: str | None = None


@dataclass
class CorpusNotesLoaded(Message):
    entries: list[tuple[Annotation, str]]


@dataclass
class NotesChanged(Message):
    """An annotation was saved, edited, deleted or restored."""

    article_id: str
    message: str


@dataclass
class NotesFailed(Message):
    """A change to the notes was not saved; `reopen` gives the user their text back."""

    message: str
    reopen: Callable[[], object] | None = None


@dataclass
class FetchProgressed(Message):
    """A fetch finished another feed."""

    status: FetchStatus


@dataclass
class FetchDone(Message):
    """A fetch ended: what each feed did and the articles it brought."""

    report: FetchReport


@dataclass
class FetchFailed(Message):
    """A fetch could not run (another one is running, feeds.yaml cannot be read…)."""

    message: str


@dataclass
class StoryFound(Message):
    """The story of the open article, with its articles (loaded), to show side by side."""

    story: Story
    articles: list[Article]


@dataclass
class TimelineReady(Message):
    """The current results over time, to draw (see TimelineScreen)."""

    timeline: Timeline
    what: str


@dataclass
class EmergingReady(Message):
    """What rose in the results' last weeks (see EmergingScreen)."""

    found: list[Emerging]
    until: dt.date
    what: str
