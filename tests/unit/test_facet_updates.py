"""After an update the facet sets are carried over, and say what building them would.

The engine keeps the sets of the version before an update and works out only
the new segment's documents (facets.py); these tests check, after articles
are changed, removed and added, notes saved and themes edited, that the
carried sets equal sets built from scratch — and that they were carried over,
not quietly built again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import astuple
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import documents, write_corpus
from index import Filters, SearchRequest
from index.engine import facets, version_cache
from index.paths import DataPaths
from index.workspace import Workspace


@pytest.fixture
def library(tmp_path: Path) -> Iterator[tuple[Workspace, Path]]:
    corpus = write_corpus(documents(100), tmp_path / "corpus")  # the tests edit up to the 33rd
    data = DataPaths(tmp_path / "data")
    workspace = Workspace([corpus, data.library_dir], data)
    workspace.sync()
    workspace.prepare()
    yield workspace, corpus
    workspace.close()


def built_afresh(workspace: Workspace) -> tuple[Any, ...]:
    engine = workspace.engine()
    sets = facets.build_facet_sets(
        engine.searcher, engine.parser, engine.matching, Path("/nonexistent/no-cache")
    )
    return astuple(sets)


def carried(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, ...]:
    """The engine's sets now, which must not be built from scratch."""

    def no_build(*args: Any) -> None:
        raise AssertionError("the facet sets were built again, not carried over")

    with monkeypatch.context() as patched:
        patched.setattr(version_cache, "build_facet_sets", no_build)
        workspace.prepare()
    return astuple(workspace.engine()._facet_sets())


def test_sets_carried_over_an_update_equal_sets_built_afresh(
    library: tuple[Workspace, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, corpus = library
    articles = sorted((corpus / "articles").iterdir())
    for path in articles[5:8]:  # now about flooding in Sinuiju: other places, other themes
        path.write_text(path.read_text() + "\nFlood damage in Sinuiju; a new factory rebuilt.\n")
    articles[9].unlink()
    for doc in documents(4, seed=99):
        write_corpus([doc], corpus.parent / "extra")
        (corpus.parent / "extra" / "articles" / f"{doc.id}.md").rename(
            corpus / "articles" / f"new-{doc.id}.md"
        )
    report = workspace.sync()
    assert len(report.updated) == 3 and len(report.removed) == 1, report

    assert carried(workspace, monkeypatch) == built_afresh(workspace)
    assert workspace.search("sinuiju").total >= 3

    first = workspace.search(SearchRequest(Filters(), limit=1)).hits[0]
    article = workspace.article(first.id)
    assert article is not None
    workspace.annotate(article, None, "Keep an eye on the cement quota.", ("cement",))
    assert carried(workspace, monkeypatch) == built_afresh(workspace)
    assert workspace.search("quota").total >= 1


def test_a_theme_edited_means_its_members_are_worked_out_again(
    library: tuple[Workspace, Path],
) -> None:
    workspace, _corpus = library
    theme = workspace.save_theme(None, "Provinces", "yonpo")  # both are seed words (the
    members = workspace.search(SearchRequest(Filters(theme=theme.id), limit=1)).total  # corpus is)
    assert members > 0
    workspace.save_theme(theme.id, "Provinces", "yonpo OR wikimedia")
    assert workspace.search(SearchRequest(Filters(theme=theme.id), limit=1)).total > members
    assert astuple(workspace.engine()._facet_sets()) == built_afresh(workspace)


def test_a_capped_prefix_in_a_theme_expands_as_over_the_whole_index(
    library: tuple[Workspace, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.engine.fast import ranking

    workspace, corpus = library
    monkeypatch.setattr(ranking, "PREFIX_EXPANSIONS", 3)  # few: the new segment's commonest
    theme = workspace.save_theme(None, "Pro words", "pro*")  # words differ from the index's
    workspace.prepare()
    articles = sorted((corpus / "articles").iterdir())
    for path in articles[30:33]:
        path.write_text(path.read_text() + "\\nProcurement, proofing and prosody.\\n")
    workspace.sync()
    assert carried(workspace, monkeypatch) == built_afresh(workspace)
    assert workspace.search(SearchRequest(Filters(theme=theme.id), limit=1)).total > 0
