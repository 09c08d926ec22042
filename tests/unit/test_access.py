"""Who may write the data dir: user-only indexes, refused shared ones, read-only sessions."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.access import SESSION_PREFIX, UnsafeIndex
from index.errors import ReadOnly
from index.paths import DataPaths
from index.userdata.notes import NotesStore, new_annotation
from index.workspace import Workspace
from tui.cli import main

from ..conftest import FIXTURE_CORPUS
from ..helpers import ARTICLE, BRIEFING, write_article

PROJECT = Path(__file__).resolve().parents[2]


def test_the_index_and_a_new_data_dir_are_user_only(corpus: Workspace) -> None:
    assert stat.S_IMODE(corpus.data.root.stat().st_mode) == 0o700
    assert stat.S_IMODE(corpus.data.index_dir.stat().st_mode) == 0o700


def test_an_index_others_can_write_is_refused(
    corpus: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus.close()
    index_dir = corpus.data.index_dir
    index_dir.chmod(0o777)
    with pytest.raises(UnsafeIndex, match="can be written by other users"):
        Workspace(corpus.content_dirs, corpus.data)
    args = ["search", "pyongyang", "--content", str(corpus.content_dirs[0])]
    assert main([*args, "--data", str(corpus.data.root)]) == 1
    message = capsys.readouterr().err
    assert f"chmod 700 {index_dir}" in " ".join(message.split())
    assert len(message.strip().splitlines()) == 1
    index_dir.chmod(0o700)
    Workspace(corpus.content_dirs, corpus.data).close()  # accepted again


def test_an_index_another_user_owns_is_refused(
    corpus: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus.close()
    monkeypatch.setattr(os, "geteuid", lambda: 4242)
    with pytest.raises(UnsafeIndex, match="belongs to another user"):
        Workspace(corpus.content_dirs, corpus.data)


# -- a read-only data dir -------------------------------------------------------------------


@contextlib.contextmanager
def unwritable(root: Path) -> Iterator[None]:
    """Make `root` and everything in it unwritable, even for root (via the immutable flag)."""
    if os.geteuid() != 0:
        paths = [root, *root.rglob("*")]
        modes = {path: path.stat().st_mode for path in paths}
        for path in paths:
            path.chmod(modes[path] & ~0o222)
        try:
            yield
        finally:
            for path in paths:
                path.chmod(modes[path])
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "-R", "+i", str(root)]).returncode != 0:
        pytest.skip("cannot make a folder read-only for root here (no chattr +i)")
    try:
        yield
    finally:
        subprocess.run([chattr, "-R", "-i", str(root)], check=True)


def briefing(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*BRIEFING, *args], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )


def listing(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*")}


@pytest.mark.slow  # three briefing processes; the workspace's side is checked in-process below
def test_a_read_only_data_dir_gives_a_read_only_session(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CORPUS, content)
    data = DataPaths(tmp_path / "data")
    workspace = Workspace([content], data)
    workspace.sync()
    note = new_annotation("pyongyang-housing", "kept safe", ("mine",), None)
    NotesStore(data.notes_dir).put(note)
    workspace.close()
    text = ARTICLE.format(id="added-later", title="Added later", body="A zanzibar dispatch.")
    write_article(content, "added-later.md", text)  # the saved index does not have it
    before = listing(data.root)
    where = ("--content", str(content), "--data", str(data.root))

    with unwritable(data.root):
        found = briefing("search", "zanzibar", "--json", *where)
        noted = briefing("notes", "--json", *where)
        imported = briefing("import", str(FIXTURE_CORPUS / "articles"), *where)
    assert found.returncode == 0, found.stderr
    assert [hit["id"] for hit in json.loads(found.stdout)["hits"]] == ["added-later"]
    assert "read-only session" in found.stderr and str(data.root) in found.stderr
    assert noted.returncode == 0 and "kept safe" in noted.stdout
    assert imported.returncode == 1
    assert "read-only session" in imported.stderr and "Traceback" not in imported.stderr
    assert listing(data.root) == before  # nothing written, nothing removed


def test_a_read_only_workspace_refuses_changes_with_its_reason(
    corpus_dir: Path, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workspace([corpus_dir], data_paths).sync()
    monkeypatch.setattr("index.workspace.write_problem", lambda root: f"{root} is on a CD-ROM")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    abandoned = Path(tempfile.gettempdir()) / f"{SESSION_PREFIX}{dead}-x"
    (abandoned / "index").mkdir(parents=True, exist_ok=True)  # left by a killed session
    workspace = Workspace([corpus_dir], data_paths)
    assert not abandoned.exists()
    assert workspace.search("pyongyang").total == 2
    article = workspace.article("pyongyang-housing")
    assert article is not None
    with pytest.raises(ReadOnly, match=r"read-only session: .* is on a CD-ROM"):
        workspace.annotate(article, None, "no", ())
    session = workspace.indexer.data.root
    assert session != data_paths.root and session.exists()
    workspace.close()
    assert not session.exists()  # the session's index goes with it


def test_a_symlinked_index_or_a_world_writable_data_dir_is_refused(
    corpus: Workspace, tmp_path: Path
) -> None:
    corpus.close()
    data = corpus.data
    elsewhere = tmp_path / "elsewhere"
    data.index_dir.rename(elsewhere)
    data.index_dir.symlink_to(elsewhere)
    with pytest.raises(UnsafeIndex, match="symbolic link"):
        Workspace(corpus.content_dirs, data)
    data.index_dir.unlink()
    elsewhere.rename(data.index_dir)
    data.root.chmod(0o777)
    with pytest.raises(UnsafeIndex, match="can be written by anyone"):
        Workspace(corpus.content_dirs, data)
    data.root.chmod(0o700)


def test_an_index_swapped_in_by_someone_else_is_refused_on_refresh(
    corpus: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus.search("pyongyang")
    other = Workspace(corpus.content_dirs, corpus.data)
    other.sync(rebuild=True)  # a new index directory is swapped in
    other.close()
    monkeypatch.setattr(os, "geteuid", lambda: 4242)  # as if another user had written it
    with pytest.raises(UnsafeIndex, match="belongs to another user"):
        corpus.refresh()


def test_a_read_only_session_does_not_load_an_unsafe_saved_index(
    corpus: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = corpus.search("pyongyang").total
    corpus.close()
    corpus.data.index_dir.chmod(0o777)  # someone else's to fix: not loaded, not refused
    monkeypatch.setattr("index.workspace.write_problem", lambda root: f"{root} is read-only")
    session = Workspace(corpus.content_dirs, corpus.data)
    assert not any(p.is_symlink() for p in session.indexer.data.index_dir.iterdir())
    assert session.search("pyongyang").total == expected  # built for this session
    session.close()


def test_a_note_is_saved_even_when_the_index_cannot_be_updated(
    corpus: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = corpus.article("pyongyang-housing")
    assert article is not None

    def refuse(*_args: object, **_kwargs: object) -> bool:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(corpus.indexer, "reindex", refuse)
    corpus.annotate(article, None, "kept though the index is stuck", ())  # no error
    monkeypatch.undo()
    assert [a.note for a in corpus.notes.load("pyongyang-housing")] == [
        "kept though the index is stuck"
    ]
    corpus.sync()  # the next update catches the index up
    assert corpus.search("note:stuck").total == 1
