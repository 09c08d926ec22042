"""Stories: one event's articles grouped across sources and days, kept apart from look-alikes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from index.paths import DataPaths
from index.workspace import Workspace
from tests.conftest import SHARED
from tests.feed_server import articles

DATA = Path(__file__).parents[1] / "data"
KCNA = SHARED / "corpora" / "kcna-en-2024-jan-sep.json"
JUDGED = DATA / "story-judgements.yaml"


def write_reports(folder: Path) -> None:
    """The three made-up independent reports of the feed tests, as articles of Test News."""
    for article in articles():
        body = "\n\n".join(article["paragraphs"])
        (folder / "articles" / f"news-{article['slug']}.md").write_text(
            f"---\nid: news-{article['slug']}\ntitle: {article['title']}\nsource: test-news\n"
            f"published: {article['date']}\n---\n\n{body}\n",
            encoding="utf-8",
        )


@pytest.fixture
def briefing(tmp_path: Path) -> Iterator[Workspace]:
    content = tmp_path / "stories"
    shutil.copytree(DATA / "stories", content)
    write_reports(content)
    workspace = Workspace([content], DataPaths(tmp_path / "data"))
    workspace.sync()
    yield workspace
    workspace.close()


def test_state_media_and_an_independent_report_of_one_event_are_one_story(
    briefing: Workspace,
) -> None:
    stories = {frozenset(hit.id for hit in story.articles): story for story in briefing.stories()}
    assert set(stories) == {
        frozenset({"wire-greenhouse", "news-greenhouse-farm"}),
        frozenset({"wire-trade-fair", "news-trade-fair"}),
    }  # the fish factory in Rason, a day later, and the rail line stay alone
    fair = stories[frozenset({"wire-trade-fair", "news-trade-fair"})]
    assert (fair.id, fair.sources) == ("wire-trade-fair", ("state-wire", "test-news"))
    assert (str(fair.first), str(fair.last)) == ("2026-11-23", "2026-11-25")
    assert briefing.story_of("news-greenhouse-farm") is not None
    assert briefing.story_of("wire-rason-port") is None


def test_signatures_are_read_once_and_stories_follow_changes(briefing: Workspace) -> None:
    from index.engine.stories import SignatureCache

    briefing.stories()
    cache = SignatureCache(briefing.data.stories_cache)
    assert len(cache.entries) == 6
    report = next(briefing.content_dirs[0].glob("articles/news-greenhouse-farm.md"))
    report.unlink()
    briefing.sync()
    assert {s.id for s in briefing.stories()} == {"wire-trade-fair"}
    assert "news-greenhouse-farm" not in SignatureCache(briefing.data.stories_cache).entries


def test_theme_and_since_filters(briefing: Workspace) -> None:
    import datetime as dt

    assert [s.id for s in briefing.stories(since=dt.date(2026, 11, 24))] == ["wire-trade-fair"]
    assert briefing.stories(since=dt.date(2026, 12, 1)) == []


@pytest.fixture(scope="module")
def kcna_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("kcna-stories")
    content = root / "content"
    (content / "articles").mkdir(parents=True)
    data = DataPaths(root / "data")
    workspace = Workspace([content, data.library_dir], data)
    workspace.import_files([KCNA], source="kcna")
    workspace.sync()
    yield workspace
    workspace.close()


@pytest.mark.slow
@pytest.mark.shared("corpora/kcna-en-2024-jan-sep.json")
def test_kcna_pairs_judged_by_reading(kcna_library: Workspace) -> None:
    judged = yaml.safe_load(JUDGED.read_text(encoding="utf-8"))
    assert len(judged["same"]) >= 20 and len(judged["different"]) >= 20
    stories = kcna_library.stories()
    story_of = {hit.id: story.id for story in stories for hit in story.articles}

    def together(pair: list[str]) -> bool:
        first, second = pair
        return first in story_of and story_of[first] == story_of.get(second)

    found = sum(together(pair) for pair in judged["same"])
    wrong = sum(together(pair) for pair in judged["different"])
    precision = found / max(1, found + wrong)
    recall = found / len(judged["same"])
    pairs = f"{len(judged['same'])} same-event and {len(judged['different'])} different-event"
    print(f"stories on {pairs} KCNA pairs: precision {precision:.2f}, recall {recall:.2f}")
    assert precision >= 0.8 and recall >= 0.8


def test_the_briefing_export_groups_a_storys_articles_under_it(briefing: Workspace) -> None:
    from index import ExportScope, briefing_markdown

    for article_id, note in (
        ("wire-greenhouse", "State media: all year round."),
        ("news-greenhouse-farm", "A trader doubts the supply."),
    ):
        article = briefing.article(article_id)
        assert article is not None
        briefing.annotate(article, None, note, ())
    text = briefing_markdown(briefing, ExportScope())
    story = text.index("### Story: Modern Greenhouse Farm Inaugurated in North Hwanghae Province")
    told = text[story:]
    assert "- State Wire (grade D), 2026-11-19: Modern Greenhouse Farm" in told
    assert "- Test News (grade C), 2026-11-20: Greenhouse farm opens" in told
    assert told.index("#### Modern Greenhouse") < told.index("State media: all year round.")
    assert told.index("#### Greenhouse farm opens") < told.index("A trader doubts the supply.")
