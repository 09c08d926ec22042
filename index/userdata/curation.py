"""The user's own judgements about their briefing, kept in their library folder.

Grading a source, defining or editing a theme, and putting an article in a
theme (or taking it out) are written to YAML files of the library
(`<data>/library`), never to the bundled briefing: the library's
`sources.yaml` and `themes.yaml` entries replace bundled ones with the same
id (see `content.catalog`), and `article-themes.yaml` lists, per article,
the themes added to or removed from it by hand. Every change re-reads the
file under a lock, changes one entry, keeps every other entry and key as it
was, and writes atomically; a file that cannot be read is never overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.catalog import GRADES, SOURCE_ID, SOURCES_FILE, THEMES_FILE
from ..errors import CurationError
from ..models import Source, Theme
from ..sanitize import clean_text
from .library_files import LibraryFiles

ARTICLE_THEMES_FILE = "article-themes.yaml"
HEADERS = {
    SOURCES_FILE: "# Sources of your library, and your grades of others (they replace the "
    "bundled ones). Grades A–F or unrated.\n",
    THEMES_FILE: "# Your themes, and your versions of bundled ones (same id). Each query uses "
    "the search syntax.\n",
    ARTICLE_THEMES_FILE: "# Themes you gave articles (add) or took from them (remove), by "
    "article id.\n",
}


@dataclass(frozen=True)
class ArticleThemes:
    """The themes the user added to one article, and those they took from it."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


class Curation:
    """The curation files of one library folder."""

    def __init__(self, library: Path) -> None:
        self.library = library
        self.files = LibraryFiles(library, CurationError)

    # -- sources and themes ---------------------------------------------------------

    def grade_source(self, source: Source, grade: str, rationale: str) -> Source:
        """Give a source a grade (A–F or unrated) and a one-line reason."""
        if grade not in GRADES:
            raise CurationError(f"grade {grade!r}: use one of {', '.join(GRADES)}")
        rationale = " ".join(clean_text(rationale).split())
        entry = {
            "id": source.id,
            "name": source.name,
            "kind": source.kind,
            "languages": list(source.languages),
            "homepage": source.homepage,
            "grade": grade,
            "rationale": rationale,
        }
        if source.short:
            entry["short"] = source.short
        self._change_list(SOURCES_FILE, source.id, lambda old: {**entry, **_kept(old, entry)})
        return Source(
            source.id,
            source.name,
            source.kind,
            source.languages,
            source.homepage,
            grade,
            rationale,
            source.short,
        )

    def save_theme(self, theme_id: str, name: str, query: str, description: str = "") -> Theme:
        """Define a theme, or redefine one (a bundled one is overridden, not changed)."""
        theme_id = theme_id or slug_id(name)
        if not SOURCE_ID.fullmatch(theme_id):
            raise CurationError(f"theme id {theme_id!r}: lowercase letters, digits, '.', '_', '-'")
        name = " ".join(clean_text(name).split())
        query = " ".join(clean_text(query).split())
        if not name or not query:
            raise CurationError("a theme needs a name and a query")
        description = " ".join(clean_text(description).split())
        entry = {"id": theme_id, "name": name, "description": description, "query": query}
        self._change_list(THEMES_FILE, theme_id, lambda old: {**entry, **_kept(old, entry)})
        return Theme(theme_id, name, entry["description"], query)

    def _change_list(self, name: str, entry_id: str, change: Callable[[Any], Any]) -> None:
        """Replace (or append) the entry `entry_id` of a library list file."""

        def apply(data: Any) -> Any:
            items = list(data or [])
            for number, item in enumerate(items):
                if isinstance(item, dict) and item.get("id") == entry_id:
                    items[number] = change(item)
                    return items
            return [*items, change(None)]

        self._change(name, apply, list)

    # -- articles' themes -------------------------------------------------------------

    def article_themes(self) -> dict[str, ArticleThemes]:
        """Every article's hand-made theme changes (empty when there is no file)."""
        data = self._read(ARTICLE_THEMES_FILE, dict)
        found = {}
        for article_id, entry in (data or {}).items():
            if isinstance(entry, dict):
                found[str(article_id)] = ArticleThemes(
                    tuple(str(t) for t in entry.get("add") or ()),
                    tuple(str(t) for t in entry.get("remove") or ()),
                )
        return found

    def set_article_theme(self, article_id: str, theme_id: str, member: bool) -> None:
        """Put an article in a theme (`member`) or take it out, whatever its queries say."""

        def apply(data: Any) -> Any:
            data = dict(data or {})
            entry = dict(data.get(article_id) or {})
            added = [t for t in entry.get("add") or [] if t != theme_id]
            removed = [t for t in entry.get("remove") or [] if t != theme_id]
            (added if member else removed).append(theme_id)
            entry.update({"add": added, "remove": removed})
            data[article_id] = {key: value for key, value in entry.items() if value}
            return data

        self._change(ARTICLE_THEMES_FILE, apply, dict)

    # -- files --------------------------------------------------------------------------

    def _read(self, name: str, kind: type) -> Any:
        return self.files.read(name, kind)

    def _change(self, name: str, apply: Callable[[Any], Any], kind: type) -> None:
        self.files.change(name, apply, kind, HEADERS[name])


def _kept(old: Any, new: dict[str, Any]) -> dict[str, Any]:
    """Keys of an existing entry that the new one does not set (kept as they were)."""
    if not isinstance(old, dict):
        return {}
    return {key: value for key, value in old.items() if key not in new}


def slug_id(name: str) -> str:
    """An id made from a name: "Food prices" → "food-prices"."""
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))[:64] or "theme"
