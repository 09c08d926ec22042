"""The same story across sources: republished and revised copies are linked, others kept apart.

`tests/data/near/stories.jsonl` holds six articles written for these tests:
a KCNA story (a), Yonhap's republication of it under its own headline with a
lead and a closing line of its own (b), a lightly re-edited KCNA version (c),
a different story told with the same template (d), and two short templated
notices of one delegation's arrival and departure (e, f).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from index.content.files import article_files
from index.importing.near import SAME_STORY, same_story, shingles, similarity
from index.paths import DataPaths
from index.workspace import Workspace
from tests.conftest import SHARED

STORIES = Path(__file__).parents[1] / "data" / "near" / "stories.jsonl"
KCNA = SHARED / "corpora" / "kcna-en-2024-jan-sep.json"


def records() -> dict[str, dict[str, Any]]:
    lines = STORIES.read_text(encoding="utf-8").splitlines()
    return {chr(ord("a") + n): json.loads(line) for n, line in enumerate(lines)}


def front_matter(data: DataPaths) -> dict[str, dict[str, Any]]:
    found = {}
    for path in article_files([data.library_dir]):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0][4:])
        found[front["title"]] = front
    return found


@pytest.fixture
def workspace(corpus_dir: Path, data_paths: DataPaths) -> Iterator[Workspace]:
    opened = Workspace([corpus_dir, data_paths.library_dir], data_paths)
    yield opened
    opened.close()


def test_the_threshold_separates_copies_from_other_stories() -> None:
    text = {key: shingles(record["text"]) for key, record in records().items()}
    assert same_story(text["a"], text["b"]), "republished under another headline"
    assert same_story(text["a"], text["c"]), "lightly edited"
    assert not same_story(text["a"], text["d"]), "another story, same template"
    assert not same_story(text["e"], text["f"]), "arrival and departure notices"
    assert similarity(text["e"], text["f"]) > SAME_STORY, "short texts need more than long ones"


def test_an_import_links_copies_to_the_first_article(
    workspace: Workspace, data_paths: DataPaths
) -> None:
    report = workspace.import_files([STORIES])
    assert len(report.imported) == 6 and report.duplicates == 0
    articles = front_matter(data_paths)
    by_key = {key: articles[record["headline"]] for key, record in records().items()}
    first = by_key["a"]["id"]
    assert by_key["b"]["same_as"] == first and by_key["b"]["source"] == "yonhap"
    assert by_key["c"]["same_as"] == first
    assert "same_as" in by_key["b"]["automatic"]
    for key in "adef":
        assert "same_as" not in by_key[key], key
    assert sorted(report.same_story) == sorted(
        [(by_key["b"]["id"], first), (by_key["c"]["id"], first)]
    )
    assert workspace.import_files([STORIES]).imported == [], "importing again adds nothing"


def test_a_word_for_word_copy_is_a_duplicate_from_its_source_and_a_link_from_another(
    workspace: Workspace, data_paths: DataPaths, tmp_path: Path
) -> None:
    story = records()["a"]
    same_source = {**story, "link": "http://www.kcna.example/again"}
    other_source = {
        **story,
        "link": "https://en.yna.example/copy",
        "source": "Yonhap",
        "headline": "Factory opens, KCNA says",
    }
    archive = tmp_path / "copies.jsonl"
    archive.write_text("\n".join(json.dumps(r) for r in (story, same_source, other_source)))
    report = workspace.import_files([archive])
    assert len(report.imported) == 2 and report.duplicates == 1
    articles = front_matter(data_paths)
    assert articles["Factory opens, KCNA says"]["same_as"] == report.imported[0]


def test_known_articles_are_compared_from_cached_signatures(
    workspace: Workspace, data_paths: DataPaths, tmp_path: Path
) -> None:
    lines = STORIES.read_text(encoding="utf-8").splitlines()
    first, rest = tmp_path / "first.jsonl", tmp_path / "rest.jsonl"
    first.write_text(lines[0] + "\n")
    rest.write_text("\n".join(lines[1:]) + "\n")
    workspace.import_files([first])
    signatures = data_paths.import_cache.with_name("import-known-signatures.npz")
    assert signatures.is_file()
    report = workspace.import_files([rest])  # a new import: the first is known from the cache
    assert len(report.same_story) == 2


@pytest.mark.slow
@pytest.mark.shared("corpora/kcna-en-2024-jan-sep.json")
def test_on_the_kcna_wire_revisions_are_found_and_templates_kept_apart() -> None:
    """KCNA re-issues revised versions of a story under the same link: those are one story.

    Every other pair of long texts (different links, different texts) is a
    different story; the figures are printed (`pytest -s`).
    """
    by_link: dict[str, dict[str, str]] = defaultdict(dict)
    for record in json.loads(KCNA.read_text(encoding="utf-8")):
        if len(re.findall(r"\w+", record["story_text"])) >= 30:
            by_link[record["link"]].setdefault(record["story_text"], record["headline"])
    revised = [list(texts) for texts in by_link.values() if len(texts) > 1]
    found = sum(same_story(shingles(a), shingles(b)) for a, b, *_ in revised)
    distinct = list({next(iter(texts)) for texts in by_link.values()})
    sets = [shingles(text) for text in distinct]
    false_links = sum(
        same_story(sets[i], sets[j]) for i in range(len(sets)) for j in range(i + 1, len(sets))
    )
    pairs = len(sets) * (len(sets) - 1) // 2
    print(
        f"\nKCNA: {found} of {len(revised)} revised stories linked; "
        f"{false_links} of {pairs:,} pairs of different stories linked"
    )
    assert false_links == 0
    assert found >= len(revised) * 0.6
