"""The tags of duplicates, added to the library article they repeat at the end of an import.

An archive that files one story under several topics yields one article
tagged with every topic: each later copy is a duplicate whose tags are kept
here and written once, when the import finishes. Only articles of the
import's target folder are changed, never bundled content.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..content.files import ARTICLES_DIR
from ..content.frontmatter import parse_front_matter
from ..errors import YamlError
from ..storage import atomic_write_text
from .article_file import article_text
from .known import KnownArticles


class PendingTags:
    """New tags for the articles of `target`, by id, written once at the end."""

    def __init__(self, target: Path, known: KnownArticles) -> None:
        self.target = target
        self.known = known
        self._tags: dict[str, list[str]] = {}

    def add(self, article_id: str, tags: list[str]) -> None:
        """Remember tags to add to an article (each once)."""
        if tags:
            pending = self._tags.setdefault(article_id, [])
            pending.extend(tag for tag in tags if tag not in pending)

    def write(self, fail: Callable[[str, str], None]) -> None:
        """Add the remembered tags to the articles of the target; `fail(file, reason)` else."""
        target = self.target.resolve()
        default_folder = self.target / ARTICLES_DIR
        for article_id, tags in self._tags.items():
            path = self.known.path_of(article_id, default_folder / f"{article_id}.md")
            if target not in path.resolve().parents:
                continue
            try:
                _merge_tags(path, tags)
            except (OSError, YamlError) as error:
                fail(str(path), f"tags of its duplicates not added: {error}")
        self._tags.clear()


def _merge_tags(path: Path, tags: list[str]) -> None:
    text = path.read_text(encoding="utf-8")
    front = parse_front_matter(text)
    current = [str(tag) for tag in front.data.get("tags") or []]
    merged = list(dict.fromkeys([*current, *tags]))
    if merged == current:
        return
    data = dict(front.data)
    data["tags"] = merged
    atomic_write_text(path, article_text(data, front.body.lstrip("\n")))
