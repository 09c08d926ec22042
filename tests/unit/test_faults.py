"""Breaking things on purpose: killed processes, damaged indexes, full disks.

Each test does the damage for real (SIGKILL to a child process, truncating a
file, an ENOSPC from the kernel's fsync) and then checks the promise: the index
is recovered or rebuilt from content, no annotation is lost, no file is
half-written.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from index.content.articles import article_from_bytes
from index.paths import DataPaths
from index.storage import WriteFailed
from index.userdata.notes import NotesStore, new_annotation
from index.workspace import Workspace

from ..helpers import ARTICLE, BRIEFING, write_article

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
ARTICLES = 2000
"""Enough for a build of a couple of seconds, to kill it in the middle."""
WORDS = "Pyongyang housing regional gap China venture province county market factory".split()


def many_articles(directory: Path, count: int) -> Path:
    """A content folder of `count` small articles (enough for a build of a few seconds)."""
    for number in range(count):
        body = " ".join(WORDS[(number + k) % len(WORDS)] for k in range(120))
        text = ARTICLE.format(id=f"a{number:04d}", title=f"Article {number}", body=body)
        write_article(directory, f"a{number:04d}.md", text)
    return directory


def briefing(*args: str) -> subprocess.Popen[str]:
    """The `briefing` command as a child process (the same code the installed script runs)."""
    return subprocess.Popen(
        [*BRIEFING, *args],
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_when(
    child: subprocess.Popen[str], ready: Callable[[], bool], timeout: float, delay: float = 0.0
) -> bool:
    """SIGKILL `child` `delay` seconds after `ready()` is true; False if it finished first."""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if child.poll() is not None:
                return False
            if ready():
                time.sleep(delay)
                if child.poll() is not None:
                    return False
                os.kill(child.pid, signal.SIGKILL)
                return True
            time.sleep(0.01)
        child.kill()
        raise AssertionError("the child never reached the point to kill it at")
    finally:
        child.communicate()


# -- a damaged index ------------------------------------------------------------------------


def _segment_file(index_dir: Path) -> Path:
    return max(
        (p for p in index_dir.iterdir() if p.name.startswith("MAIN_")),
        key=lambda p: p.stat().st_size,
    )


def _toc_file(index_dir: Path) -> Path:
    return next(index_dir.glob("_MAIN_*.toc"))


@pytest.mark.parametrize("damage", ["truncate", "delete"])
@pytest.mark.parametrize("which", [_segment_file, _toc_file], ids=["segment", "toc"])
def test_a_damaged_index_is_noticed_on_open_and_rebuilt(
    corpus_dir: Path, data_paths: DataPaths, damage: str, which: Callable[[Path], Path]
) -> None:
    first = Workspace([corpus_dir], data_paths)
    first.sync()
    expected = first.search("pyongyang").total
    first.close()
    victim = which(data_paths.index_dir)
    if damage == "truncate":
        os.truncate(victim, victim.stat().st_size // 2)
    else:
        victim.unlink()
    reopened = Workspace([corpus_dir], data_paths)
    assert reopened.needs_update()
    assert reopened.search("pyongyang").total == expected  # rebuilt on first use
    assert not reopened.needs_update()
    reopened.close()


def test_a_build_killed_midway_leaves_the_old_index_then_rebuilds(
    tmp_path: Path, data_paths: DataPaths
) -> None:
    content = many_articles(tmp_path / "content", ARTICLES)
    Workspace([content], data_paths).sync()
    child = briefing(
        "index", "--rebuild", "--content", str(content), "--data", str(data_paths.root)
    )
    building = lambda: any(data_paths.root.glob("index.building-*"))  # noqa: E731
    assert kill_when(child, building, timeout=60, delay=0.3), "the build finished first"
    before = Workspace([content], data_paths)  # the old index still answers, untouched
    assert before.search("factory").total == ARTICLES
    before.close()
    again = Workspace([content], data_paths)
    report = again.sync(rebuild=True)
    assert report.rebuilt and again.search("factory").total == ARTICLES
    assert not list(data_paths.root.glob("index.building-*"))
    again.close()


def test_a_first_build_killed_midway_is_rebuilt_on_start(
    tmp_path: Path, data_paths: DataPaths
) -> None:
    content = many_articles(tmp_path / "content", ARTICLES)
    child = briefing("index", "--content", str(content), "--data", str(data_paths.root))
    building = lambda: any(data_paths.root.glob("index.building-*"))  # noqa: E731
    killed = kill_when(child, building, timeout=60, delay=0.3)
    assert killed, "the build finished before it could be killed"
    started = Workspace([content], data_paths)
    assert started.needs_update()
    assert started.search("factory").total == ARTICLES
    assert not list(data_paths.root.glob("index.building-*"))
    started.close()


# -- imports --------------------------------------------------------------------------------


def test_an_import_killed_midway_leaves_whole_articles_and_can_be_rerun(
    tmp_path: Path, data_paths: DataPaths
) -> None:
    records = [
        {
            "headline": f"Report {n} on the {WORDS[n % 10]}",
            "link": f"http://kcna.kp/{n}",
            "date": 1704067200000 + n * 86_400_000,
            "topic": "Economy",
            "story_text": f"Story {n}. " + " ".join(WORDS[(n + k) % 10] for k in range(200)),
        }
        for n in range(300)
    ]
    archive = tmp_path / "archive.json"
    archive.write_text(json.dumps(records))
    content = tmp_path / "content"
    content.mkdir()
    library = data_paths.library_dir / "articles"
    args = ("import", str(archive), "--source", "kcna", "--content", str(content))
    child = briefing(*args, "--data", str(data_paths.root))
    killed = kill_when(child, lambda: library.is_dir() and len(os.listdir(library)) >= 20, 120)
    assert killed, "the import finished before it could be killed"
    written = sorted(library.glob("*.md"))
    assert written
    for path in written:  # each file is the whole article or not there at all
        assert article_from_bytes(path.read_bytes(), path).article is not None, path
    rerun = briefing(*args, "--data", str(data_paths.root))
    _out, errors = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, errors
    assert len(list(library.glob("*.md"))) == 300  # the rest came in, nothing twice
    workspace = Workspace([content, data_paths.library_dir], data_paths)
    assert workspace.search("story").total == 300
    workspace.close()


# -- a full disk ----------------------------------------------------------------------------


def test_a_full_disk_while_saving_notes_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = NotesStore(tmp_path / "notes")
    store.put(new_annotation("kept", "the first note", ("one",), None))
    before = store.path("kept").read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteFailed) as failure:
        store.put(new_annotation("kept", "a second note", (), None))
    message = str(failure.value)
    assert "no space left on device" in message and "kept.yaml" in message
    assert "previous version is kept" in message and "\n" not in message
    monkeypatch.undo()
    assert store.path("kept").read_bytes() == before
    assert [a.note for a in store.load("kept")] == ["the first note"]
    assert not [p for p in store.path("kept").parent.iterdir() if p.name.endswith(".tmp")]
    assert yaml.safe_load(before)["annotations"][0]["note"] == "the first note"
