"""Finding which article files changed since the index was last updated.

Every file is stat-ed; only files whose size or modification time changed are
read, and only those whose content hash changed are parsed again. When two
files give the same article id, the first in scan order is indexed and the
other reported.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..content.articles import MAX_ARTICLE_BYTES, article_from_bytes
from ..content.files import article_entries, folders_unchanged, settled
from ..models import Article, Problem
from .manifest import Entry

DUPLICATE = "duplicate id"


@dataclass(slots=True)
class ScannedFile:
    path: str
    entry: Entry
    article: Article | None = None
    """Set when the file was (re-)read in this update."""


def scan(
    content_dirs: Iterable[Path], previous: dict[str, Entry], folders: dict[str, int]
) -> tuple[list[ScannedFile], bool, dict[str, int]] | None:
    """Stat every article file; read only those whose stamp or hash changed.

    Also says whether any file is new, gone or re-stamped since `previous`, and
    gives the stamps of the folders looked in. When none of the `folders` has
    changed since, the files are those of `previous` (none added, removed or
    renamed): each is stat-ed by its path, and no folder is listed; None then
    says that none of them changed either.
    """
    listed = _stat_known(previous) if folders_unchanged(folders) else None
    if listed is not None and _same_stamps(listed, previous):
        return None
    if listed is None:
        folders = {}
        listed_at = time.time_ns()
        listed = list(article_entries(content_dirs, folders))
        folders = settled(folders, listed_at)
    scanned = []
    changed = False
    for path, stat in listed:
        old = previous.get(path)
        if old and stat.st_mtime_ns == old.mtime_ns and stat.st_size == old.size:
            scanned.append(ScannedFile(path, old))
            continue
        changed = True
        item = read_file(path, old)
        if item is not None:
            scanned.append(item)
        else:  # unreadable now (permissions, gone): list the folders again next time
            folders = {}
    return scanned, changed or len(scanned) != len(previous), folders


def unchanged(previous: dict[str, Entry], folders: dict[str, int]) -> bool:
    """True when, by their stamps, no file of `previous` and no folder changed (a quick no)."""
    listed = _stat_known(previous) if folders_unchanged(folders) else None
    return listed is not None and _same_stamps(listed, previous)


def _same_stamps(listed: list[tuple[str, os.stat_result]], previous: dict[str, Entry]) -> bool:
    return all(
        stat.st_mtime_ns == entry.mtime_ns and stat.st_size == entry.size
        for (_path, stat), entry in zip(listed, previous.values(), strict=True)
    )


def _stat_known(previous: dict[str, Entry]) -> list[tuple[str, os.stat_result]] | None:
    """(path, stat) of each file of `previous`, in its order; None if one is gone."""
    try:
        return [(path, os.stat(path)) for path in previous]
    except OSError:
        return None


def read_file(path: str, old: Entry | None = None) -> ScannedFile | None:
    """Read one file: its stamp and hash, and the article unless the hash is unchanged."""
    try:
        stat = os.stat(path)
        with open(path, "rb") as handle:
            raw = handle.read(MAX_ARTICLE_BYTES + 1)  # a larger file is refused, unread
    except OSError:
        return None
    digest = hashlib.sha256(raw).hexdigest()
    if old and digest == old.sha256:
        old.mtime_ns, old.size = stat.st_mtime_ns, stat.st_size
        return ScannedFile(path, old)
    loaded = article_from_bytes(raw, Path(path))
    entry = Entry(
        stat.st_mtime_ns,
        stat.st_size,
        digest,
        loaded.article.id if loaded.article else None,
        False,
        [(p.line, p.message) for p in loaded.problems],
    )
    return ScannedFile(path, entry, loaded.article)


def assign_ids(scanned: list[ScannedFile]) -> dict[str, ScannedFile]:
    """Which file provides each article id: the first one, in scan order."""
    desired: dict[str, ScannedFile] = {}
    for item in scanned:
        if item.entry.problems:
            item.entry.problems = [
                problem for problem in item.entry.problems if not problem[1].startswith(DUPLICATE)
            ]
        article_id = item.entry.article_id
        if article_id is None:
            item.entry.indexed = False
            continue
        if article_id in desired:
            first = desired[article_id].path
            message = f"{DUPLICATE} {article_id!r} (already used by {first}); not indexed"
            item.entry.problems.append((None, message))
            item.entry.indexed = False
            continue
        desired[article_id] = item
    return desired


def moved(article_id: str, item: ScannedFile, previous: dict[str, Entry]) -> bool:
    """True when the id was indexed from another file, or not indexed before."""
    old = previous.get(item.path)
    return old is None or not old.indexed or old.article_id != article_id


def problems_of(scanned: list[ScannedFile]) -> list[Problem]:
    return [
        Problem(Path(item.path), line, message)
        for item in scanned
        for line, message in item.entry.problems
    ]
