"""Where article files are found in a content folder."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

ARTICLES_DIR = "articles"


def article_files(content_dirs: Iterable[Path]) -> Iterator[Path]:
    """Every article file, in a stable order: folder by folder, then by path.

    Articles live in `<content>/articles/`, in any sub-folders; hidden files and
    folders (editor swap files, `.git`) are skipped.
    """
    for directory in content_dirs:
        root = directory / ARTICLES_DIR
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*.md")):
            relative = path.relative_to(root).parts
            if any(part.startswith(".") for part in relative) or not path.is_file():
                continue
            yield path
