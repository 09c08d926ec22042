"""The bundled themes, measured on the real KCNA archive against judgements made by reading.

The archive is imported into a fresh library beside the bundled briefing (and
three reports written for the China list); each theme's members are then
compared with `tests/data/theme-judgements.yaml`. Precision and recall are
printed; a theme less than 0.8 precise on its list fails.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from index import Filters, SearchRequest
from index.importing.library import Importer
from index.paths import DataPaths, bundled_content_dir
from index.workspace import Workspace

from ..conftest import SHARED, TESTS

pytestmark = pytest.mark.slow
ARCHIVE = SHARED / "corpora" / "kcna-en-2024-jan-sep.json"
JUDGEMENTS = TESTS / "data" / "theme-judgements.yaml"
WRITTEN = TESTS / "data" / "themes"
MIN_PRECISION = 0.8


@pytest.fixture(scope="module")
def kcna(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("themes")
    library = root / "library"
    Importer(library, [bundled_content_dir()]).run([ARCHIVE])
    workspace = Workspace([bundled_content_dir(), WRITTEN, library], DataPaths(root / "data"))
    workspace.sync()
    yield workspace
    workspace.close()


def scores(workspace: Workspace, theme: str, judged: list[dict[str, Any]]) -> tuple[float, float]:
    by_url = {}
    for hit in workspace.search(SearchRequest(Filters(), limit=100_000, snippets=False)).hits:
        article = workspace.article(hit.id)
        if article is not None and article.url:
            by_url[article.url] = hit.id
    members = {
        hit.id
        for hit in workspace.search(
            SearchRequest(Filters(theme=theme), limit=100_000, snippets=False)
        ).hits
    }
    true_positive = false_positive = false_negative = 0
    for entry in judged:
        article_id = entry.get("article") or by_url[entry["link"]]
        found = article_id in members
        true_positive += found and entry["member"]
        false_positive += found and not entry["member"]
        false_negative += not found and entry["member"]
    precision = true_positive / (true_positive + false_positive) if true_positive else 0.0
    recall = true_positive / (true_positive + false_negative) if true_positive else 0.0
    return precision, recall


@pytest.mark.shared("corpora/kcna-en-2024-jan-sep.json")
@pytest.mark.parametrize("theme", ["inequality", "pyongyang-focus", "china-ventures"])
def test_each_theme_is_precise_on_the_articles_judged_by_reading(kcna: Any, theme: str) -> None:
    judged = yaml.safe_load(JUDGEMENTS.read_text(encoding="utf-8"))[theme]
    assert len(judged) >= 30
    assert {entry["member"] for entry in judged} == {True, False}
    precision, recall = scores(kcna, theme, judged)
    members = sum(entry["member"] for entry in judged)
    print(
        f"{theme}: precision {precision:.2f}, recall {recall:.2f} "
        f"({len(judged)} judged, {members} members)"
    )
    assert precision >= MIN_PRECISION
