"""Regression tests for problems found in review: odd input never stops the program."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from index.engine.indexer import Indexer
from index.models import Filters, Snippet
from index.paths import DataPaths
from index.userdata.state import ReadingState, StateStore
from index.workspace import Workspace
from tests.helpers import ARTICLE, write_article
from tui.render import snippet_text

ODD_FRONT_MATTER = {
    "impossible-date": "published: 2024-02-30",
    "month-13": "published: 2024-13-01",
    "complex-key": "? [x, y]\n: 1",
    "deep-nesting": "tags: " + "[" * 3000 + "]" * 3000,
    "timestamp-tag": "x: !!timestamp 'nope'",
    "huge-integer": "x: " + "9" * 5000,
    "python-tag": "x: !!python/object/apply:os.system ['true']",
}


@pytest.mark.parametrize("name", sorted(ODD_FRONT_MATTER))
def test_odd_front_matter_is_one_problem_and_indexing_goes_on(
    corpus_dir: Path, data_paths: DataPaths, name: str
) -> None:
    text = f"---\nid: odd\ntitle: Odd\nsource: kcna\n{ODD_FRONT_MATTER[name]}\n---\n\nBody.\n"
    write_article(corpus_dir, "odd.md", text)
    report = Indexer(data_paths, [corpus_dir]).sync()
    assert len(report.added) == 6
    assert [str(p) for p in report.problems if "odd.md" in str(p)], report.problems


def test_odd_yaml_in_catalog_and_state_files_is_reported(
    corpus_dir: Path, data_paths: DataPaths
) -> None:
    (corpus_dir / "sources.yaml").write_text("- id: x\n  grade: " + "[" * 3000 + "\n")
    workspace = Workspace([corpus_dir], data_paths)
    assert any("sources.yaml" in str(p) for p in workspace.problems())
    data_paths.root.mkdir(parents=True, exist_ok=True)
    data_paths.state_file.write_text("saved: 2024-02-30\nread: !!timestamp 'x'\n")
    store = StateStore(data_paths.state_file)
    assert store.load() == ReadingState() and not store.writable
    workspace.close()


def test_read_marks_of_two_instances_merge_and_stay(tmp_path: Path) -> None:
    path = tmp_path / "state.yaml"
    first, second = StateStore(path), StateStore(path)
    a, b = first.load(), second.load()
    assert second.save(b, {"y": True}) is not None
    written = first.save(a, {"x": True})
    assert written is not None and written.read == {"x", "y"}
    # The first instance saves again (a query change, no read changes): "y" stays.
    again = first.save(replace(a, filters=Filters("new")), {})
    assert again is not None and again.read == {"x", "y"} and again.filters.query == "new"
    # An unread mark made in one instance is not undone by the other's later save.
    assert second.save(b, {"y": False}) is not None
    final = first.save(a, {})
    assert final is not None and final.read == {"x"}


def test_rebuild_survives_leftovers_of_a_crashed_build(
    corpus_dir: Path, data_paths: DataPaths
) -> None:
    Indexer(data_paths, [corpus_dir]).sync()
    for leftover in ("index.old-1", "index.building-2"):
        (data_paths.root / leftover / "junk").mkdir(parents=True)
    report = Indexer(data_paths, [corpus_dir]).sync(rebuild=True)
    assert report.rebuilt and len(report.added) == 6
    assert sorted(p.name for p in data_paths.root.iterdir() if p.name.startswith("index.")) == [
        "index.lock"
    ]


def test_snippet_window_keeps_the_match() -> None:
    text = "Read more at https://" + "x" * 120 + " about Pyongyang"
    at = text.index("Pyongyang")
    shown = snippet_text(Snippet(text, 0, ((at, at + 9),)), max_chars=116)
    assert "Pyongyang" in shown.plain
    assert shown.spans and shown.plain[shown.spans[0].start : shown.spans[0].end] == "Pyongyang"


def test_snippets_of_unspaced_text_stay_short(corpus_dir: Path, data_paths: DataPaths) -> None:
    body = "平壤" + "的经济发展很快" * 2000 + "平壤" + "一" * 5000
    write_article(corpus_dir, "zh.md", ARTICLE.format(id="zh", title="Chinese", body=body))
    workspace = Workspace([corpus_dir], data_paths)
    workspace.sync()
    hit = workspace.search("平壤").hits[0]
    assert hit.id == "zh"
    assert all(len(snippet.text) < 400 for snippet in hit.snippets)
    workspace.close()
