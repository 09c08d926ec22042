"""What the index was built from, and a record of the index's own files.

The manifest beside the index records, for every article file, its size,
modification time and content hash, whether it is indexed, and the problems
found in it; and the stamp of each article's notes file when it was last
indexed. An update compares stamps with it to find what changed. It is stored
one list per column, so a large archive's manifest loads fast, and it is kept
in memory while the file on disk is the one last written.

A second small file keeps the size of each of the index's files after the
last commit: one that is missing or truncated is noticed before Whoosh opens
the index, which is then rebuilt.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from ..paths import DataPaths
from ..storage import atomic_write_text

MANIFEST_FORMAT = 4
COLUMNS = ("mtime_ns", "size", "sha256", "id", "indexed")
"""The manifest's per-file columns, beside "paths" (see ManifestStore.save)."""


@dataclass(slots=True)
class Entry:
    """The manifest's record of one article file."""

    mtime_ns: int
    size: int
    sha256: str
    article_id: str | None
    indexed: bool
    problems: list[tuple[int | None, str]]


Curated = dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
"""Per article, the themes the user added and removed by hand (see userdata.curation)."""


@dataclass
class Manifest:
    files: dict[str, Entry]
    notes: dict[str, tuple[int, int]]
    """(mtime_ns, size) of each article's notes file when it was last indexed."""
    curated: Curated = field(default_factory=dict)
    """The hand-made theme changes of each article when it was last indexed."""
    folders: dict[str, int] = field(default_factory=dict)
    """Modification time of each folder the files were listed from (see scanning.scan)."""
    roots: list[str] = field(default_factory=list)
    """The content folders those were, in order: the stamps mean nothing for others."""


class ManifestStore:
    """Reads and writes the manifest and the index-files record of one data dir."""

    def __init__(self, data: DataPaths, fingerprint: Callable[[], str]) -> None:
        self.data = data
        self._fingerprint = fingerprint
        """The schema's fingerprint now (a manifest for another schema is no manifest)."""
        self._cache: tuple[tuple[int, int, int], Manifest] | None = None

    def read(self, for_update: bool = False) -> Manifest | None:
        """The manifest on disk, kept in memory while the file is the one we last wrote.

        With `for_update` the caller may change it in place: it is forgotten
        until saved again, so a failed update cannot leave a wrong copy behind.
        """
        try:
            stat = self.data.manifest.stat()
        except OSError:
            return None
        signature = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        cached = self._cache
        manifest = cached[1] if cached is not None and cached[0] == signature else None
        if manifest is None:
            manifest = self._load()
        if manifest is None:
            return None
        self._cache = None if for_update else (signature, manifest)
        return manifest

    def remember(self, manifest: Manifest) -> None:
        """Keep `manifest` in memory as what the file on disk says."""
        try:
            stat = self.data.manifest.stat()
        except OSError:
            return
        self._cache = ((stat.st_mtime_ns, stat.st_size, stat.st_ino), manifest)

    def save(self, manifest: Manifest) -> None:
        """Write the manifest, and the record of the index's files (just committed)."""
        self.record_index_files()
        entries = list(manifest.files.values())
        data = {
            "format": MANIFEST_FORMAT,
            "schema": self._fingerprint(),
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
            "curated": {key: [list(a), list(r)] for key, (a, r) in manifest.curated.items()},
            "folders": manifest.folders,
            "roots": manifest.roots,
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        atomic_write_text(self.data.manifest, text, durable=False)  # a cache: rebuilt if lost
        self.remember(manifest)

    def _load(self) -> Manifest | None:
        """Read the manifest file; None when it is missing, damaged or for another schema."""
        try:
            data = json.loads(self.data.manifest.read_text(encoding="utf-8"))
            if data.get("format") != MANIFEST_FORMAT or data.get("schema") != self._fingerprint():
                return None
            paths = data["paths"]
            columns = [data[name] for name in COLUMNS]
            if not all(
                isinstance(column, list) and len(column) == len(paths) for column in columns
            ):
                return None
            mtimes, sizes, hashes, ids, indexed = columns
            if not (
                all(type(v) is int for v in mtimes)
                and all(type(v) is int for v in sizes)
                and all(type(v) is str for v in hashes)
                and all(v is None or type(v) is str for v in ids)
            ):
                return None
            problems = {
                int(number): [(line, str(message)) for line, message in found]
                for number, found in data["problems"].items()
            }
            files = {
                path: Entry(mtime, size, digest, article_id, bool(done), problems.get(n, []))
                for n, (path, mtime, size, digest, article_id, done) in enumerate(
                    zip(paths, mtimes, sizes, hashes, ids, indexed, strict=True)
                )
            }
            notes = {key: (int(stamp[0]), int(stamp[1])) for key, stamp in data["notes"].items()}
            curated = {
                str(key): (tuple(map(str, pair[0])), tuple(map(str, pair[1])))
                for key, pair in (data.get("curated") or {}).items()
            }
            folders = {
                str(path): mtime
                for path, mtime in (data.get("folders") or {}).items()
                if type(mtime) is int
            }  # absent from manifests written before folders were stamped
            roots = [str(root) for root in data.get("roots") or []]
            return Manifest(files, notes, curated, folders, roots)
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    # -- the index's own files --------------------------------------------------------

    def index_files(self, private: bool = False) -> dict[str, int]:
        """The index's own files (not ours, not Whoosh's lock) and their sizes.

        With `private`, each is also made readable and writable by the user alone
        (Whoosh creates them with the umask's permissions).
        """
        found: dict[str, int] = {}
        with os.scandir(self.data.index_dir) as entries:
            for entry in entries:
                name = entry.name
                if private and entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    if info.st_mode & 0o077:
                        os.chmod(entry.path, 0o600)
                if not (name.startswith(("briefing-", ".")) or name.endswith("LOCK")):
                    found[name] = entry.stat().st_size
        return found

    def intact(self) -> bool:
        """Every file recorded after the last commit is there at its recorded size.

        The record is a small file of its own, so this check stays cheap at start-up.
        """
        try:
            recorded = json.loads(self.data.index_files.read_text(encoding="utf-8"))
            present = self.index_files()
        except (OSError, ValueError):
            return False
        return (
            isinstance(recorded, dict)
            and bool(recorded)
            and all(present.get(name) == size for name, size in recorded.items())
        )

    def record_index_files(self) -> None:
        """Write down the index's files as they are now, just after a commit."""
        text = json.dumps(self.index_files(private=True), separators=(",", ":"))
        atomic_write_text(self.data.index_files, text, durable=False)
