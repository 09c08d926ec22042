"""The bundled briefing: every article loads cleanly and every annotation is grounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import Filters, SearchRequest
from index.content.articles import read_article
from index.content.body import parse_body
from index.content.catalog import load_catalog
from index.content.files import article_files
from index.models import Article
from index.paths import DataPaths, bundled_content_dir
from index.workspace import Workspace
from tests.conftest import SHARED

CONTENT = bundled_content_dir()
PROJECT = CONTENT.parent


def bundled_articles() -> list[Article]:
    articles = []
    for path in article_files([CONTENT]):
        loaded = read_article(path)
        assert loaded.problems == (), [str(p) for p in loaded.problems]
        assert loaded.article is not None
        articles.append(loaded.article)
    return articles


def test_one_annotated_article_per_seed() -> None:
    seeds = sorted(path.name for path in (PROJECT / "seeds").iterdir())
    originals = sorted(Path(article.path).name for article in bundled_articles())
    assert len(seeds) == 2
    assert len(originals) == len(seeds)
    assert sorted(Path(a.path).stem for a in bundled_articles()) == sorted(
        a.id for a in bundled_articles()
    )


def test_catalog_files_have_no_problems() -> None:
    catalog = load_catalog([CONTENT])
    assert catalog.problems == []
    assert set(catalog.themes) == {"inequality", "pyongyang-focus", "china-ventures"}
    assert all(source.grade in "ABCDEF" for source in catalog.sources.values())


@pytest.mark.parametrize("article", bundled_articles(), ids=lambda a: a.id)
def test_every_key_point_quote_occurs_verbatim_in_the_body(article: Article) -> None:
    text = parse_body(article.body).text
    assert article.key_points
    for point in article.key_points:
        assert point.quote in text
        assert point.claim


@pytest.mark.parametrize("article", bundled_articles(), ids=lambda a: a.id)
def test_body_is_the_seed_text_without_boilerplate(article: Article) -> None:
    seed = (PROJECT / article.original).read_text(encoding="utf-8")
    blocks = parse_body(article.body).blocks
    for block in blocks:
        assert block.text in seed, block.text[:60]
    text = parse_body(article.body).text
    for boilerplate in ("Read in Korean", "Disclaimer", "Please send any comments", "@"):
        assert boilerplate not in text
    assert blocks[0].kind == "caption"
    assert any(b.kind == "heading" for b in blocks)


@pytest.mark.parametrize("article", bundled_articles(), ids=lambda a: a.id)
def test_annotations_name_only_what_the_text_says(article: Article) -> None:
    seed = (PROJECT / article.original).read_text(encoding="utf-8")
    for name in (*article.people, *article.organizations, *article.tags):
        assert name.lower() in seed.lower(), name
    for place in article.places:
        words = place.replace(" County", "").replace(" District", "")
        assert words.lower() in seed.lower(), place
    assert article.published is None and article.date_note, "the seeds state no date"


@pytest.mark.shared("seeds")
def test_seed_files_are_unchanged_copies() -> None:
    for path in (SHARED / "seeds").iterdir():
        assert (PROJECT / "seeds" / path.name).read_bytes() == path.read_bytes()


def test_theme_queries_agree_with_curated_themes(bundled_copy: Path, tmp_path: Path) -> None:
    """Without their curated themes, the seeds are classified the same way by the queries."""
    for path in article_files([bundled_copy]):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith("themes:")), "utf-8")
    workspace = Workspace([bundled_copy], DataPaths(tmp_path / "data"))
    workspace.sync()
    classified = {
        hit.id: set(hit.themes) for hit in workspace.search(SearchRequest(Filters(), limit=10)).hits
    }
    workspace.close()
    curated = {article.id: set(article.themes) for article in bundled_articles()}
    assert classified == curated


def test_bundled_briefing_lists_each_seed_under_its_themes(tmp_path: Path) -> None:
    workspace = Workspace([CONTENT], DataPaths(tmp_path / "data"))
    workspace.sync()
    members = {
        theme: {
            hit.id for hit in workspace.search(SearchRequest(Filters(theme=theme), limit=10)).hits
        }
        for theme in workspace.themes
    }
    workspace.close()
    assert members == {
        "inequality": {"regional-policy-pyongyang-focus", "china-joint-ventures-20x10"},
        "pyongyang-focus": {"regional-policy-pyongyang-focus", "china-joint-ventures-20x10"},
        "china-ventures": {"china-joint-ventures-20x10"},
    }
