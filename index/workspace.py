"""An opened briefing: content folders, their catalog, and the index in a data dir.

This is the one entry point the command line and the interface use, so both
behave the same: `Workspace.open()` resolves paths, `sync()` brings the index up
to date, `search()`, `related()` and `article()` answer questions.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from .access import check_index_dir, remove_session, session_paths, write_problem
from .content.articles import LoadedArticle, read_article
from .content.body import plain_text
from .content.catalog import THEMES_FILE, Catalog, load_catalog
from .content.files import ARTICLES_DIR
from .engine.highlight import spans_of
from .engine.indexer import Indexer, Progress, SyncReport
from .engine.query import QueryParser
from .engine.schema import build_schema
from .engine.search import SearchEngine
from .engine.timeline import make_timeline
from .engine.variants import VariantExpander
from .errors import BriefingError, NotesError, QueryError, Refused, UnsafeIndex
from .models import (
    Anchored,
    Annotation,
    Article,
    ArticleNotes,
    Emerging,
    Filters,
    Problem,
    QueryTerms,
    SearchHit,
    SearchRequest,
    SearchResult,
    Source,
    Story,
    Theme,
    Timeline,
)
from .paths import DataPaths, resolve_paths
from .storage import remove_stale_temp_files
from .userdata.anchoring import anchor
from .userdata.curation import Curation
from .userdata.notes import NotesStore
from .workspace_changes import WorkspaceChanges

log = logging.getLogger(__name__)


class Workspace(WorkspaceChanges):
    """Content folders plus a data dir, with the search engine opened on demand.

    When the data dir cannot be written, the workspace is read-only: `read_only`
    says why, the index lives in a temporary directory for this session, and
    saving notes is refused with that reason. What it changes for the user
    (notes, imports, feeds, curation) is in `workspace_changes.py`.
    """

    def __init__(self, content_dirs: Sequence[Path], data: DataPaths) -> None:
        self.content_dirs = list(content_dirs)
        self.data = data
        self.read_only = write_problem(data.root)
        safe = True
        try:
            check_index_dir(data.index_dir)
        except UnsafeIndex:
            if not self.read_only:
                raise
            safe = False  # not ours to fix: this session builds its own index instead
        self._session = session_paths(data, seed=safe) if self.read_only else None
        try:
            self.catalog: Catalog = load_catalog(self.content_dirs)
            self.notes = NotesStore(data.notes_dir)
            self.curation = Curation(data.library_dir)
            self.indexer = Indexer(
                self._session or data, self.content_dirs, self.notes, self.curation
            )
            self.variants = VariantExpander(self.catalog.variants)
            self.parser = QueryParser(
                build_schema(), self.variants, self.catalog.themes, self.catalog.sources
            )
        except BaseException:
            if self._session is not None:
                remove_session(self._session)
            raise
        self._engine: SearchEngine | None = None
        self._stories: tuple[int, list[Story]] | None = None
        """The stories, and the engine generation they were found for (None after the catalog
        changes: their hits carry theme memberships)."""
        self._lock = threading.Lock()
        self._closed = False
        if not self.read_only:
            self._tidy()

    def _tidy(self) -> None:
        """Remove the temp files of atomic writes that a killed process left behind."""
        library = self.data.library_dir
        for folder in (self.data.root, self.data.notes_dir, library, library / ARTICLES_DIR):
            remove_stale_temp_files(folder)

    @classmethod
    def open(cls, content: str | Path | None = None, data: str | Path | None = None) -> Workspace:
        """Open with the command-line options, falling back on the environment and defaults.

        The user's library (imported articles) is always read beside the content folder.
        """
        content_dir, data_paths = resolve_paths(content, data)
        if not content_dir.is_dir():
            what = "does not exist" if not content_dir.exists() else "is not a folder"
            raise Refused(
                f"content folder {content_dir} {what}",
                "give --content a folder of articles (or leave it out for the bundled briefing)",
            )
        return cls([content_dir, data_paths.library_dir], data_paths)

    # -- reference data -------------------------------------------------------------

    @property
    def sources(self) -> dict[str, Source]:
        return self.catalog.sources

    @property
    def themes(self) -> dict[str, Theme]:
        return self.catalog.themes

    def source(self, source_id: str) -> Source:
        """The source with this id; an ungraded stand-in when the catalog lacks it."""
        return self.catalog.sources.get(source_id) or Source(source_id, source_id)

    # -- the index --------------------------------------------------------------------

    def needs_update(self) -> bool:
        return self.indexer.needs_update()

    def sync(self, rebuild: bool = False, progress: Progress | None = None) -> SyncReport:
        """Update the index from the content, then let searches see the result."""
        report = self.indexer.sync(rebuild=rebuild, progress=progress)
        if self._engine is not None:
            self._engine.refresh()
        return report

    def prepare(self) -> None:
        """Open the engine and work out what every search needs (facets, theme members)."""
        self.engine().prepare()

    def refresh(self) -> bool:
        """See what other processes wrote to the index since the last search; True if any."""
        with self._lock:
            engine = self._engine
        return engine.refresh() if engine is not None else False

    def engine(self) -> SearchEngine:
        """The search engine, building the index first if there is none."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the workspace is closed")
            if self._engine is None:
                ix = self.indexer.open_index()
                if ix is None:
                    self.indexer.sync()
                    ix = self.indexer.open_index()
                index_dir = self.indexer.data.index_dir
                if ix is None:
                    raise RuntimeError(f"cannot open the index in {index_dir}")
                self._engine = SearchEngine(ix, self.parser, index_dir)
            return self._engine

    def problems(self) -> list[Problem]:
        """Everything wrong with the content, as last seen: reference files, articles, themes."""
        found = list(self.catalog.problems) + self.indexer.known_problems()
        for article_id, notes in self.notes.everything():
            if isinstance(notes, NotesError):
                found.append(Problem(self.notes.path(article_id), None, str(notes)))
        found += self.notes.problems()
        engine = self._engine
        if engine is not None:
            for theme_id, message in engine.theme_errors.items():
                path, line = self.catalog.theme_lines.get(
                    theme_id, (self.content_dirs[0] / THEMES_FILE, None)
                )
                found.append(Problem(path, line, message))
        return found

    # -- questions ----------------------------------------------------------------------

    def search(self, request: SearchRequest | str = "") -> SearchResult:
        """Articles for a request (a bare string is a query with default filters).

        Raises QueryError for a query that cannot be understood.
        """
        if isinstance(request, str):
            request = SearchRequest(Filters(request))
        return self.engine().search(request)

    def related(self, article_id: str, limit: int = 10) -> tuple[SearchHit, ...]:
        return self.engine().related(article_id, limit)

    def same_story(self, article_id: str) -> tuple[SearchHit, ...]:
        """The other articles telling the story of this one, oldest first.

        Copies (republished or revised) always; the other articles of its event
        when the stories were found for this version of the index (`stories()`:
        the app finds them in the background for a library of a few thousand).
        """
        copies = self.engine().same_story(article_id)
        story = (self._known_stories() or {}).get(article_id)
        if story is None:
            return copies
        others = {hit.id: hit for hit in copies}
        for hit in story.articles:
            if hit.id != article_id:
                others.setdefault(hit.id, hit)
        return tuple(sorted(others.values(), key=lambda h: (h.published or dt.date.max, h.id)))

    def stories(self, theme: str | None = None, since: dt.date | None = None) -> list[Story]:
        """The stories told by two articles or more, newest first; in `theme`, since `since`.

        A story is in a theme when one of its articles is.
        """
        from .engine.stories import SignatureCache

        engine = self.engine()
        engine.refresh()  # another process may have changed the index
        if self._stories is not None and self._stories[0] == engine.generation:
            found = self._stories[1]  # found already for this version of the index
        else:
            found = engine.stories(SignatureCache((self._session or self.data).stories_cache))
            self._stories = (engine.generation, found)
        if theme is not None:
            if theme not in self.themes:
                raise QueryError(f"unknown theme {theme!r}")
            found = [s for s in found if any(theme in hit.themes for hit in s.articles)]
        if since is not None:
            found = [s for s in found if s.last is not None and s.last >= since]
        return found

    def emerging(
        self,
        days: int = 14,
        until: dt.date | None = None,
        baseline_days: int = 90,
        theme: str | None = None,
        query: str = "",
    ) -> list[Emerging]:
        """What rose in the last `days` days up to `until` (today) against the `baseline_days`
        before (see `engine.emerging`)."""
        if theme is not None and theme not in self.themes:
            raise QueryError(f"unknown theme {theme!r}")
        if days < 1 or baseline_days < 1:
            raise QueryError("--days and the baseline are whole days, at least 1")
        return self.engine().emerging(until or dt.date.today(), days, baseline_days, theme, query)

    def timeline(
        self, request: SearchRequest, unit: str | None = None, periods: int = 60
    ) -> Timeline:
        """The request's articles per day, week or month, by source (see `engine.timeline`).

        Without a `unit`, the finest that shows the whole span in at most `periods`.
        """
        return make_timeline(self.engine().dated_sources(request), unit, periods)

    def newest_date(self, request: SearchRequest) -> dt.date | None:
        """The date of the newest dated article the request matches."""
        days = [day for day, _source in self.engine().dated_sources(request)]
        return dt.date.fromordinal(max(days)) if days else None

    def story_of(self, article_id: str) -> Story | None:
        """The story an article is part of, if it is part of one."""
        known = self._known_stories()
        if known is None:
            self.stories()
            known = self._known_stories() or {}
        return known.get(article_id)

    def _known_stories(self) -> dict[str, Story] | None:
        """The stories by article, when found for the index as it is now; else None."""
        known = self._stories
        if known is None or known[0] != self.engine().generation:
            return None
        return {hit.id: story for story in known[1] for hit in story.articles}

    def themes_of(self, article_id: str) -> tuple[str, ...]:
        """The themes an article is in, as searches see them."""
        return self.engine().themes_of(article_id)

    def query_terms(self, query_text: str) -> QueryTerms:
        """What a query looks for in prose (empty when it cannot be understood)."""
        return self.engine().terms(query_text) if query_text.strip() else QueryTerms()

    @staticmethod
    def match_spans(text: str, terms: QueryTerms) -> list[tuple[int, int]]:
        """Where a searched query's terms occur in `text` (to highlight an open article)."""
        return spans_of(text, terms)

    def load_article(self, article_id: str) -> LoadedArticle | None:
        """Read an indexed article from its file, or None when the id is unknown."""
        stored = self.engine().stored(article_id)
        if stored is None:
            return None
        return read_article(Path(stored["path"]))

    def article(self, article_id: str) -> Article | None:
        loaded = self.load_article(article_id)
        return loaded.article if loaded else None

    # -- annotations ------------------------------------------------------------------------

    def article_notes(self, article: Article) -> ArticleNotes:
        """The article's annotations placed on its current text (re-anchored if it changed).

        Targets that had to be re-anchored are stored back, so the next change to the
        text starts from where the passage is now.
        """
        try:
            stored = self.notes.load(article.id)
        except NotesError as error:
            return ArticleNotes(article.id, (), str(error))
        text = plain_text(article.body)
        placed = [anchor(annotation, text) for annotation in stored]
        refreshed = [
            item.annotation
            for item, original in zip(placed, stored, strict=True)
            if item.annotation.target != original.target
        ]
        if refreshed:
            try:
                self.notes.refresh_targets(article.id, refreshed)
            except (BriefingError, OSError) as error:  # placed all the same; stored next time
                log.info("re-anchored targets of %s not stored: %s", article.id, error)
        return ArticleNotes(article.id, tuple(sorted(placed, key=_reading_order)))

    def all_notes(self) -> list[tuple[Annotation, str]]:
        """Every readable annotation in the corpus with its article's title, newest first."""
        found: list[tuple[Annotation, str]] = []
        for article_id, notes in self.notes.everything():
            if isinstance(notes, NotesError):
                continue
            stored = self.engine().stored(article_id)
            title = str(stored["title"]) if stored else f"{article_id} (not in this briefing)"
            found.extend((annotation, title) for annotation in notes)
        return sorted(found, key=lambda pair: pair[0].updated, reverse=True)

    # -- the catalog, and closing -------------------------------------------------------------

    def reload_catalog(self) -> None:
        """Read sources, themes and variants again (after the user changed them)."""
        self.catalog = load_catalog(self.content_dirs)
        self._stories = None
        self.variants = VariantExpander(self.catalog.variants)
        self.parser.reload(self.variants, self.catalog.themes, self.catalog.sources)
        if self._engine is not None:
            self._engine.catalog_changed()  # theme members follow the new queries

    def close(self) -> None:
        with self._lock:  # not while a worker is opening the engine
            self._closed = True
            if self._engine is not None:
                self._engine.close()
                self._engine = None
            if self._session is not None:
                remove_session(self._session)
                self._session = None


def _reading_order(item: Anchored) -> tuple[int, int, str]:
    if item.status == "article":
        return (0, 0, item.annotation.created)
    if item.start is None:
        return (2, 0, item.annotation.created)
    return (1, item.start, item.annotation.created)
