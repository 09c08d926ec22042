"""Facet counts: articles per source, theme, year, place and month, for any result set.

For each index generation the engine keeps the set of documents of every
facet value; counting a result set is then a few set intersections, which
stay fast on large archives because they never visit stored fields. Each
dimension ignores its own filter (see `models.Facets`).

Theme membership is the slowest part to work out (every theme's query runs
over the whole index), and its answer only changes with the index or the
themes, so it is cached in a file beside the index, keyed by both.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import query as wq

from ..content.gazetteer import gazetteer
from ..errors import QueryError
from ..models import Facets
from ..storage import atomic_write_text
from .analysis import normalise_name
from .fast.columns import live_docs, numeric_column
from .query import QueryParser

PLACES_SHOWN = 30
THEME_CACHE = "briefing-themes.json"
log = logging.getLogger(__name__)


@dataclass
class FacetSets:
    """Documents per facet value for one index generation."""

    every: set[int]
    places: dict[str, set[int]]
    sources: dict[str, set[int]]
    years: dict[str, set[int]]
    months: dict[str, set[int]]
    themes: dict[str, set[int]]
    days: list[int]
    """The date of each document (ordinal; 0 when undated), by document number."""
    theme_errors: dict[str, str]
    """Themes whose query cannot be run, with the message."""
    stories: dict[str, set[int]] = field(default_factory=dict)
    """The documents of each story told by more than one article, by its first article's id."""
    story_of: dict[int, str] = field(default_factory=dict)

    def source_of(self, docnum: int) -> str:
        return next((s for s, docs in self.sources.items() if docnum in docs), "")

    def also_in(self, docnum: int) -> tuple[str, ...]:
        """The sources of the other articles telling the story of document `docnum`."""
        story = self.stories.get(self.story_of.get(docnum, ""))
        if not story:
            return ()
        mine = self.source_of(docnum)
        others = {self.source_of(other) for other in story if other != docnum}
        return tuple(sorted(others - {mine, ""}))

    def counts(
        self,
        matching: set[int],
        source: str | None,
        theme: str | None,
        year: str | None = None,
        in_place: set[int] | None = None,
    ) -> tuple[set[int], Facets]:
        """The documents passing every filter, and the facets of `matching` under them.

        Each dimension is counted under the other dimensions' filters, never
        its own: with a year chosen, the other years still show their counts.
        `in_place` is the documents of the chosen place, if one is.
        """
        if theme and theme not in self.themes:
            raise QueryError(f"unknown theme {theme!r}")
        filters = {
            "source": self.sources.get(source, set()) if source else None,
            "theme": self.themes[theme] if theme else None,
            "year": self.years.get(year, set()) if year else None,
            "place": in_place,
        }

        def without(dimension: str) -> set[int]:
            found = matching
            for name, docs in filters.items():
                if name != dimension and docs is not None:
                    found = found & docs
            return found

        for_themes = without("theme")
        final = without("") if any(d is not None for d in filters.values()) else matching
        facets = Facets(
            sources=_counts(without("source"), self.sources),
            themes=_counts(for_themes, self.themes, keep_zero=True),
            years=_counts(without("year"), self.years),
            places=_top(_counts(without("place"), self.places), PLACES_SHOWN),
            theme_months={
                theme_id: _counts(for_themes & members, self.months)
                for theme_id, members in self.themes.items()
            },
            months=tuple(sorted(self.months)),
        )
        return final, facets

    def themes_of(self, docnum: int) -> tuple[str, ...]:
        return tuple(t for t, docs in self.themes.items() if docnum in docs)


def build_facet_sets(
    searcher: Any,
    parser: QueryParser,
    docs: Callable[[Any], set[int]],
    index_dir: Path,
) -> FacetSets:
    """Every facet value's documents in the searcher's index; `docs` runs a query."""
    reader = searcher.reader()
    every = live_docs(searcher)

    def by_term(field: str) -> dict[str, set[int]]:
        return {str(value): docs(wq.Term(field, value)) for value in reader.field_terms(field)}

    themes, errors = _theme_sets(reader, parser, docs, index_dir)
    stories = {
        story: copies | docs(wq.Term("id", story)) for story, copies in by_term("story").items()
    }  # the copies of each story, and its first article
    stories = {story: found for story, found in stories.items() if len(found) > 1}
    story_of = {docnum: story for story, found in stories.items() for docnum in found}
    months = by_term("month")
    months.pop("undated", None)
    places = {_place_name(term): found for term, found in by_term("places").items()}
    days = numeric_column(searcher, "day")
    return FacetSets(
        every,
        places,
        by_term("source"),
        by_term("year"),
        months,
        themes,
        days,
        errors,
        stories,
        story_of,
    )


def _theme_sets(
    reader: Any, parser: QueryParser, docs: Callable[[Any], set[int]], index_dir: Path
) -> tuple[dict[str, set[int]], dict[str, str]]:
    """Each theme's documents: from the cache file when it matches this index, else run."""
    queries = {t.id: t.query for t in parser.themes.values()}
    key = json.dumps([generation_key(reader), queries, parser.variants_key], sort_keys=True)
    cache_file = index_dir / THEME_CACHE
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        cached = json.loads(cache_file.read_text(encoding="utf-8"))
        if cached["key"] == key:
            found = {theme: set(members) for theme, members in cached["themes"].items()}
            return found, dict(cached["errors"])
    themes: dict[str, set[int]] = {}
    errors = {}
    for theme_id in parser.themes:
        try:
            themes[theme_id] = docs(parser.theme_query(theme_id))
        except QueryError as error:
            themes[theme_id] = set()
            errors[theme_id] = str(error)
    payload = {"key": key, "errors": errors,
               "themes": {theme: sorted(members) for theme, members in themes.items()}}  # fmt: skip
    try:
        atomic_write_text(cache_file, json.dumps(payload, separators=(",", ":")), durable=False)
    except OSError as error:  # a read-only data dir simply has no cache
        log.info("theme cache not written: %s", error)
    return themes, errors


def generation_key(reader: Any) -> list[str]:
    """Names the exact index content: its segments and their deletions."""
    parts = []
    for leaf, offset in reader.leaf_readers():
        segment = leaf.segment()
        if segment is not None:  # an empty index has a reader without a segment
            parts.append(f"{segment.segment_id()}:{segment.deleted_count()}:{offset}")
    return parts


def _counts(docs: set[int], groups: dict[str, set[int]], keep_zero: bool = False) -> dict[str, int]:
    counts = {value: len(docs & members) for value, members in groups.items()}
    return {value: n for value, n in counts.items() if n or keep_zero}


def _top(counts: dict[str, int], limit: int) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit])


def _place_name(term: str) -> str:
    """A place's display name from its indexed (folded) form, via the gazetteer."""
    for place in gazetteer().lookup(term):
        if normalise_name(place.name) == term or normalise_name(place.province) == term:
            return place.name if normalise_name(place.name) == term else place.province
    return " ".join(word.capitalize() for word in term.split())
