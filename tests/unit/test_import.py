"""Importing files, archives and feeds: formats, duplicates, annotation, bad input."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from index import Filters, SearchRequest
from index.content.articles import read_article
from index.content.files import article_files
from index.importing.library import Importer
from index.paths import DataPaths
from index.workspace import Workspace
from tests.conftest import SHARED
from tui.cli import main

FIXTURES = Path(__file__).parents[1] / "data" / "import"
KCNA = SHARED / "corpora" / "kcna-en-2024-jan-sep.json"
GOOD = [
    "ours.md",
    "plain.txt",
    "page.html",
    "archive.json",
    "lines.jsonl",
    "feed.xml",
    "atom.xml",
    "korean.txt",
]
BAD = {
    "broken.md": "invalid YAML",
    "menu-only.html": "no article text found in the page",
    "truncated.json": "invalid JSON at line 1 column",
    "broken-feed.xml": "not a readable RSS or Atom feed",
    "picture.txt": "binary file",
    "empty.txt": "empty file",
    "latin1.txt": "not UTF-8",
}


@pytest.fixture
def workspace(corpus_dir: Path, data_paths: DataPaths) -> Iterator[Workspace]:
    opened = Workspace([corpus_dir, data_paths.library_dir], data_paths)
    yield opened
    opened.close()


def library_articles(data_paths: DataPaths) -> dict[str, dict[str, Any]]:
    found = {}
    for path in article_files([data_paths.library_dir]):
        loaded = read_article(path)
        assert loaded.article is not None, loaded.problems
        text = path.read_text(encoding="utf-8")
        found[loaded.article.id] = yaml.safe_load(text.split("\n---\n", 1)[0][4:])
    return found


def by_title(articles: dict[str, dict[str, Any]], title: str) -> dict[str, Any]:
    return next(front for front in articles.values() if front["title"] == title)


def test_each_format_becomes_an_article(workspace: Workspace, data_paths: DataPaths) -> None:
    report = workspace.import_files([FIXTURES / name for name in GOOD])
    assert report.failed == [
        ("%s" % (FIXTURES / "archive.json"), "archive.json record 4: not an article record"),
        (str(FIXTURES / "lines.jsonl"), "line 2: invalid JSON (Expecting ',' delimiter)"),
    ]
    articles = library_articles(data_paths)
    assert len(articles) == len(report.imported) == 10

    ours = articles["hand-made-note"]
    assert ours["source"] == "field-notes" and ours["tags"] == ["fieldwork"]

    plain = by_title(articles, "Markets reopen in Hyesan after the winter")
    assert plain["tags"] == ["markets", "ryanggang", "trade"]
    assert plain["places"] == ["Hyesan", "Ryanggang"] and "places" in plain["automatic"]

    page = by_title(articles, "Greenhouse farm opens near Sinuiju")
    assert page["published"] == "2024-02-10" and page["credits"] == ["Jane Doe"]
    assert page["url"] == "https://www.bordertimes.example/2024/02/farm"  # no tracking
    assert page["source"] == "the-border-times" and page["language"] == "en"
    assert (
        page["people"] == ["Pak Thae Song"] and "Ministry of Agriculture" in page["organizations"]
    )
    body = read_article(data_paths.library_dir / "articles" / f"{page['id']}.md").article
    assert body is not None
    assert "Share on Twitter" not in body.body and "never text" not in body.body
    assert "## Supplies for the border city" in body.body

    factory = by_title(articles, "Factory completed in Kanggye")
    assert factory["tags"] == ["Home News", "Top News"], "one story, every topic"
    assert factory["source"] == "kcna" and factory["published"] == "2024-02-01"
    assert factory["places"] == ["Kanggye", "Jagang"], "the dateline is not a place"

    feed = by_title(articles, "New apartments in Pyongyang")
    assert feed["published"] == "2024-04-15" and feed["tags"] == ["housing"]
    assert feed["places"] == ["Pyongyang", "Hwasong District"]
    atom = by_title(articles, "Trade through Sinuiju resumes")
    assert atom["credits"] == ["R. Lee"] and atom["published"] == "2024-06-01"

    fisheries = by_title(articles, "Fisheries report")
    assert fisheries["published"] == "2024-05-10" and fisheries["source"] == "example-net"

    korean = by_title(articles, "신의주 온실농장 준공")
    assert korean["language"] == "ko" and "language" in korean["automatic"]
    assert korean["places"][0] == "Sinuiju"
    assert report.skipped == 2  # the archive's photo item and the feed's video item


def test_korean_articles_are_searchable_after_import(workspace: Workspace) -> None:
    workspace.import_files([FIXTURES / "korean.txt"])
    workspace.sync()
    assert [h.title for h in workspace.search("온실").hits] == ["신의주 온실농장 준공"]
    # 신의주 is also a listed spelling of Sinuiju, so the English article matches too.
    assert {h.title for h in workspace.search("신의주").hits} == {
        "신의주 온실농장 준공",
        "Greenhouse farm opens near Sinŭiju",
    }


def test_importing_twice_adds_nothing(workspace: Workspace, data_paths: DataPaths) -> None:
    first = workspace.import_files([FIXTURES])
    again = workspace.import_files([FIXTURES])
    assert first.imported and again.imported == []
    assert again.duplicates == len(first.imported) + first.duplicates
    assert len(library_articles(data_paths)) == len(first.imported)


def test_duplicates_of_existing_content_are_not_imported(
    workspace: Workspace, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text(
        "A copy\n\nResidents of Hyesan say the gap between the provinces and the capital "
        "keeps growing. Regional disparities are visible in food prices.\n\n"
        "Markets under pressure\n\n"
        "Market traders in Ryanggang Province report fewer customers and tighter controls.\n"
    )
    report = workspace.import_files([copy])
    assert report.imported == [] and report.duplicates == 1


def test_bad_files_are_reported_one_line_each_and_the_rest_imported(
    workspace: Workspace,
) -> None:
    report = workspace.import_files([FIXTURES])
    reasons = {Path(path).name: reason for path, reason in report.failed}
    for name, expected in BAD.items():
        assert expected in reasons[name], (name, reasons.get(name))
    assert all("\n" not in reason for _path, reason in report.failed)
    assert len(report.imported) == 10


def test_new_sources_are_added_unrated_and_counted(
    workspace: Workspace, data_paths: DataPaths
) -> None:
    report = workspace.import_files([FIXTURES / "feed.xml", FIXTURES / "lines.jsonl"])
    assert report.new_sources == ["peninsula-wire", "example-net"]
    sources = yaml.safe_load((data_paths.library_dir / "sources.yaml").read_text())
    wire = next(s for s in sources if s["id"] == "peninsula-wire")
    assert wire["grade"] == "unrated" and wire["homepage"] == "https://wire.example.com/"
    workspace.sync()
    counts = workspace.search(SearchRequest(Filters(), limit=1)).facets.sources
    assert counts["peninsula-wire"] == 1 and counts["example-net"] == 2
    assert workspace.source("peninsula-wire").name == "Peninsula Wire"


def test_source_option_applies_to_every_article(
    workspace: Workspace, data_paths: DataPaths
) -> None:
    workspace.import_files([FIXTURES / "lines.jsonl"], source="yonhap")
    assert {a["source"] for a in library_articles(data_paths).values()} == {"yonhap"}


def test_cli_import_summary_json_and_exit_status(
    corpus_dir: Path, data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--content", str(corpus_dir), "--data", str(data_paths.root)]
    assert main([*base, "import", str(FIXTURES), "--json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["imported"] == 10 and summary["skipped"] == 2
    assert {Path(f["file"]).name for f in summary["failed"]} >= set(BAD)
    assert main([*base, "import", str(FIXTURES / "feed.xml")]) == 0
    assert "Nothing new" in capsys.readouterr().out
    assert main([*base, "search", "bridge from Dandong", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert [h["title"] for h in hits] == ["Trade through Sinuiju resumes"]


def test_import_into_another_folder(workspace: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    report = workspace.import_files([FIXTURES / "atom.xml"], into=target)
    assert len(report.imported) == 1
    assert (target / "articles" / f"{report.imported[0]}.md").is_file()
    assert (target / "sources.yaml").is_file()


def expected_kcna_stories(records: list[dict[str, Any]]) -> int:
    """Stories in the archive: records with text, joined when they share a link or a text."""
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent.setdefault(i, i) != i:
            i = parent[i]
        return i

    seen: dict[str, int] = {}
    with_text = [r for r in records if (r.get("story_text") or "").strip()]
    for i, record in enumerate(with_text):
        for key in (record["link"], re.sub(r"\W+", "", record["story_text"].lower())):
            if key in seen:
                parent[find(i)] = find(seen[key])
            else:
                seen[key] = i
    return len({find(i) for i in range(len(with_text))})


@pytest.mark.slow
@pytest.mark.shared("corpora/kcna-en-2024-jan-sep.json")
def test_the_whole_kcna_archive(tmp_path: Path) -> None:
    records = json.loads(KCNA.read_text(encoding="utf-8"))
    data = DataPaths(tmp_path / "data")
    bundled = tmp_path / "content"
    shutil.copytree(Path(__file__).parents[2] / "content", bundled)
    workspace = Workspace([bundled, data.library_dir], data)
    report = workspace.import_files([KCNA])
    without_text = sum(1 for r in records if not (r.get("story_text") or "").strip())
    assert report.skipped == without_text == 138
    assert len(report.imported) == expected_kcna_stories(records)
    assert report.failed == []
    workspace.sync()
    total = workspace.search("").total
    assert total == len(report.imported) + 2
    result = workspace.search(SearchRequest(Filters(source="kcna"), limit=1))
    assert result.total == len(report.imported)
    first = records[0]
    hits = workspace.search(f'title:"{first["headline"]}"').hits
    assert hits and hits[0].published is not None
    assert hits[0].published.isoformat() == first["date_str"] and hits[0].source == "kcna"
    themed = workspace.search(SearchRequest(Filters(theme="pyongyang-focus", source="kcna"))).total
    assert themed > 0
    places = workspace.search(SearchRequest(Filters(source="kcna"))).facets.places
    provinces = {"North Pyongan", "South Pyongan", "South Hamgyong", "North Hamgyong", "Jagang"}
    assert provinces <= set(places)
    again = workspace.import_files([KCNA])
    assert again.imported == [] and again.duplicates == len(records) - without_text
    assert_glued_names_are_found(workspace, records)
    assert (
        workspace.search("source:kcna").total
        == workspace.search(SearchRequest(Filters(source="kcna"))).total
    )
    assert workspace.search("dateline:pyongyang").total > workspace.search("pyongyang").total
    workspace.close()


def assert_glued_names_are_found(workspace: Workspace, records: list[dict[str, str]]) -> None:
    """The archive glues names to their neighbours ("ComradeKim Jong Unsent"): repaired."""
    from index.importing.incoming import text_key

    for name in ("Kim Jong Un", "Kim Il Sung"):
        stories = {
            text_key(r["story_text"])
            for r in records
            if r.get("story_text") and name in f"{r['headline']} {r['story_text']}"
        }
        found = workspace.search(SearchRequest(Filters(f'"{name}"', source="kcna"), limit=1)).total
        print(f'"{name}": {found} of {len(stories)} distinct stories whose raw text has it')
        assert found >= 0.95 * len(stories)


def test_korean_dates_and_titles_make_a_readable_dated_id(tmp_path: Path) -> None:
    speech = tmp_path / "speech.txt"
    text = "신년사\n\n주체108(2019)년 1월 1일\n\n새해를 맞으며 인민들에게 인사를 드린다.\n"
    speech.write_text(text, encoding="utf-8")
    report = Importer(tmp_path / "library", []).run([speech])
    article_id = report.imported[0]
    assert article_id == "2019-01-01-sinnyeonsa"
    article = read_article(tmp_path / "library" / "articles" / f"{article_id}.md").article
    assert article is not None and article.published is not None
    assert article.published.isoformat() == "2019-01-01" and "published" in article.automatic


def test_a_dateline_is_kept_and_gives_the_date_when_nothing_else_does(tmp_path: Path) -> None:
    wire = tmp_path / "wire.txt"
    wire.write_text(
        "Dam opened in the north\n\nPyongyang, March 3 (KCNA) -- A dam was opened "
        "in Jagang Province on Sunday.\n",
        encoding="utf-8",
    )
    report = Importer(tmp_path / "library", []).run([wire])
    article = read_article(tmp_path / "library" / "articles" / f"{report.imported[0]}.md").article
    assert article is not None and article.published is not None
    assert (article.published.month, article.published.day) == (3, 3)
    assert "Pyongyang, March 3 (KCNA) --" in article.body
    assert "Pyongyang" not in article.places and "Jagang" in article.places
