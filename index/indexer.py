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

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

from .access import check_index_dir
from .articles import article_from_bytes, read_article
from .corpus import article_entries
from .document import plain_text
from .models import Annotation, Article, Problem
from .notes import NotesError, NotesStore
from .paths import DataPaths
from .sanitize import clean_text
from .schema import NAME_FIELDS, build_schema, schema_fingerprint
from .storage import LockTimeout, atomic_write_text, file_lock

MANIFEST_FORMAT = 4
_COLUMNS = ("mtime_ns", "size", "sha256", "id", "indexed")
"""The manifest's per-file columns, beside "paths" (see Indexer._save_manifest)."""
_DUPLICATE = "duplicate id"
Progress = Callable[[int, int], None]
"""Called with (articles done, articles to do) while indexing."""


class IndexBusy(RuntimeError):
    """Another process is updating the index and did not finish in time."""


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


@dataclass(slots=True)
class _Entry:
    """The manifest's record of one article file."""

    mtime_ns: int
    size: int
    sha256: str
    article_id: str | None
    indexed: bool
    problems: list[tuple[int | None, str]]


@dataclass
class _Manifest:
    files: dict[str, _Entry]
    notes: dict[str, tuple[int, int]]
    """(mtime_ns, size) of each article's notes file when it was last indexed."""


@dataclass(slots=True)
class _ScannedFile:
    path: str
    entry: _Entry
    article: Article | None = None
    """Set when the file was (re-)read in this update."""


def document_fields(article: Article, annotations: Iterable[Annotation] = ()) -> dict[str, Any]:
    """The Whoosh document for an article and the user's annotations on it.

    Every text value passes the sanitiser. Notes and their tags are searchable as
    free text (the `notes` field); annotation tags also join the article's own in `tags`.
    """
    annotations = list(annotations)
    fields: dict[str, Any] = {
        "id": article.id,
        "path": str(article.path),
        "title": clean_text(article.title),
        "summary": clean_text(article.summary),
        "body": clean_text(plain_text(article.body)),
        "source": clean_text(article.source),
        "kind": clean_text(article.kind),
        "language": clean_text(article.language),
        "year": str(article.published.year) if article.published else "undated",
        "day": article.published.toordinal() if article.published else 0,
        "month": article.published.strftime("%Y-%m") if article.published else "undated",
        "themes": _name_list(article.themes),
        "curated": "yes" if article.themes else "no",
    }
    for name in NAME_FIELDS:
        fields[name] = _name_list(getattr(article, name))
    note_tags = [tag for annotation in annotations for tag in annotation.tags]
    fields["tags"] = _name_list((*article.tags, *note_tags))
    notes = [a.note for a in annotations if a.note]
    fields["notes"] = clean_text("\n\n".join([*notes, " ".join(note_tags)]).strip())
    names = (*article.places, *article.people, *article.organizations, *article.tags)
    fields["context"] = clean_text("\n".join([article.summary, *names, fields["notes"]]))
    if article.published:
        fields["published"] = dt.datetime.combine(article.published, dt.time())
    return fields


def _name_list(names: Iterable[str]) -> str:
    return ", ".join(clean_text(name).replace(",", " ") for name in names)


class Indexer:
    """Builds and updates the index of a set of content folders in a data dir."""

    def __init__(
        self, data: DataPaths, content_dirs: Iterable[Path], notes: NotesStore | None = None
    ) -> None:
        self.data = data
        self.content_dirs = [Path(d) for d in content_dirs]
        self.notes = notes or NotesStore(data.notes_dir)
        self._manifest_cache: tuple[tuple[int, int, int], _Manifest] | None = None
        self.schema = build_schema()
        self.fingerprint = schema_fingerprint(self.schema)

    # -- public ---------------------------------------------------------------

    def open_index(self) -> FileIndex | None:
        """The current index, or None when there is none or it is damaged.

        An index is only opened when it is safe (see index.access) and every
        file recorded after the last commit is there at its recorded size.
        """
        check_index_dir(self.data.index_dir)  # before Whoosh unpickles anything in it
        if not self._intact():
            return None
        try:
            if not whoosh_index.exists_in(str(self.data.index_dir)):
                return None
            return whoosh_index.open_dir(str(self.data.index_dir))
        except Exception:  # any damage to the cache means "rebuild it"
            return None

    def needs_update(self) -> bool:
        """A cheap check (file stamps only) of whether `sync` has work to do."""
        manifest = self._read_manifest()
        if manifest is None or self.open_index() is None:
            return True
        if self.notes.stamps() != manifest.notes:
            return True
        entries = manifest.files
        seen = 0
        for path, stat in article_entries(self.content_dirs):
            seen += 1
            entry = entries.get(path)
            if entry is None or (stat.st_mtime_ns, stat.st_size) != (entry.mtime_ns, entry.size):
                return True
        return seen != len(entries)

    def known_problems(self) -> list[Problem]:
        """Problems with article files recorded by the last update, without re-reading them."""
        manifest = self._read_manifest()
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
        manifest = None if rebuild else self._read_manifest(for_update=True)
        ix = None if manifest is None else self.open_index()
        if ix is None:
            return self._rebuild(progress)
        assert manifest is not None
        previous = manifest.files
        indexed_before = {e.article_id for e in previous.values() if e.indexed and e.article_id}
        scanned, files_changed = self._scan(previous)
        report = SyncReport()
        desired = self._assign_ids(scanned)
        notes_now = self.notes.stamps()
        notes_changed = {
            article_id
            for article_id in set(notes_now) | set(manifest.notes)
            if notes_now.get(article_id) != manifest.notes.get(article_id)
        }
        to_write = [
            item
            for article_id, item in desired.items()
            if not (item.article is None and item.entry.indexed)
            or self._moved(article_id, item, previous)
            or article_id in notes_changed
        ]
        stale = sorted(indexed_before - set(desired))
        if to_write or stale:
            writer = self._writer(ix)
            try:
                for article_id in stale:
                    writer.delete_by_term("id", article_id)
                for done, item in enumerate(to_write, 1):
                    article = item.article or self._reread(item)
                    if article is None:
                        continue
                    writer.update_document(**self._document(article, report))
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
        report.problems = self._problems(scanned) + report.problems
        if files_changed or to_write or stale or notes_changed:
            self._write_manifest(scanned, notes_now)
        else:
            self._remember_manifest(manifest)  # the file on disk says the same
        return report

    def _rebuild(self, progress: Progress | None) -> SyncReport:
        """Index every article into a fresh directory, reading files one at a time.

        Articles are never all held in memory: each is parsed, handed to the
        writer and dropped, so memory stays flat however large the archive.
        """
        notes_now = self.notes.stamps()
        paths = [path for path, _stat in article_entries(self.content_dirs)]
        self._remove_leftovers()
        building = Path(tempfile.mkdtemp(prefix="index.building-", dir=self.data.root))
        ix = whoosh_index.create_in(str(building), self.schema)
        writer = self._writer(ix)
        report = SyncReport(rebuilt=True)
        scanned: list[_ScannedFile] = []
        first: dict[str, str] = {}
        try:
            for done, path in enumerate(paths, 1):
                item = self._read(path)
                if item is not None:
                    article, item.article = item.article, None
                    scanned.append(item)
                    if article is not None and article.id in first:
                        message = (
                            f"{_DUPLICATE} {article.id!r} (already used by {first[article.id]})"
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
        report.problems = self._problems(scanned) + report.problems
        self._write_manifest(scanned, notes_now)
        return report

    def _document(self, article: Article, report: SyncReport) -> dict[str, Any]:
        """The article's fields with its annotations; an unreadable notes file is reported."""
        try:
            annotations = self.notes.load(article.id)
        except NotesError as error:
            report.problems.append(Problem(self.notes.path(article.id), None, str(error)))
            annotations = []
        return document_fields(article, annotations)

    def reindex(self, article_id: str, wait: float = 30.0) -> bool:
        """Re-index one article (after its notes changed); False when a full sync is needed."""
        try:
            with file_lock(self.data.index_lock, timeout=wait):
                manifest = self._read_manifest(for_update=True)
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
                if article is None or article.id != article_id:
                    self._remember_manifest(manifest)  # unchanged
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
                self._save_manifest(manifest)
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

    # -- scanning -------------------------------------------------------------

    def _scan(self, previous: dict[str, _Entry]) -> tuple[list[_ScannedFile], bool]:
        """Stat every article file; read only those whose stamp or hash changed.

        Also says whether any file is new, gone or re-stamped since `previous`.
        """
        scanned = []
        changed = False
        for path, stat in article_entries(self.content_dirs):
            old = previous.get(path)
            if old and stat.st_mtime_ns == old.mtime_ns and stat.st_size == old.size:
                scanned.append(_ScannedFile(path, old))
                continue
            changed = True
            item = self._read(path, old)
            if item is not None:
                scanned.append(item)
        return scanned, changed or len(scanned) != len(previous)

    @staticmethod
    def _read(path: str, old: _Entry | None = None) -> _ScannedFile | None:
        """Read one file: its stamp and hash, and the article unless the hash is unchanged."""
        try:
            stat = os.stat(path)
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError:
            return None
        digest = hashlib.sha256(raw).hexdigest()
        if old and digest == old.sha256:
            old.mtime_ns, old.size = stat.st_mtime_ns, stat.st_size
            return _ScannedFile(path, old)
        loaded = article_from_bytes(raw, Path(path))
        entry = _Entry(
            stat.st_mtime_ns,
            stat.st_size,
            digest,
            loaded.article.id if loaded.article else None,
            False,
            [(p.line, p.message) for p in loaded.problems],
        )
        return _ScannedFile(path, entry, loaded.article)

    @staticmethod
    def _assign_ids(scanned: list[_ScannedFile]) -> dict[str, _ScannedFile]:
        """Which file provides each article id: the first one, in scan order."""
        desired: dict[str, _ScannedFile] = {}
        for item in scanned:
            if item.entry.problems:
                item.entry.problems = [
                    problem
                    for problem in item.entry.problems
                    if not problem[1].startswith(_DUPLICATE)
                ]
            article_id = item.entry.article_id
            if article_id is None:
                item.entry.indexed = False
                continue
            if article_id in desired:
                first = desired[article_id].path
                message = f"{_DUPLICATE} {article_id!r} (already used by {first}); not indexed"
                item.entry.problems.append((None, message))
                item.entry.indexed = False
                continue
            desired[article_id] = item
        return desired

    @staticmethod
    def _moved(article_id: str, item: _ScannedFile, previous: dict[str, _Entry]) -> bool:
        """True when the id was indexed from another file, or not indexed before."""
        old = previous.get(item.path)
        return old is None or not old.indexed or old.article_id != article_id

    def _reread(self, item: _ScannedFile) -> Article | None:
        loaded = read_article(Path(item.path))
        return loaded.article

    @staticmethod
    def _problems(scanned: list[_ScannedFile]) -> list[Problem]:
        return [
            Problem(Path(item.path), line, message)
            for item in scanned
            for line, message in item.entry.problems
        ]

    # -- manifest -------------------------------------------------------------

    def _index_files(self) -> dict[str, int]:
        """The index's own files (not ours, not Whoosh's lock) and their sizes."""
        found: dict[str, int] = {}
        with os.scandir(self.data.index_dir) as entries:
            for entry in entries:
                name = entry.name
                if not (name.startswith(("briefing-", ".")) or name.endswith("LOCK")):
                    found[name] = entry.stat().st_size
        return found

    def _intact(self) -> bool:
        """Every file recorded after the last commit is there at its recorded size.

        The record is a small file of its own, so this check stays cheap at start-up.
        """
        try:
            recorded = json.loads(self.data.index_files.read_text(encoding="utf-8"))
            present = self._index_files()
        except (OSError, ValueError):
            return False
        return (
            isinstance(recorded, dict)
            and bool(recorded)
            and all(present.get(name) == size for name, size in recorded.items())
        )

    def _record_index_files(self) -> None:
        """Write down the index's files as they are now, just after a commit."""
        text = json.dumps(self._index_files(), separators=(",", ":"))
        atomic_write_text(self.data.index_files, text, durable=False)

    def _remember_manifest(self, manifest: _Manifest) -> None:
        try:
            stat = self.data.manifest.stat()
        except OSError:
            return
        self._manifest_cache = ((stat.st_mtime_ns, stat.st_size, stat.st_ino), manifest)

    def _read_manifest(self, for_update: bool = False) -> _Manifest | None:
        """The manifest on disk, kept in memory while the file is the one we last wrote.

        With `for_update` the caller may change it in place: it is forgotten
        until saved again, so a failed update cannot leave a wrong copy behind.
        """
        try:
            stat = self.data.manifest.stat()
        except OSError:
            return None
        signature = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        cached = self._manifest_cache
        manifest = cached[1] if cached is not None and cached[0] == signature else None
        if manifest is None:
            manifest = self._load_manifest()
        if manifest is None:
            return None
        self._manifest_cache = None if for_update else (signature, manifest)
        return manifest

    def _load_manifest(self) -> _Manifest | None:
        """Read the manifest: one list per column, so a large archive loads fast."""
        try:
            data = json.loads(self.data.manifest.read_text(encoding="utf-8"))
            if data.get("format") != MANIFEST_FORMAT or data.get("schema") != self.fingerprint:
                return None
            paths = data["paths"]
            columns = [data[name] for name in _COLUMNS]
            if not all(isinstance(column, list) and len(column) == len(paths)
                       for column in columns):  # fmt: skip
                return None
            mtimes, sizes, hashes, ids, indexed = columns
            if not (all(type(v) is int for v in mtimes) and all(type(v) is int for v in sizes)
                    and all(type(v) is str for v in hashes)
                    and all(v is None or type(v) is str for v in ids)):  # fmt: skip
                return None
            problems = {
                int(number): [(line, str(message)) for line, message in found]
                for number, found in data["problems"].items()
            }
            files = {
                path: _Entry(mtime, size, digest, article_id, bool(done), problems.get(n, []))
                for n, (path, mtime, size, digest, article_id, done) in enumerate(
                    zip(paths, mtimes, sizes, hashes, ids, indexed, strict=True)
                )
            }
            notes = {key: (int(stamp[0]), int(stamp[1])) for key, stamp in data["notes"].items()}
            return _Manifest(files, notes)
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    def _write_manifest(
        self, scanned: list[_ScannedFile], notes: dict[str, tuple[int, int]]
    ) -> None:
        files = {item.path: item.entry for item in scanned}
        self._save_manifest(_Manifest(files, notes))

    def _save_manifest(self, manifest: _Manifest) -> None:
        """Write the manifest, and the record of the index's files (just committed)."""
        self._record_index_files()
        entries = list(manifest.files.values())
        data = {
            "format": MANIFEST_FORMAT,
            "schema": self.fingerprint,
            "paths": list(manifest.files),
            "mtime_ns": [e.mtime_ns for e in entries],
            "size": [e.size for e in entries],
            "sha256": [e.sha256 for e in entries],
            "id": [e.article_id for e in entries],
            "indexed": [int(e.indexed) for e in entries],
            "problems": {
                n: [list(p) for p in e.problems] for n, e in enumerate(entries) if e.problems
            },
            "notes": {key: list(stamp) for key, stamp in manifest.notes.items()},
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        atomic_write_text(self.data.manifest, text, durable=False)  # a cache: rebuilt if lost
        self._remember_manifest(manifest)
