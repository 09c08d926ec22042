"""Curating in the library: grades, themes, articles put in or taken out of themes.

Each change lands in the library's YAML (never in the content folder), keeps
what the file held besides, and shows at once in searches and facets.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from index import Filters, SearchRequest
from index.errors import CurationError, QueryError
from index.workspace import Workspace


def members(workspace: Workspace, theme: str) -> set[str]:
    return {h.id for h in workspace.search(SearchRequest(Filters(theme=theme), limit=50)).hits}


def library(workspace: Workspace, name: str) -> Any:
    return yaml.safe_load((workspace.data.library_dir / name).read_text())


@pytest.fixture
def curated(corpus_dir: Path, tmp_path: Path) -> Iterator[Workspace]:
    from index.paths import DataPaths

    data = DataPaths(tmp_path / "data")
    workspace = Workspace([corpus_dir, data.library_dir], data)
    workspace.sync()
    yield workspace
    workspace.close()


def test_grading_a_source_writes_the_library_and_keeps_the_content(
    curated: Workspace, corpus_dir: Path
) -> None:
    before = (corpus_dir / "sources.yaml").read_text()
    graded = curated.grade_source("kcna", "E", "  State media; claims rarely verifiable. ")
    assert graded.grade == "E" and curated.source("kcna").grade == "E"
    assert curated.source("kcna").rationale == "State media; claims rarely verifiable."
    assert (corpus_dir / "sources.yaml").read_text() == before
    entry = next(e for e in library(curated, "sources.yaml") if e["id"] == "kcna")
    assert entry["grade"] == "E" and entry["name"] == "KCNA"
    with pytest.raises(CurationError, match="grade 'Z'"):
        curated.grade_source("kcna", "Z", "")


def test_a_query_saved_as_a_theme_classifies_at_once(curated: Workspace) -> None:
    theme = curated.save_theme(None, "Food and farms", "greenhouse OR excavators")
    assert theme.id == "food-and-farms" and "food-and-farms" in curated.themes
    assert members(curated, "food-and-farms") == {"sinuiju-greenhouse", "chinese-investors-mine"}
    curated.save_theme("food-and-farms", "Food", "greenhouse")  # edited: the same id
    assert curated.themes["food-and-farms"].name == "Food"
    assert members(curated, "food-and-farms") == {"sinuiju-greenhouse"}
    with pytest.raises(QueryError, match="theme not saved"):
        curated.save_theme(None, "Broken", "colour:red")
    saved = library(curated, "themes.yaml")
    assert [e["id"] for e in saved] == ["food-and-farms"]


def test_an_article_is_put_in_and_taken_out_of_themes_by_hand(curated: Workspace) -> None:
    assert "chinese-investors-mine" not in members(curated, "pyongyang-focus")
    curated.set_article_theme("chinese-investors-mine", "pyongyang-focus", True)
    assert "chinese-investors-mine" in members(curated, "pyongyang-focus")
    assert "chinese-investors-mine" in members(curated, "china-ventures")  # others stay
    curated.set_article_theme("chinese-investors-mine", "china-ventures", False)
    assert "chinese-investors-mine" not in members(curated, "china-ventures")
    assert library(curated, "article-themes.yaml") == {
        "chinese-investors-mine": {"add": ["pyongyang-focus"], "remove": ["china-ventures"]}
    }


def test_hand_made_themes_survive_a_rebuild_and_a_hand_edit(curated: Workspace) -> None:
    curated.set_article_theme("chinese-investors-mine", "pyongyang-focus", True)
    curated.sync(rebuild=True)
    assert "chinese-investors-mine" in members(curated, "pyongyang-focus")
    path = curated.data.library_dir / "article-themes.yaml"
    path.write_text("sinuiju-greenhouse:\n  remove: [pyongyang-focus]\n")  # edited by hand
    assert curated.needs_update()
    curated.sync()
    assert "chinese-investors-mine" not in members(curated, "pyongyang-focus")


def test_year_and_unread_filters(curated: Workspace) -> None:
    def ids(filters: Filters, hide: frozenset[str] = frozenset()) -> set[str]:
        request = SearchRequest(filters, hide, limit=50)
        return {h.id for h in curated.search(request).hits}

    assert ids(Filters(year="2023")) == {"chinese-investors-mine"}
    assert ids(Filters(year="undated")) == {"fisheries-no-date"}
    everything = ids(Filters())
    read = frozenset({"chinese-investors-mine", "pyongyang-housing"})
    assert ids(Filters(), hide=read) == everything - read
    result = curated.search(SearchRequest(Filters(), hide=read, limit=1))
    assert result.total == len(everything) - 2 and sum(result.facets.sources.values()) == 4
