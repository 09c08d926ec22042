"""The briefing's reference files: sources, themes and name variants.

Each content folder may hold `sources.yaml`, `themes.yaml` and `variants.yaml`.
When several folders are read (the bundled briefing and the user's library), a
later folder's entry replaces an earlier one with the same id, so a user can
re-grade a source or redefine a theme without touching the bundled files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import YamlError
from ..models import Problem, Source, Theme
from ..safe_yaml import load_yaml
from ..sanitize import clean_value

SOURCES_FILE = "sources.yaml"
THEMES_FILE = "themes.yaml"
VARIANTS_FILE = "variants.yaml"
GRADES = ("A", "B", "C", "D", "E", "F", "unrated")
SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
"""What a source or theme id may be (use `fullmatch`)."""


@dataclass
class Catalog:
    """Sources, themes and variant groups from one or more content folders."""

    sources: dict[str, Source] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    variants: list[tuple[str, ...]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    theme_lines: dict[str, tuple[Path, int | None]] = field(default_factory=dict)
    """Where each theme is defined, for messages about its query."""


def load_catalog(content_dirs: Iterable[Path]) -> Catalog:
    catalog = Catalog()
    for directory in content_dirs:
        _load_sources(directory / SOURCES_FILE, catalog)
        _load_themes(directory / THEMES_FILE, catalog)
        _load_variants(directory / VARIANTS_FILE, catalog)
    return catalog


def _entries(path: Path, catalog: Catalog) -> list[tuple[Any, int | None]]:
    """The items of a YAML list file with their lines; [] (and a problem) when unreadable."""
    if not path.is_file():
        return []
    try:
        text = path.read_bytes().decode("utf-8-sig")
        data, lines = load_yaml(text)
    except UnicodeDecodeError:
        catalog.problems.append(Problem(path, None, "not UTF-8"))
        return []
    except OSError as error:
        catalog.problems.append(Problem(path, None, f"cannot read: {error.strerror or error}"))
        return []
    except YamlError as error:
        catalog.problems.append(Problem(path, error.line, error.message))
        return []
    if data is None:
        return []
    if not isinstance(data, list):
        catalog.problems.append(Problem(path, 1, "must be a list of entries"))
        return []
    return [(clean_value(item), lines.get(position)) for position, item in enumerate(data)]


def _load_sources(path: Path, catalog: Catalog) -> None:
    for item, line in _entries(path, catalog):
        entry = _mapping_with_id(item, path, line, catalog)
        if entry is None:
            continue
        grade = str(entry.get("grade") or "unrated").strip()
        if grade not in GRADES:
            catalog.problems.append(
                Problem(path, line, f"source {entry['id']!r}: grade must be A–F or unrated")
            )
            grade = "unrated"
        languages = entry.get("languages") or ()
        catalog.sources[entry["id"]] = Source(
            id=entry["id"],
            name=str(entry.get("name") or entry["id"]),
            kind=str(entry.get("kind") or ""),
            languages=tuple(str(x) for x in languages) if isinstance(languages, list) else (),
            homepage=str(entry.get("homepage") or ""),
            grade=grade,
            rationale=str(entry.get("rationale") or "").strip(),
            short=str(entry.get("short") or "").strip(),
        )


def _load_themes(path: Path, catalog: Catalog) -> None:
    for item, line in _entries(path, catalog):
        entry = _mapping_with_id(item, path, line, catalog)
        if entry is None:
            continue
        query = entry.get("query")
        if not isinstance(query, str) or not query.strip():
            catalog.problems.append(Problem(path, line, f"theme {entry['id']!r} has no query"))
            query = ""
        catalog.themes[entry["id"]] = Theme(
            id=entry["id"],
            name=str(entry.get("name") or entry["id"]),
            description=str(entry.get("description") or "").strip(),
            query=" ".join(query.split()),
        )
        catalog.theme_lines[entry["id"]] = (path, line)


def _load_variants(path: Path, catalog: Catalog) -> None:
    for item, line in _entries(path, catalog):
        if not isinstance(item, list) or len(item) < 2:
            catalog.problems.append(Problem(path, line, "each group must list two or more names"))
            continue
        catalog.variants.append(tuple(str(name) for name in item if str(name).strip()))


def _mapping_with_id(
    item: Any, path: Path, line: int | None, catalog: Catalog
) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        catalog.problems.append(Problem(path, line, "each entry must be a mapping"))
        return None
    entry_id = item.get("id")
    if not isinstance(entry_id, str) or not SOURCE_ID.fullmatch(entry_id):
        catalog.problems.append(
            Problem(path, line, "each entry needs an 'id' of lowercase letters, digits, '-'")
        )
        return None
    return item
