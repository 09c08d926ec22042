"""What the search engine remembers about one version of the index, until it changes.

The documents each query matched, the documents of each article id, the
postings read so far and the facet sets (`facets.py`) hold for one searcher.
When the index changes (or the catalog does: themes are queries), the engine
starts a new cache for the new version, handing it the facet sets to carry
over (`after_change`) rather than build again.
"""

from __future__ import annotations

from pathlib import Path

from whoosh import query as wq
from whoosh.searching import Searcher

from ..errors import QueryError
from .facets import FacetSets, build_facet_sets, updated_facet_sets
from .fast.columns import live_docs, numeric_column
from .fast.postings import PostingReader
from .fast.ranking import matching_docs
from .query import QueryParser

MATCH_CACHE = 64
"""Queries whose matching documents are remembered (paging, filter changes, typing back)."""


class VersionCache:
    """The remembered answers for one searcher. Not thread-safe: the engine's lock guards it."""

    def __init__(
        self,
        searcher: Searcher,
        parser: QueryParser,
        index_dir: Path,
        earlier: FacetSets | None = None,
    ) -> None:
        self.searcher = searcher
        self.parser = parser
        self.index_dir = index_dir
        self.postings = PostingReader(searcher)
        self._sets: FacetSets | None = None
        self._earlier = earlier
        """The sets of the version before, to carry over (see facets.py)."""
        self._building: tuple[set[int], list[int]] | None = None
        """Every document and the dates, while the facet sets are being built."""
        self._matches: dict[str, set[int]] = {}
        self._by_id: dict[str, set[int]] = {}

    def after_change(self, searcher: Searcher) -> VersionCache:
        """A cache for the searcher of the index's new version (or of a new catalog).

        It starts empty but for the facet sets, carried over to the new version
        (what changed is checked before they are, see facets.py).
        """
        return VersionCache(searcher, self.parser, self.index_dir, self._sets or self._earlier)

    def docs(self, parsed: wq.Query) -> set[int]:
        """The documents matching a query, remembered for this version."""
        key = repr(parsed)
        cached = self._matches.get(key)
        if cached is not None:
            return cached
        try:
            found = matching_docs(self.postings, parsed, self._every, self._days)
        except Exception as error:  # e.g. a phrase on a field without positions
            raise QueryError(f"cannot run this query: {error}") from None
        if len(self._matches) >= MATCH_CACHE:
            self._matches.pop(next(iter(self._matches)))
        self._matches[key] = found
        return found

    def docnums(self, article_ids: frozenset[str]) -> set[int]:
        """The document numbers of articles, by id (remembered per id for this version)."""
        known = self._by_id
        for article_id in article_ids - known.keys():
            known[article_id] = self.postings.docs("id", article_id)
        found: set[int] = set()
        for article_id in article_ids:
            found |= known[article_id]
        return found

    def matching(self, parsed: wq.Query) -> set[int]:
        """The document numbers a parsed query matches, read afresh (no remembered answers)."""
        return matching_docs(PostingReader(self.searcher), parsed, self._every, self._days)

    def facet_sets(self) -> FacetSets:
        """The facet sets of this version: carried over from the version before, or built."""
        if self._sets is None:
            # Theme queries run while the sets are built may need every document and the
            # dates (NOT, date ranges): they get these, never a second build of the sets.
            self._building = (live_docs(self.searcher), numeric_column(self.searcher, "day"))
            earlier, self._earlier = self._earlier, None
            try:
                found = None
                if earlier is not None:
                    found = updated_facet_sets(
                        earlier, self.searcher, self.parser, self.docs, self.index_dir
                    )
                self._sets = found or build_facet_sets(
                    self.searcher, self.parser, self.docs, self.index_dir
                )
            finally:
                self._building = None
        return self._sets

    def _every(self) -> set[int]:
        if self._sets is None and self._building is not None:
            return self._building[0]
        return self.facet_sets().every

    def _days(self) -> list[int]:
        if self._sets is None and self._building is not None:
            return self._building[1]
        return self.facet_sets().days
