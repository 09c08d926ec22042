"""Where article files are found in a content folder."""

from __future__ import annotations

import os
import stat as stat_module
from collections.abc import Iterable, Iterator
from pathlib import Path

ARTICLES_DIR = "articles"
THEMES = "themes.yaml"
"""A folder with this file is a briefing folder, whose articles are in ARTICLES_DIR."""


def article_files(content_dirs: Iterable[Path]) -> Iterator[Path]:
    """Every article file, in a stable order: folder by folder, then by path.

    Articles live in `<content>/articles/`, in any sub-folders, or — in a folder
    with no `articles/` and no `themes.yaml` — are the folder's own `.md` files
    (README.md aside); hidden files and folders (editor swap files, `.git`) are skipped.
    """
    for path, _stat in article_entries(content_dirs):
        yield Path(path)


def article_entries(
    content_dirs: Iterable[Path], folders: dict[str, int] | None = None
) -> Iterator[tuple[str, os.stat_result]]:
    """(path, stat) of every article file, as `article_files` orders them.

    Uses os.scandir, whose entries carry their stat, so scanning a hundred
    thousand files costs one system call per file and no Path objects.
    With `folders`, records there the modification time of every folder
    looked in (see `folders_unchanged`).
    """
    for directory in content_dirs:
        _stamp(str(directory), folders)
        root = os.path.join(directory, ARTICLES_DIR)
        if os.path.isdir(root):
            yield from sorted(_walk(root, folders))
        elif os.path.isdir(directory) and not os.path.isfile(os.path.join(directory, THEMES)):
            # A plain folder of articles (no articles/ inside): its own .md files are the
            # articles. A briefing folder with its catalog but no articles yet has none.
            yield from sorted(
                entry for entry in _walk(str(directory), folders) if not _is_readme(entry[0])
            )


SETTLED_NS = 2_000_000_000
"""A folder changed this recently may change again within its clock's tick unseen."""


def settled(folders: dict[str, int], listed_at: int) -> dict[str, int]:
    """The folder stamps, or none at all when one is too recent to be trusted.

    `listed_at` is `time.time_ns()` from just before the folders were listed:
    a folder changed within SETTLED_NS of it may change again unseen.
    """
    recent = listed_at - SETTLED_NS
    unsure = any(mtime > recent or mtime == UNREADABLE for mtime in folders.values())
    return {} if unsure else folders


def folders_unchanged(folders: dict[str, int]) -> bool:
    """True when no folder stamped by `article_entries` has changed since.

    A file added, removed or renamed changes its folder's modification time, so
    the article files are then the ones listed before: only their own stamps
    need checking. A folder that was missing must be missing still. No stamps
    at all prove nothing.
    """
    if not folders:
        return False
    for path, mtime in folders.items():
        try:
            if os.stat(path).st_mtime_ns != mtime:
                return False
        except OSError:
            if mtime != ABSENT:
                return False
    return True


ABSENT = -1
"""The stamp of a folder that was not there."""
UNREADABLE = -2
"""The stamp of a folder that could not be listed, or held an entry that could not be
stat-ed (a broken link): such stamps are never trusted, so the folder is listed again."""


def _stamp(folder: str, folders: dict[str, int] | None) -> None:
    """Record a folder's modification time (ABSENT when it is missing)."""
    if folders is None:
        return
    try:
        folders[folder] = os.stat(folder).st_mtime_ns
    except OSError:
        folders[folder] = ABSENT


def _is_readme(path: str) -> bool:
    return os.path.basename(path).lower() in ("readme.md", "changelog.md")


def _walk(folder: str, folders: dict[str, int] | None) -> Iterator[tuple[str, os.stat_result]]:
    _stamp(folder, folders)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        if folders is not None:
            folders[folder] = UNREADABLE
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            info = entry.stat()
        except OSError:
            if folders is not None:
                folders[folder] = UNREADABLE
            continue
        if stat_module.S_ISDIR(info.st_mode):
            yield from _walk(entry.path, folders)
        elif entry.name.endswith(".md") and stat_module.S_ISREG(info.st_mode):
            yield entry.path, info
