"""Keeping the index in step with content: incremental, recoverable, never half-built."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from index import Filters, SearchRequest
from index.engine import scanning
from index.engine.indexer import Indexer
from index.paths import DataPaths
from index.workspace import Workspace
from tests.helpers import ARTICLE, write_article

ALL_IDS = {
    "sinuiju-greenhouse",
    "pyongyang-housing",
    "provinces-left-behind",
    "chinese-investors-mine",
    "pyongyang-korean",
    "fisheries-no-date",
}


def indexed_ids(workspace: Workspace) -> set[str]:
    return {hit.id for hit in workspace.search(SearchRequest(Filters(), limit=100)).hits}


def test_first_sync_builds_everything(corpus_dir: Path, data_paths: DataPaths) -> None:
    workspace = Workspace([corpus_dir], data_paths)
    report = workspace.sync()
    assert report.rebuilt
    assert set(report.added) == ALL_IDS
    assert indexed_ids(workspace) == ALL_IDS
    assert (data_paths.index_dir / "briefing-manifest.json").is_file()
    assert not any(corpus_dir.rglob("*.seg")), "the index never lives in content"
    workspace.close()


def test_second_sync_reads_nothing(corpus: Workspace) -> None:
    assert not corpus.needs_update()
    report = corpus.sync()
    assert not report.changed
    assert report.unchanged == len(ALL_IDS)


def test_changing_one_file_reindexes_exactly_that_article(
    corpus: Workspace, corpus_dir: Path
) -> None:
    path = corpus_dir / "articles" / "pyongyang-housing.md"
    path.write_text(path.read_text().replace("luxury apartments", "zebra apartments"))
    assert corpus.needs_update()
    report = corpus.sync()
    assert report.updated == ["pyongyang-housing"]
    assert report.added == [] and report.removed == []
    assert [hit.id for hit in corpus.search("zebra").hits] == ["pyongyang-housing"]


def test_touching_a_file_without_changing_it_reindexes_nothing(
    corpus: Workspace, corpus_dir: Path
) -> None:
    path = corpus_dir / "articles" / "pyongyang-housing.md"
    os.utime(path, ns=(1, 1))
    report = corpus.sync()
    assert not report.changed
    assert not corpus.needs_update()


def test_deleting_a_file_removes_its_article(corpus: Workspace, corpus_dir: Path) -> None:
    (corpus_dir / "articles" / "fisheries-no-date.md").unlink()
    report = corpus.sync()
    assert report.removed == ["fisheries-no-date"]
    assert indexed_ids(corpus) == ALL_IDS - {"fisheries-no-date"}


def test_adding_a_file_adds_its_article(corpus: Workspace, corpus_dir: Path) -> None:
    write_article(corpus_dir, "new.md", ARTICLE.format(id="new-one", title="New", body="Fresh."))
    report = corpus.sync()
    assert report.added == ["new-one"]
    assert "new-one" in indexed_ids(corpus)


def test_broken_file_is_reported_and_others_still_indexed(
    corpus: Workspace, corpus_dir: Path
) -> None:
    write_article(corpus_dir, "broken.md", "---\nid: [\n---\n")
    report = corpus.sync()
    assert len(report.problems) == 1 and "broken.md:3: invalid YAML" in str(report.problems[0])
    assert indexed_ids(corpus) == ALL_IDS
    # The problem is remembered without re-reading the file.
    assert [str(p) for p in corpus.problems()] == [str(report.problems[0])]


def test_duplicate_id_keeps_the_first_file(corpus: Workspace, corpus_dir: Path) -> None:
    write_article(
        corpus_dir, "zz-copy.md", ARTICLE.format(id="pyongyang-housing", title="Copy", body="x")
    )
    report = corpus.sync()
    assert any("duplicate id 'pyongyang-housing'" in str(p) for p in report.problems)
    assert corpus.search(SearchRequest(Filters(), limit=100)).total == len(ALL_IDS)
    first = corpus.article("pyongyang-housing")
    assert first is not None and first.title.startswith("Another 10,000")
    (corpus_dir / "articles" / "pyongyang-housing.md").unlink()
    corpus.sync()
    second = corpus.article("pyongyang-housing")
    assert second is not None and second.title == "Copy"


def test_schema_change_triggers_a_full_rebuild(
    corpus_dir: Path, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    Indexer(data_paths, [corpus_dir]).sync()
    changed = Indexer(data_paths, [corpus_dir])
    monkeypatch.setattr(changed, "fingerprint", "something-else")
    assert changed.needs_update()
    report = changed.sync()
    assert report.rebuilt and set(report.added) == ALL_IDS


@pytest.mark.parametrize("damage", ["manifest", "index"])
def test_missing_or_damaged_index_is_rebuilt(
    corpus_dir: Path, data_paths: DataPaths, damage: str
) -> None:
    Indexer(data_paths, [corpus_dir]).sync()
    if damage == "manifest":
        data_paths.manifest.write_text("{not json")
    else:
        for toc in data_paths.index_dir.glob("_MAIN_*.toc"):
            toc.write_bytes(b"garbage")
    indexer = Indexer(data_paths, [corpus_dir])
    assert indexer.needs_update()
    report = indexer.sync()
    assert report.rebuilt
    workspace = Workspace([corpus_dir], data_paths)
    assert indexed_ids(workspace) == ALL_IDS
    workspace.close()


def test_lock_left_by_a_killed_process_is_recovered(
    corpus_dir: Path, data_paths: DataPaths
) -> None:
    """A process dies (SIGKILL) holding both our lock and Whoosh's write lock, mid-write."""
    Indexer(data_paths, [corpus_dir]).sync()
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).parents[2])!r})
        from index.storage import file_lock
        from whoosh import index
        from pathlib import Path
        with file_lock(Path({str(data_paths.index_lock)!r})):
            ix = index.open_dir({str(data_paths.index_dir)!r})
            writer = ix.writer()
            writer.add_document(id="half-written", title="never committed", body="x")
            print("locked", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert child.returncode == -signal.SIGKILL and "locked" in child.stdout
    assert data_paths.index_lock.exists()
    (corpus_dir / "articles" / "fisheries-no-date.md").unlink()
    report = Indexer(data_paths, [corpus_dir]).sync(wait=2.0)
    assert report.removed == ["fisheries-no-date"]
    workspace = Workspace([corpus_dir], data_paths)
    assert indexed_ids(workspace) == ALL_IDS - {"fisheries-no-date"}
    workspace.close()


def test_manifest_records_every_file(corpus: Workspace, data_paths: DataPaths) -> None:
    manifest = json.loads(data_paths.manifest.read_text())
    assert len(manifest["paths"]) == len(ALL_IDS)
    assert all(manifest["indexed"]) and sorted(manifest["id"]) == sorted(ALL_IDS)


def test_open_search_sees_updates_made_by_another_process(
    corpus: Workspace, corpus_dir: Path, data_paths: DataPaths
) -> None:
    assert corpus.search("zebra").total == 0
    path = corpus_dir / "articles" / "pyongyang-housing.md"
    path.write_text(path.read_text().replace("luxury", "zebra"))
    Indexer(data_paths, [corpus_dir]).sync()
    corpus.engine().refresh()
    assert corpus.search("zebra").total == 1
    Indexer(data_paths, [corpus_dir]).sync(rebuild=True)
    corpus.engine().refresh()
    assert corpus.search("zebra").total == 1


def test_a_sync_that_finds_nothing_new_leaves_the_manifest_alone(
    corpus: Workspace, data_paths: DataPaths
) -> None:
    before = data_paths.manifest.stat()
    report = corpus.sync()
    assert not report.changed
    after = data_paths.manifest.stat()
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)


def test_a_damaged_manifest_means_a_rebuild(corpus_dir: Path, data_paths: DataPaths) -> None:
    Workspace([corpus_dir], data_paths).sync()
    data_paths.manifest.write_text('{"format": 4, "paths": ["x"], "mtime_ns": "oops"}')
    report = Workspace([corpus_dir], data_paths).sync()
    assert report.rebuilt
    assert indexed_ids(Workspace([corpus_dir], data_paths)) == ALL_IDS


def settle(folder: Path) -> None:
    """Date the folder and those inside it a day back, as folders long unchanged are."""
    day_ago = (int(time.time()) - 86400) * 1_000_000_000
    for directory in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        os.utime(directory, ns=(day_ago, day_ago))


def test_with_folders_unchanged_an_update_lists_no_folder_yet_sees_every_change(
    corpus_dir: Path, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(corpus_dir)
    workspace = Workspace([corpus_dir, data_paths.library_dir], data_paths)  # no library yet
    workspace.sync()

    def no_listing(*args: object) -> None:
        raise AssertionError("a folder was listed although none changed")

    with monkeypatch.context() as patched:
        patched.setattr(scanning, "article_entries", no_listing)
        assert not workspace.needs_update()
        report = workspace.sync()
        assert not report.changed and report.unchanged == len(ALL_IDS)
        path = corpus_dir / "articles" / "pyongyang-housing.md"
        path.write_text(path.read_text().replace("luxury apartments", "zebra apartments"))
        assert workspace.needs_update()
        assert workspace.sync().updated == ["pyongyang-housing"]
    assert [hit.id for hit in workspace.search("zebra").hits] == ["pyongyang-housing"]

    write_article(corpus_dir, "new.md", ARTICLE.format(id="new-one", title="New", body="Fresh."))
    assert workspace.needs_update()
    assert workspace.sync().added == ["new-one"]
    settle(corpus_dir)
    workspace.sync()  # the folders' stamps are recorded once they are old enough to trust
    (corpus_dir / "articles" / "fisheries-no-date.md").unlink()
    assert workspace.sync().removed == ["fisheries-no-date"]
    settle(corpus_dir)
    workspace.sync()
    write_article(
        corpus_dir, "later/x.md", ARTICLE.format(id="in-a-sub-folder", title="Sub", body="Deeper.")
    )
    assert workspace.sync().added == ["in-a-sub-folder"]
    settle(corpus_dir)
    workspace.sync()
    write_article(
        data_paths.library_dir,
        "imported.md",
        ARTICLE.format(id="imported-one", title="In", body="Imported."),
    )
    assert workspace.sync().added == ["imported-one"]
    workspace.close()


def test_folder_stamps_of_other_content_folders_are_not_trusted(
    corpus_dir: Path, tmp_path: Path, data_paths: DataPaths
) -> None:
    other = tmp_path / "other"
    write_article(
        other, "elsewhere.md", ARTICLE.format(id="elsewhere", title="Else", body="Other folder.")
    )
    (other / "themes.yaml").write_text("[]\n")
    settle(corpus_dir)
    settle(other)
    first = Workspace([corpus_dir], data_paths)
    first.sync()
    first.close()
    switched = Workspace([other], data_paths)  # the same data folder, another content folder
    assert switched.needs_update()
    report = switched.sync()
    assert report.added == ["elsewhere"] and set(report.removed) == ALL_IDS
    switched.close()


def test_a_file_that_could_not_be_read_is_tried_again_by_the_next_update(
    corpus_dir: Path, data_paths: DataPaths
) -> None:
    link = corpus_dir / "articles" / "later.md"
    target = corpus_dir / "elsewhere" / "later.md"
    link.symlink_to(target)  # broken for now
    settle(corpus_dir)
    workspace = Workspace([corpus_dir], data_paths)
    workspace.sync()
    settle(corpus_dir)
    workspace.sync()
    target.parent.mkdir()
    target.write_text(ARTICLE.format(id="later", title="Later", body="Now readable."))
    settle(corpus_dir)  # the link's folder did not change: only the target appeared
    assert workspace.sync().added == ["later"]
    workspace.close()
