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


def article_entries(content_dirs: Iterable[Path]) -> Iterator[tuple[str, os.stat_result]]:
    """(path, stat) of every article file, as `article_files` orders them.

    Uses os.scandir, whose entries carry their stat, so scanning a hundred
    thousand files costs one system call per file and no Path objects.
    """
    for directory in content_dirs:
        root = os.path.join(directory, ARTICLES_DIR)
        if os.path.isdir(root):
            yield from sorted(_walk(root))
        elif os.path.isdir(directory) and not os.path.isfile(os.path.join(directory, THEMES)):
            # A plain folder of articles (no articles/ inside): its own .md files are the
            # articles. A briefing folder with its catalog but no articles yet has none.
            yield from sorted(entry for entry in _walk(str(directory)) if not _is_readme(entry[0]))


def _is_readme(path: str) -> bool:
    return os.path.basename(path).lower() in ("readme.md", "changelog.md")


def _walk(folder: str) -> Iterator[tuple[str, os.stat_result]]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            info = entry.stat()
        except OSError:
            continue
        if stat_module.S_ISDIR(info.st_mode):
            yield from _walk(entry.path)
        elif entry.name.endswith(".md") and stat_module.S_ISREG(info.st_mode):
            yield entry.path, info
