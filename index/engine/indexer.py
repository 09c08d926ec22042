"""Keeping the Whoosh index in step with the content folders.

The index is a cache of the content. A manifest beside it records, for every
article file, its size, modification time and content hash, so an update only
reads files whose stamp changed and re-indexes only those whose hash changed.
Removed files are deleted from the index; a schema change, a missing or
unreadable index or manifest triggers a full rebuild, which is written to a
fresh directory and swapped in, so a crash mid-build never leaves a broken index.
A small record beside it keeps the size of each of the index's own files: one
that is missing or truncated (a disk problem, a crash) is noticed on open,
before Whoosh reads it, and the index is rebuilt.
Updates hold an inter-process lock; a lock left by a crashed process is released
by the kernel, and Whoosh's own write lock is recovered the same way.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

from ..access import check_index_dir
from ..content.articles import read_article
from ..content.files import article_entries, settled
from ..errors import BriefingError, IndexBusy, LockTimeout, NotesError
from ..models import Article, Problem
from ..paths import DataPaths
from ..storage import file_lock
from ..userdata.curation import Curation
from ..userdata.notes import NotesStore
from .documents import document_fields
from .manifest import Curated, Manifest, ManifestStore
from .scanning import (
    DUPLICATE,
    ScannedFile,
    assign_ids,
    moved,
    problems_of,
    read_file,
    scan,
    unchanged,
)
from .schema import build_schema, schema_fingerprint

Progress = Callable[[int, int], None]
"""Called with (articles done, articles to do) while indexing."""


@dataclass
class SyncReport:
    """What an index update did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    rebuilt: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)

    @property
    def total(self) -> int:
        return len(self.added) + len(self.updated) + self.unchanged


class Indexer:
    """Builds and updates the index of a set of content folders in a data dir."""

    def __init__(
        self,
        data: DataPaths,
        content_dirs: Iterable[Path],
        notes: NotesStore | None = None,
        curation: Curation | None = None,
    ) -> None:
        self.data = data
        self.content_dirs = [Path(d) for d in content_dirs]
        self.notes = notes or NotesStore(data.notes_dir)
        self.curation = curation
        self._curated: Curated = {}
        """The hand-made theme changes in force for this update (see _curated_now)."""
        self.schema = build_schema()
        self.fingerprint = schema_fingerprint(self.schema)
        self.manifests = ManifestStore(data, lambda: self.fingerprint)

    # -- public ---------------------------------------------------------------

    def open_index(self) -> FileIndex | None:
        """The current index, or None when there is none or it is damaged.

        An index is only opened when it is safe (see index.access) and every
        file recorded after the last commit is there at its recorded size.
        """
        check_index_dir(self.data.index_dir)  # before Whoosh unpickles anything in it
        if not self.manifests.intact():
            return None
        try:
            if not whoosh_index.exists_in(str(self.data.index_dir)):
                return None
            return whoosh_index.open_dir(str(self.data.index_dir))
        except Exception:  # any damage to the cache means "rebuild it"
            return None

    def needs_update(self) -> bool:
        """A cheap check (file stamps only) of whether `sync` has work to do."""
        manifest = self.manifests.read()
        if manifest is None or self.open_index() is None:
            return True
        if self.notes.stamps() != manifest.notes or self._curated_now() != manifest.curated:
            return True
        entries = manifest.files
        if unchanged(entries, self._folders_of(manifest)):
            return False
        seen = 0
        for path, stat in article_entries(self.content_dirs):
            seen += 1
            entry = entries.get(path)
            if entry is None or (stat.st_mtime_ns, stat.st_size) != (entry.mtime_ns, entry.size):
                return True
        return seen != len(entries)

    def known_problems(self) -> list[Problem]:
        """Problems with article files recorded by the last update, without re-reading them."""
        manifest = self.manifests.read()
        files = manifest.files if manifest else {}
        return [
            Problem(Path(path), line, message)
            for path, entry in files.items()
            for line, message in entry.problems
        ]

    def sync(
        self, rebuild: bool = False, progress: Progress | None = None, wait: float = 30.0
    ) -> SyncReport:
        """Bring the index up to date with the content; rebuild from scratch if asked or needed."""
        started = time.perf_counter()
        try:
            with file_lock(self.data.index_lock, timeout=wait):
                report = self._sync_locked(rebuild, progress)
        except LockTimeout as error:
            raise IndexBusy(f"index busy: {error}") from None
        report.seconds = time.perf_counter() - started
        return report

    # -- updating -------------------------------------------------------------

    def _sync_locked(self, rebuild: bool, progress: Progress | None) -> SyncReport:
        manifest = None if rebuild else self.manifests.read(for_update=True)
        ix = None if manifest is None else self.open_index()
        if ix is None:
            return self._rebuild(progress)
        assert manifest is not None
        previous = manifest.files
        listing = scan(self.content_dirs, previous, self._folders_of(manifest))
        notes_now = self.notes.stamps()
        notes_changed = {
            article_id
            for article_id in set(notes_now) | set(manifest.notes)
            if notes_now.get(article_id) != manifest.notes.get(article_id)
        }
        self._curated = self._curated_now()
        notes_changed |= {
            article_id
            for article_id in set(self._curated) | set(manifest.curated)
            if self._curated.get(article_id) != manifest.curated.get(article_id)
        }
        if listing is None and not notes_changed:  # the common case, from file stamps alone
            self.manifests.remember(manifest)
            indexed = sum(1 for entry in previous.values() if entry.indexed)
            return SyncReport(unchanged=indexed, problems=self.known_problems())
        if listing is None:
            listing = (
                [ScannedFile(path, entry) for path, entry in previous.items()],
                False,
                manifest.folders,
            )
        scanned, files_changed, folders = listing
        indexed_before = {e.article_id for e in previous.values() if e.indexed and e.article_id}
        report = SyncReport()
        desired = assign_ids(scanned)
        to_write = {
            article_id: item
            for article_id, item in desired.items()
            if not (item.article is None and item.entry.indexed)
            or moved(article_id, item, previous)
            or article_id in notes_changed
        }
        stale = sorted(indexed_before - set(desired))
        if to_write or stale:
            writer = self._writer(ix)
            try:
                # The old versions of articles read by the scan go in one pass (update_document
                # opens every segment once per call); those read only now (their notes changed)
                # are replaced one by one, and kept as they were if they cannot be read.
                read = [article_id for article_id, item in to_write.items() if item.article]
                writer.delete_by_query(wq.Or([wq.Term("id", each) for each in [*stale, *read]]))
                for done, (article_id, item) in enumerate(to_write.items(), 1):
                    article = item.article
                    if article is None:
                        article = read_article(Path(item.path)).article
                        if article is None:  # unreadable since it was scanned: left as indexed
                            continue
                        writer.delete_by_term("id", article_id)
                    if article.id != article_id:  # the file changed since it was scanned
                        writer.delete_by_term("id", article.id)
                    writer.add_document(**self._document(article, report))
                    item.entry.indexed = True
                    bucket = report.updated if article.id in indexed_before else report.added
                    bucket.append(article.id)
                    if progress:
                        progress(done, len(to_write))
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
        report.removed = stale
        report.unchanged = len(desired) - len(report.added) - len(report.updated)
        report.problems = problems_of(scanned) + report.problems
        if (
            files_changed
            or to_write
            or stale
            or notes_changed
            or folders != manifest.folders
            or manifest.roots != self._roots
        ):
            self._write_manifest(scanned, notes_now, folders)
        else:
            self.manifests.remember(manifest)  # the file on disk says the same
        return report

    def _rebuild(self, progress: Progress | None) -> SyncReport:
        """Index every article into a fresh directory, reading files one at a time.

        Articles are never all held in memory: each is parsed, handed to the
        writer and dropped, so memory stays flat however large the archive.
        """
        notes_now = self.notes.stamps()
        self._curated = self._curated_now()
        folders: dict[str, int] = {}
        listed_at = time.time_ns()
        paths = [path for path, _stat in article_entries(self.content_dirs, folders)]
        self._remove_leftovers()
        building = Path(tempfile.mkdtemp(prefix="index.building-", dir=self.data.root))
        ix = whoosh_index.create_in(str(building), self.schema)
        writer = self._writer(ix)
        report = SyncReport(rebuilt=True)
        scanned: list[ScannedFile] = []
        first: dict[str, str] = {}
        try:
            for done, path in enumerate(paths, 1):
                item = read_file(path)
                if item is not None:
                    article, item.article = item.article, None
                    scanned.append(item)
                    if article is not None and article.id in first:
                        message = (
                            f"{DUPLICATE} {article.id!r} (already used by {first[article.id]})"
                        )
                        item.entry.problems.append((None, message + "; not indexed"))
                    elif article is not None:
                        first[article.id] = path
                        writer.add_document(**self._document(article, report))
                        item.entry.indexed = True
                        report.added.append(article.id)
                if progress:
                    progress(done, len(paths))
            writer.commit()
        except BaseException:
            writer.cancel()
            shutil.rmtree(building, ignore_errors=True)
            raise
        self._swap_in(building)
        report.problems = problems_of(scanned) + report.problems
        unread = len(scanned) != len(paths)  # a file that could not be read: list again
        self._write_manifest(scanned, notes_now, {} if unread else settled(folders, listed_at))
        return report

    def _document(self, article: Article, report: SyncReport) -> dict[str, Any]:
        """The article's fields with its annotations; an unreadable notes file is reported."""
        try:
            annotations = self.notes.load(article.id)
        except NotesError as error:
            report.problems.append(Problem(self.notes.path(article.id), None, str(error)))
            annotations = []
        return document_fields(article, annotations, self._curated.get(article.id, ((), ())))

    def _curated_now(self) -> Curated:
        """Each article's hand-made theme changes, as the library's file has them now."""
        if self.curation is None:
            return {}
        try:
            found = self.curation.article_themes()
        except BriefingError:  # reported by the workspace; the index keeps what it had
            return dict(self._curated)
        return {key: (entry.added, entry.removed) for key, entry in found.items()}

    def reindex(self, article_id: str, wait: float = 30.0) -> bool:
        """Re-index one article (after its notes changed); False when a full sync is needed."""
        try:
            with file_lock(self.data.index_lock, timeout=wait):
                manifest = self.manifests.read(for_update=True)
                ix = self.open_index() if manifest else None
                if manifest is None or ix is None:
                    return False
                path = next(
                    (
                        p
                        for p, e in manifest.files.items()
                        if e.indexed and e.article_id == article_id
                    ),
                    None,
                )
                article = read_article(Path(path)).article if path else None
                self._curated = self._curated_now()
                if article is None or article.id != article_id:
                    self.manifests.remember(manifest)  # unchanged
                    return False
                writer = self._writer(ix)
                try:
                    writer.update_document(**self._document(article, SyncReport()))
                    writer.commit()
                except BaseException:
                    writer.cancel()
                    raise
                stamp = self.notes.stamps().get(article_id)
                if stamp is None:
                    manifest.notes.pop(article_id, None)
                else:
                    manifest.notes[article_id] = stamp
                if article_id in self._curated:
                    manifest.curated[article_id] = self._curated[article_id]
                else:
                    manifest.curated.pop(article_id, None)
                self.manifests.save(manifest)
        except LockTimeout as error:
            raise IndexBusy(f"index busy: {error}") from None
        return True

    def _swap_in(self, building: Path) -> None:
        """Replace the index directory with the freshly built one."""
        target = self.data.index_dir
        if target.exists():
            retired = tempfile.mkdtemp(prefix="index.old-", dir=self.data.root)
            os.replace(target, retired)  # onto the new, empty directory
        os.replace(building, target)
        self._remove_leftovers()

    def _remove_leftovers(self) -> None:
        """Directories of builds that crashed and of replaced indexes (we hold the lock)."""
        for pattern in ("index.building-*", "index.old-*"):
            for leftover in self.data.root.glob(pattern):
                shutil.rmtree(leftover, ignore_errors=True)

    def _writer(self, ix: FileIndex) -> SegmentWriter:
        # One process: Whoosh's multiprocess writer measured slower here (benchmarks/).
        # No compound segment files: Whoosh copies each part of a compound file
        # into memory when it opens it (BufferFile wraps the mmap in a BytesIO),
        # so opening a large archive cost seconds and hundreds of megabytes.
        try:
            return ix.writer(timeout=10.0, compound=False)
        except whoosh_index.LockError:
            raise IndexBusy("index busy: another process is writing to it") from None

    def _write_manifest(
        self,
        scanned: list[ScannedFile],
        notes: dict[str, tuple[int, int]],
        folders: dict[str, int] | None = None,
    ) -> None:
        files = {item.path: item.entry for item in scanned}
        self.manifests.save(Manifest(files, notes, dict(self._curated), folders or {}, self._roots))

    @property
    def _roots(self) -> list[str]:
        """The content folders, as the manifest records them."""
        return [str(root) for root in self.content_dirs]

    def _folders_of(self, manifest: Manifest) -> dict[str, int]:
        """The manifest's folder stamps, if they were taken of these content folders."""
        return manifest.folders if manifest.roots == self._roots else {}
