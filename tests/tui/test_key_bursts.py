"""No keystroke lost or misrouted, at any typing speed: each burst sent at once on a real pty.

A person who types fast, or pastes, sends keys faster than Textual handles
them; keys typed while a dialog opens or the focus moves must still go where
the person meant them to. Each test sends one burst and checks the outcome on
disk and on screen.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from index.userdata.notes import NotesStore, new_annotation

from ..conftest import FIXTURE_CORPUS
from .pty_terminal import Terminal

pytestmark = pytest.mark.slow
ENTER, TAB, BACKSPACE, CTRL_S = "\r", "\t", "\x7f", "\x13"


def started(tmp_path: Path, open_article: str | None = None) -> tuple[Terminal, Path]:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CORPUS, content)
    data = tmp_path / "data"
    data.mkdir(mode=0o700, exist_ok=True)
    if open_article:
        (data / "state.yaml").write_text(f"open_article: {open_article}\n")
    terminal = Terminal(data, "--content", str(content))
    assert terminal.read_until("Another 10,000 homes", timeout=90), terminal.text
    terminal.read(1.0)  # the restored article and the first results are on screen
    return terminal, data


def saved_notes(data: Path, article: str = "pyongyang-housing") -> list[dict[str, object]]:
    path = data / "notes" / f"{article}.yaml"
    if not path.exists():
        return []
    return list(yaml.safe_load(path.read_text())["annotations"])


def test_search_enter_enter_opens_the_first_result(tmp_path: Path) -> None:
    terminal, data = started(tmp_path)
    try:
        terminal.send("/excavators" + ENTER + ENTER)
        assert terminal.read_until("Source: Daily NK", timeout=20), terminal.text
        assert "Chinese investors" in terminal.text
        terminal.send("q")
        assert terminal.exit_code() == 0
        assert "open_article: chinese-investors-mine" in (data / "state.yaml").read_text()
    finally:
        terminal.close()


def test_annotate_note_tab_tags_save_in_one_burst(tmp_path: Path) -> None:
    terminal, data = started(tmp_path, "pyongyang-housing")
    try:
        terminal.send("4")
        terminal.read(0.5)
        terminal.send("a" + "The figure is unverifiable" + TAB + "claims, 20x10" + CTRL_S)
        assert terminal.read_until("Annotation saved", timeout=20), terminal.text
        notes = saved_notes(data)
        assert [(n["note"], n["tags"]) for n in notes] == [
            ("The figure is unverifiable", ["claims", "20x10"])
        ]
    finally:
        terminal.close()


def test_all_notes_then_typing_filters_and_runs_no_command(tmp_path: Path) -> None:
    store = NotesStore(tmp_path / "data" / "notes")
    store.put(new_annotation("pyongyang-housing", "exports of cement", ("trade",), None))
    store.put(new_annotation("sinuiju-greenhouse", "vegetables", ("farm",), None))
    terminal, _data = started(tmp_path)
    try:
        terminal.send("5" + "t" + "export")  # e would edit, x would clear, t would toggle
        assert terminal.read_until("exports of cement", timeout=20), terminal.text
        terminal.read(1.0)
        screen = terminal.text
        assert "export" in screen and "vegetables" not in screen
        assert "Annotation" not in screen.split("5 Notes")[0]  # no editor was opened
        terminal.send("\x1b")  # Esc to the list (alone: Esc and a key at once is Alt+key)
        terminal.read(0.3)
        terminal.send("q")  # which quits from there
        assert terminal.exit_code() == 0
    finally:
        terminal.close()


def test_edit_backspace_and_type_at_the_end_in_one_burst(tmp_path: Path) -> None:
    store = NotesStore(tmp_path / "data" / "notes")
    store.put(new_annotation("pyongyang-housing", "hello world", ("x",), None))
    terminal, data = started(tmp_path, "pyongyang-housing")
    try:
        terminal.send("5")
        assert terminal.read_until("hello world", timeout=20), terminal.text
        terminal.send("e" + BACKSPACE * 3 + "rk" + CTRL_S)
        assert terminal.read_until("Annotation updated", timeout=20), terminal.text
        assert [n["note"] for n in saved_notes(data)] == ["hello work"]
    finally:
        terminal.close()


def test_open_then_file_the_article_in_a_theme_in_one_burst(tmp_path: Path) -> None:
    """Keys typed right after opening an article act once it is open (here: on it)."""
    terminal, data = started(tmp_path)
    try:
        # Enter opens the first hit and focuses the Reader; `2` must still win, then
        # `G` (last theme, China ventures) and `m` (put the open article in it).
        terminal.send("/greenhouse" + ENTER + ENTER + "2" + "G" + "m")
        assert terminal.read_until("put in the theme", timeout=20), terminal.text
        chosen = yaml.safe_load((data / "library" / "article-themes.yaml").read_text())
        assert chosen == {"sinuiju-greenhouse": {"add": ["china-ventures"]}}
    finally:
        terminal.close()
