"""The engine's fast paths answer exactly what Whoosh's own slow paths answer.

`engine/fast/` reads Whoosh's posting blocks and columns directly and scores
with Whoosh's formula; these tests compare it with Whoosh's public
per-document API on an index of several segments, with deleted documents and
posting lists of many blocks — and force each fast path's own public-API
fallback (`public_api_only`) to check that it gives the same answers too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from whoosh import query as wq

from benchmarks.generate import documents, write_corpus
from index import Filters, SearchRequest
from index.engine.fast import public_api_only
from index.engine.fast.columns import field_lengths, live_docs, numeric_column
from index.engine.fast.postings import PostingReader
from index.engine.fast.ranking import matching_docs, ranked_by_terms
from index.paths import DataPaths
from index.workspace import Workspace

pytestmark = pytest.mark.slow

QUERIES = [
    "pyongyang",
    "factory construction",
    '"central committee"',
    '"kim jong un"',
    "constr*",
    "china OR chinese",
    "province NOT county",
    "title:factory",
    "people AND NOT (party OR army)",
    "date:2021 agriculture",
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("fast-paths")
    corpus = write_corpus(documents(700), root / "corpus")
    workspace = Workspace([corpus], DataPaths(root / "data"))
    workspace.sync()
    articles = sorted((corpus / "articles").iterdir())
    for path in articles[10:13]:  # updated: deleted from the first segment, added to a new one
        path.write_text(path.read_text() + "\nThe county built a new factory in Pyongyang.\n")
    for path in articles[20:22]:
        path.unlink()
    workspace.sync()
    engine = workspace.engine()
    workspace.search(SearchRequest(Filters(), limit=1))
    searcher = engine.searcher
    assert len(list(searcher.leaf_searchers())) > 1 and searcher.reader().has_deletions()
    yield engine
    workspace.close()


def test_columns_read_whole_match_whoosh_per_document(engine: Any) -> None:
    searcher = engine.searcher
    reader = searcher.reader()
    assert live_docs(searcher) == set(reader.all_doc_ids())
    assert numeric_column(searcher, "day") == list(reader.column_reader("day"))
    for field in ("title", "body", "context"):
        expected = [searcher.doc_field_length(d, field, 1) for d in range(reader.doc_count_all())]
        assert field_lengths(searcher, field) == expected


@pytest.mark.parametrize("text", QUERIES)
def test_matching_documents_are_whoosh_s(engine: Any, text: str) -> None:
    parsed = engine.parser.parse(text)
    postings = PostingReader(engine.searcher)
    found = matching_docs(
        postings,
        parsed,
        lambda: live_docs(engine.searcher),
        lambda: numeric_column(engine.searcher, "day"),
    )
    assert found == set(engine.searcher.docs_for_query(parsed))
    assert found, f"{text!r} should match something in the generated corpus"


def test_positions_are_whoosh_s(engine: Any) -> None:
    searcher = engine.searcher
    postings = PostingReader(searcher)
    decode = searcher.schema["body"].format.decode_positions
    for word in ("central", "pyongyang", "factori"):
        read = postings.term("body", word)
        assert len(read.ids) > 128  # several blocks
        assert read.values is not None
        expected = {d: decode(v) for d, v in zip(read.ids, read.values, strict=True)}
        found = postings.positions("body", word, set(read.ids))
        assert {d: list(positions) for d, positions in found.items()} == expected


def boosted_single_expansions(query: Any, reader: Any) -> Any:
    """Whoosh drops a prefix's boost when it expands to a single word; our ranking keeps it."""
    if isinstance(query, wq.MultiTerm):
        words = [word for word in query._btexts(reader) if word]
        return wq.Term(query.field(), words[0], boost=query.boost) if len(words) == 1 else query
    if query.is_leaf():
        return query
    return query.apply(lambda child: boosted_single_expansions(child, reader))


def whoosh_score(searcher: Any, query: Any, docnum: int) -> float:
    """Whoosh's score, where a phrase scores as its words wherever the phrase is (our rule)."""
    if isinstance(query, wq.Or) and all(isinstance(q, wq.Phrase) for q in query.subqueries):
        total = 0.0
        for phrase in query.subqueries:
            if docnum in set(searcher.docs_for_query(phrase)):
                words = [wq.Term(phrase.fieldname, w, boost=phrase.boost) for w in phrase.words]
                total += whoosh_score(searcher, wq.And(words), docnum)
        return total
    matcher = query.matcher(searcher, searcher.context())
    matcher.skip_to(docnum)
    assert matcher.id() == docnum
    return float(matcher.score())


@pytest.mark.parametrize("text", [q for q in QUERIES if "date:" not in q])
def test_ranking_follows_whoosh_s_scores(engine: Any, text: str) -> None:
    """The page is the best documents by Whoosh's own scores, in order and with its scores.

    Whoosh adds a constant to every document under a NOT; phrases are ranked as their words;
    a prefix that expands to one word keeps its boost.
    """
    searcher = engine.searcher
    parsed = engine.parser.parse(text)
    postings = PostingReader(searcher)
    found = matching_docs(
        postings,
        parsed,
        lambda: live_docs(engine.searcher),
        lambda: numeric_column(engine.searcher, "day"),
    )
    ranked = ranked_by_terms(postings, parsed, found, 10)

    reference = boosted_single_expansions(parsed, searcher.reader())
    whoosh_scores = {docnum: whoosh_score(searcher, reference, docnum) for docnum in found}
    best = sorted(whoosh_scores.values(), reverse=True)[:10]
    shift = 1.0 if "NOT" in text else 0.0
    # The same scores at every rank (ties may order equal documents either way)…
    assert [round(score + shift, 6) for score, _docnum in ranked] == [round(b, 6) for b in best]
    # …and each document we rank has that score by Whoosh's own reckoning.
    for score, docnum in ranked:
        assert round(whoosh_scores[docnum], 6) == round(score + shift, 6)


def test_the_engine_searches_a_multi_segment_index_like_whoosh(engine: Any) -> None:
    result = engine.search(SearchRequest(Filters("factory pyongyang"), limit=5))
    assert result.total == len(
        set(engine.searcher.docs_for_query(engine.parser.parse("factory pyongyang")))
    )
    assert len(result.hits) == 5


def test_the_posting_cache_stays_within_its_budget(engine: Any) -> None:
    postings = PostingReader(engine.searcher, budget=300)
    for word in ("central", "pyongyang", "factori", "construct", "agricultur"):
        postings.term("body", word)
    terms, held = postings.held
    assert terms == 1 or held <= 300


@pytest.mark.parametrize("text", QUERIES)
def test_the_public_api_fallbacks_give_the_fast_paths_answers(engine: Any, text: str) -> None:
    searcher = engine.searcher
    parsed = engine.parser.parse(text)

    def answers() -> tuple[Any, ...]:
        postings = PostingReader(searcher)
        found = engine.matching(parsed)
        ranked = ranked_by_terms(postings, parsed, found, 10)
        found_at = postings.positions("body", "factori", found)
        positions = {docnum: list(at) for docnum, at in found_at.items()}
        columns = (
            live_docs(searcher),
            numeric_column(searcher, "day"),
            field_lengths(searcher, "body"),
        )
        return found, [(round(s, 9), d) for s, d in ranked], positions, columns

    fast = answers()
    with public_api_only():
        fallback = answers()
    assert fallback == fast
    assert fast[0] and fast[1]
