"""The changes a workspace makes at the user's request: notes, imports, feeds, curation.

Each is refused in a read-only session (`ReadOnly`, saying why), and each is
followed by what makes searches see it: the one article re-indexed (a note,
a theme given by hand) or the catalog read again (new sources, a grade, a
theme's query). `Workspace` inherits these; their state is the workspace's.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .content.body import plain_text
from .content.files import ARTICLES_DIR
from .errors import BriefingError, ImportBusy, LockTimeout, QueryError, ReadOnly
from .models import Annotation, Article, Source, Theme
from .storage import file_lock
from .userdata.anchoring import make_target
from .userdata.curation import slug_id
from .userdata.notes import new_annotation

if TYPE_CHECKING:
    from .engine.indexer import Indexer
    from .engine.query import QueryParser
    from .engine.search import SearchEngine
    from .feeds.fetcher import FetchProgress, FetchReport
    from .feeds.following import Following
    from .feeds.http import PoliteClient
    from .importing.library import Importer, ImportProgress, ImportReport
    from .paths import DataPaths
    from .userdata.curation import Curation
    from .userdata.notes import NotesStore


log = logging.getLogger(__name__)
IMPORT_LOCK = ".import.lock"
IMPORT_WAIT = 120.0
"""Seconds an import waits for another one into the same folder to finish."""


class WorkspaceChanges:
    """What `Workspace` changes: annotations, the library's articles, feeds and curation."""

    if TYPE_CHECKING:  # the workspace's state and the methods of it these use
        content_dirs: list[Path]
        data: DataPaths
        read_only: str | None
        notes: NotesStore
        curation: Curation
        indexer: Indexer
        parser: QueryParser
        _engine: SearchEngine | None

        @property
        def themes(self) -> dict[str, Theme]: ...

        def source(self, source_id: str) -> Source: ...

        def reload_catalog(self) -> None: ...

    # -- annotations ----------------------------------------------------------------------

    def annotate(
        self, article: Article, span: tuple[int, int] | None, note: str, tags: tuple[str, ...]
    ) -> Annotation:
        """Save a new annotation on text[start:end] (or the whole article when `span` is None)."""
        self._writable()
        target = make_target(plain_text(article.body), *span) if span else None
        annotation = self.notes.put(new_annotation(article.id, note, tags, target))
        self._notes_changed(article.id)
        return annotation

    def edit_annotation(
        self, annotation: Annotation, note: str, tags: tuple[str, ...]
    ) -> Annotation:
        self._writable()
        edited = self.notes.edit(annotation, note, tags)
        self._notes_changed(annotation.article_id)
        return edited

    def delete_annotation(self, annotation: Annotation) -> None:
        self._writable()
        self.notes.delete(annotation)
        self._notes_changed(annotation.article_id)

    def restore_annotation(self, annotation: Annotation) -> None:
        """Put back a deleted annotation exactly as it was (undo)."""
        self._writable()
        self.notes.put(annotation)
        self._notes_changed(annotation.article_id)

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnly(f"read-only session: {self.read_only}")

    def _notes_changed(self, article_id: str) -> None:
        """Make searches see the new notes: re-index the one article (or sync everything).

        The notes are saved by then; when another process holds the index, the
        next update re-indexes them (it compares the notes files' stamps).
        """
        try:
            if not self.indexer.reindex(article_id, wait=5.0):
                self.indexer.sync(wait=5.0)
        except (BriefingError, OSError) as error:  # saved all the same: never "not saved"
            log.info("notes of %s saved; the index catches up later: %s", article_id, error)
            return
        if self._engine is not None:
            self._engine.refresh()

    # -- importing ------------------------------------------------------------------------

    def import_files(
        self,
        paths: Sequence[Path],
        into: Path | None = None,
        source: str | None = None,
        progress: ImportProgress | None = None,
    ) -> ImportReport:
        """Import files into the library (or `into`), de-duplicating against all content."""
        if into is None:
            self._writable()
        with self._importer(into, source) as importer:
            report = importer.run(paths, progress)
        self.reload_catalog()  # new sources: `source:` knows their names
        return report

    @contextlib.contextmanager
    def _importer(self, into: Path | None = None, source: str | None = None) -> Iterator[Importer]:
        """An importer into the library (or `into`), holding the folder's import lock.

        One import at a time, so the second sees the first's articles as duplicates.
        """
        from .importing.library import Importer  # the importers (feeds, HTML) load only when used

        target = into or self.data.library_dir
        try:
            target.mkdir(parents=True, exist_ok=True)
            with file_lock(target / IMPORT_LOCK, timeout=IMPORT_WAIT):
                cache = self.data.import_cache if into is None else None
                yield Importer(target, self.content_dirs, source, cache)
        except LockTimeout as error:
            raise ImportBusy(f"another import into {target} is running: {error}") from None

    # -- feeds ------------------------------------------------------------------------

    def following(self) -> Following:
        """The library's feeds (`feeds.yaml`) and what their fetches did."""
        from .feeds.following import Following  # HTTP and feed parsing load only when used

        return Following(self.data.library_dir, self.data.feeds_state, self.data.fetch_lock)

    def recently_fetched(self) -> dict[str, str]:
        """The articles the latest fetches brought (id → source), for "new" marks."""
        from .feeds.ledger import Ledger  # only the state file: no HTTP, no parsing

        return dict(Ledger.load(self.data.feeds_state).recent)

    def fetch(
        self,
        only: str | None = None,
        force: bool = False,
        progress: FetchProgress | None = None,
        client: PoliteClient | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> FetchReport:
        """Fetch the due feeds (or `only` one) into the library; the index is not updated here.

        `stop()`, asked between feeds, ends the fetch early, keeping what came.
        """
        from .importing.library import Importer
        from .importing.locked import LockedImports

        self._writable()
        following = self.following()
        target = self.data.library_dir
        target.mkdir(parents=True, exist_ok=True)

        def importer() -> Importer:
            return Importer(target, self.content_dirs, None, self.data.import_cache)

        with following.exclusive():  # a second fetch: refused at once
            # the import lock only around each record: never held across a network wait
            imports = LockedImports(
                importer, target / IMPORT_LOCK, IMPORT_WAIT, target / ARTICLES_DIR
            )
            report = following.fetch(imports, only, force, progress, client, stop)
        self.reload_catalog()
        return report

    # -- curation (written to the library, never to bundled content) -----------------------

    def grade_source(self, source_id: str, grade: str, rationale: str) -> Source:
        """Grade a source (A–F or unrated) with a one-line reason."""
        self._writable()
        graded = self.curation.grade_source(self.source(source_id), grade, rationale)
        self.reload_catalog()
        return graded

    def save_theme(
        self, theme_id: str | None, name: str, query: str, description: str = ""
    ) -> Theme:
        """Add a theme (no id: one made from the name) or redefine one; the query must parse."""
        self._writable()
        try:
            self.parser.parse(query)
        except QueryError as error:
            raise QueryError(f"theme not saved: {error}") from None
        if theme_id is None and slug_id(name) in self.themes:
            raise QueryError(
                f"theme not saved: there is a theme {slug_id(name)!r} already "
                "(edit it, or choose another name)"
            )
        theme = self.curation.save_theme(theme_id or "", name, query, description)
        self.reload_catalog()
        return theme

    def set_article_theme(self, article_id: str, theme_id: str, member: bool) -> None:
        """Put an article in a theme, or take it out of one, by hand (whatever the query says)."""
        self._writable()
        if theme_id not in self.themes:
            raise QueryError(f"unknown theme {theme_id!r}")
        self.curation.set_article_theme(article_id, theme_id, member)
        self._notes_changed(article_id)  # re-index the one article, as for a note
