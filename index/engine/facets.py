"""Facet counts: articles per source, theme, year, place and month, for any result set.

For each index generation the engine keeps the set of documents of every
facet value; counting a result set is then a few set intersections, which
stay fast on large archives because they never visit stored fields. Each
dimension ignores its own filter (see `models.Facets`).

Theme membership is the slowest part to work out (every theme's query runs
over the whole index), and its answer only changes with the index or the
themes, so it is cached in a file beside the index, keyed by both.

After an update (a note saved, an article imported) the index keeps its old
segments, with a few more documents deleted, and gains a small new one at the
end: the sets are then carried over (`updated_facet_sets`) — the deleted
documents taken out, and only the new segment's documents looked at, theme
queries included — instead of being worked out again for the whole archive.
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
from whoosh.reading import MultiReader
from whoosh.searching import Searcher

from ..content.gazetteer import gazetteer
from ..errors import QueryError
from ..models import Facets
from ..storage import atomic_write_text
from .analysis import normalise_name
from .fast.columns import live_docs, numeric_column
from .fast.postings import PostingReader
from .fast.ranking import matching_docs
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
    layout: tuple[tuple[str, int, int], ...] = ()
    """(segment id, first document number, documents) of each segment the sets describe."""
    themes_key: str = ""
    """The theme queries and name variants the theme sets were worked out with."""

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
    themes, errors = _theme_sets(reader, parser, docs, index_dir)
    terms = _term_sets(reader, docs)
    stories, story_of = _story_sets(reader, docs)
    return FacetSets(
        live_docs(searcher),
        terms["places"],
        terms["source"],
        terms["year"],
        terms["month"],
        themes,
        numeric_column(searcher, "day"),
        errors,
        stories,
        story_of,
        layout_of(reader),
        themes_key(parser),
    )


def updated_facet_sets(
    earlier: FacetSets,
    searcher: Any,
    parser: QueryParser,
    docs: Callable[[Any], set[int]],
    index_dir: Path,
) -> FacetSets | None:
    """The facet sets of the searcher's index, carried over from those of an earlier version.

    Possible when the index kept the earlier version's first segments where they
    were (an update adds a segment at the end and may merge the last few); the
    documents after those are looked at afresh, in a searcher of their own.
    None when there is nothing to carry over: the sets must be built.
    """
    if earlier.themes_key != themes_key(parser):
        return None
    reader = searcher.reader()
    layout = layout_of(reader)
    kept = 0
    while kept < min(len(layout), len(earlier.layout)) and layout[kept] == earlier.layout[kept]:
        kept += 1
    if not kept:
        return None
    _segment, offset, count = layout[kept - 1]
    start = offset + count
    """The first document number after the segments kept."""
    every = live_docs(searcher)
    kept_live = {docnum for docnum in every if docnum < start}
    tail = [leaf for leaf, _offset in reader.leaf_readers()[kept:]]
    if sum(leaf.doc_count_all() for leaf in tail) > max(1000, start):
        return None  # most of the index is new: building is as quick, and simpler
    new = _tail_sets(tail, parser, reader) if tail else None

    def carried(
        sets: dict[str, set[int]], new_sets: dict[str, set[int]], keep_empty: bool = False
    ) -> dict[str, set[int]]:
        found = {value: members & kept_live for value, members in sets.items()}
        for value, members in new_sets.items():
            found.setdefault(value, set()).update(start + docnum for docnum in members)
        return found if keep_empty else {value: docs for value, docs in found.items() if docs}

    terms = new[0] if new else {name: {} for name in TERM_FACETS}
    themes = carried(earlier.themes, new[1] if new else {}, keep_empty=True)
    errors = {**earlier.theme_errors, **(new[2] if new else {})}
    stories, story_of = _story_sets(reader, docs)
    _save_theme_cache(index_dir, _theme_cache_key(reader, parser), themes, errors)
    return FacetSets(
        every,
        carried(earlier.places, terms["places"]),
        carried(earlier.sources, terms["source"]),
        carried(earlier.years, terms["year"]),
        carried(earlier.months, terms["month"]),
        themes,
        numeric_column(searcher, "day"),
        errors,
        stories,
        story_of,
        layout,
        themes_key(parser),
    )


TERM_FACETS = ("places", "source", "year", "month")


def _tail_sets(
    leaves: list[Any], parser: QueryParser, whole: Any
) -> tuple[dict[str, dict[str, set[int]]], dict[str, set[int]], dict[str, str]]:
    """Term facets, theme members and theme errors of some segments, numbered from 0.

    Queries are matched as over the `whole` index's reader: a prefix expands to
    the words commonest in the whole index, not in these segments.
    """
    reader = leaves[0] if len(leaves) == 1 else MultiReader(leaves)
    searcher = Searcher(reader)  # not closed: the readers are the engine's searcher's
    every = live_docs(searcher)
    days = numeric_column(searcher, "day")
    postings = PostingReader(searcher, lexicon=whole)

    def docs(query: Any) -> set[int]:
        try:
            return matching_docs(postings, query, lambda: every, lambda: days)
        except Exception as error:  # as the engine's own matching reports it
            raise QueryError(f"cannot run this query: {error}") from None

    themes, errors = _run_themes(parser, docs)
    return _term_sets(reader, docs), themes, errors


def _term_sets(reader: Any, docs: Callable[[Any], set[int]]) -> dict[str, dict[str, set[int]]]:
    """The documents of each value of the term facets (TERM_FACETS)."""

    def by_term(field: str) -> dict[str, set[int]]:
        return {str(value): docs(wq.Term(field, value)) for value in reader.field_terms(field)}

    months = by_term("month")
    months.pop("undated", None)
    places = {_place_name(term): found for term, found in by_term("places").items()}
    return {"places": places, "source": by_term("source"), "year": by_term("year"), "month": months}


def _story_sets(
    reader: Any, docs: Callable[[Any], set[int]]
) -> tuple[dict[str, set[int]], dict[int, str]]:
    """The documents of each story told by more than one article, and each one's story."""
    stories = {
        str(story): docs(wq.Term("story", story)) | docs(wq.Term("id", story))
        for story in reader.field_terms("story")
    }  # the copies of each story, and its first article
    stories = {story: found for story, found in stories.items() if len(found) > 1}
    return stories, {docnum: story for story, found in stories.items() for docnum in found}


def layout_of(reader: Any) -> tuple[tuple[str, int, int], ...]:
    """(segment id, first document number, documents) of each of the reader's segments."""
    layout = []
    for leaf, offset in reader.leaf_readers():
        segment = leaf.segment()
        if segment is not None:  # an empty index has a reader without a segment
            layout.append((segment.segment_id(), offset, leaf.doc_count_all()))
    return tuple(layout)


def themes_key(parser: QueryParser) -> str:
    """Names what theme membership depends on besides the index: queries and variants."""
    queries = {t.id: t.query for t in parser.themes.values()}
    return json.dumps([queries, parser.variants_key], sort_keys=True)


def _theme_cache_key(reader: Any, parser: QueryParser) -> str:
    return json.dumps([generation_key(reader), themes_key(parser)])


def _theme_sets(
    reader: Any, parser: QueryParser, docs: Callable[[Any], set[int]], index_dir: Path
) -> tuple[dict[str, set[int]], dict[str, str]]:
    """Each theme's documents: from the cache file when it matches this index, else run."""
    key = _theme_cache_key(reader, parser)
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        cached = json.loads((index_dir / THEME_CACHE).read_text(encoding="utf-8"))
        if cached["key"] == key:
            found = {theme: set(members) for theme, members in cached["themes"].items()}
            return found, dict(cached["errors"])
    themes, errors = _run_themes(parser, docs)
    _save_theme_cache(index_dir, key, themes, errors)
    return themes, errors


def _run_themes(
    parser: QueryParser, docs: Callable[[Any], set[int]]
) -> tuple[dict[str, set[int]], dict[str, str]]:
    """Each theme's documents, by running its query; the themes whose query fails, why."""
    themes: dict[str, set[int]] = {}
    errors = {}
    for theme_id in parser.themes:
        try:
            themes[theme_id] = docs(parser.theme_query(theme_id))
        except QueryError as error:
            themes[theme_id] = set()
            errors[theme_id] = str(error)
    return themes, errors


def _save_theme_cache(
    index_dir: Path, key: str, themes: dict[str, set[int]], errors: dict[str, str]
) -> None:
    payload = {
        "key": key,
        "errors": errors,
        "themes": {theme: sorted(members) for theme, members in themes.items()},
    }
    try:
        atomic_write_text(
            index_dir / THEME_CACHE, json.dumps(payload, separators=(",", ":")), durable=False
        )
    except OSError as error:  # a read-only data dir simply has no cache
        log.info("theme cache not written: %s", error)


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
