"""Annotating from the keyboard: select, annotate, edit, delete, undo, find, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from index.paths import DataPaths
from tests.tui.conftest import (
    AppFactory,
    focused_pane,
    listed_ids,
    main_screen,
    notes_text,
    notifications,
    search_and_open,
    settle,
    started,
)
from tui.dialogs.annotation_editor import AnnotationEditor
from tui.dialogs.confirm import Confirm
from tui.dialogs.export_path import ExportPath
from tui.widgets.facets import WhenWherePane
from tui.widgets.notes import NotesPane
from tui.widgets.reader import ArticleView

pytestmark = pytest.mark.slow  # the annotating workflow, end to end: ~5 s a test

FIRST = "Pyongyang, April 15 (KCNA) -- A ceremony was held for the completion of 10,000 new homes"


async def open_housing(pilot: Pilot[None]) -> ArticleView:
    """Open "Another 10,000 homes rise in Pyongyang" (third newest) in the Reader."""
    await settle(pilot)
    await pilot.press("3", "g", "j", "j", "enter")
    await settle(pilot)
    reader = main_screen(pilot).query_one("#reader", ArticleView)
    assert reader.article is not None and reader.article.id == "pyongyang-housing"
    return reader


async def write_note(pilot: Pilot[None], note: str, tags: str) -> None:
    assert isinstance(pilot.app.screen, AnnotationEditor)
    await pilot.press(*note)
    await pilot.press("tab")
    await pilot.press(*tags)
    await pilot.press("ctrl+s")
    await settle(pilot)


def saved(data_paths: DataPaths, article: str = "pyongyang-housing") -> list[dict[str, Any]]:
    path = data_paths.notes_dir / f"{article}.yaml"
    return yaml.safe_load(path.read_text())["annotations"] if path.exists() else []


async def test_v_j_a_annotates_two_sentences(
    running_app: Pilot[None], data_paths: DataPaths
) -> None:
    pilot, app = running_app, running_app.app
    reader = await open_housing(pilot)
    assert focused_pane(pilot) == "reader"
    await pilot.press("v", "j", "a")
    await settle(pilot, 1)
    editor = app.screen
    assert isinstance(editor, AnnotationEditor)
    assert editor.quote is not None and editor.quote.startswith(FIRST)
    assert editor.quote.endswith("part of the plan for 50,000 homes.")
    await write_note(pilot, "Who gets these flats?", "housing, elite")
    assert not isinstance(app.screen, AnnotationEditor)
    [entry] = saved(data_paths)
    assert entry["note"] == "Who gets these flats?" and entry["tags"] == ["housing", "elite"]
    assert entry["target"]["exact"] == editor.quote
    assert "Who gets these flats?" in notes_text(pilot)
    assert reader.annotated == [(entry["target"]["start"], entry["target"]["end"])]


async def test_a_alone_annotates_the_current_sentence_and_A_the_article(
    running_app: Pilot[None], data_paths: DataPaths
) -> None:
    pilot, app = running_app, running_app.app
    await open_housing(pilot)
    await pilot.press("a")
    await settle(pilot, 1)
    assert isinstance(app.screen, AnnotationEditor)
    assert app.screen.quote == FIRST + " in the Hwasong district of Pyongyang."
    await write_note(pilot, "one sentence", "")
    await pilot.press("A")
    await settle(pilot, 1)
    assert isinstance(app.screen, AnnotationEditor) and app.screen.quote is None
    await write_note(pilot, "about the whole piece", "overview")
    entries = saved(data_paths)
    assert [e.get("target") is None for e in entries] == [False, True]
    assert notes_text(pilot).index("On the whole article") < notes_text(pilot).index("one sentence")


async def test_escape_cancels_a_selection_and_asks_before_losing_a_note(
    running_app: Pilot[None], data_paths: DataPaths
) -> None:
    pilot, app = running_app, running_app.app
    reader = await open_housing(pilot)
    await pilot.press("v", "J")
    assert reader.selection_anchor is not None
    await pilot.press("escape")
    assert reader.selection_anchor is None
    await pilot.press("a")
    await settle(pilot, 1)
    await pilot.press("escape")  # nothing typed: closes at once
    await settle(pilot, 1)
    assert not isinstance(app.screen, AnnotationEditor)
    await pilot.press("a", *"draft")
    await pilot.press("escape")
    await settle(pilot, 1)
    assert isinstance(app.screen, Confirm)
    await pilot.press("n")
    await settle(pilot, 1)
    assert isinstance(app.screen, AnnotationEditor)
    assert app.screen.query_one(TextArea).text == "draft"
    await pilot.press("escape", "y")
    await settle(pilot, 1)
    assert not isinstance(app.screen, (AnnotationEditor, Confirm))
    assert saved(data_paths) == []


async def test_notes_pane_jump_edit_delete_and_undo(
    running_app: Pilot[None], data_paths: DataPaths
) -> None:
    pilot, app = running_app, running_app.app
    reader = await open_housing(pilot)
    await pilot.press("G")
    await pilot.press("a")
    await settle(pilot, 1)
    await write_note(pilot, "last sentence", "")
    await pilot.press("g")
    await pilot.press("5")
    await settle(pilot, 1)
    assert focused_pane(pilot) == "notes"
    await pilot.press("enter")
    await settle(pilot)
    assert focused_pane(pilot) == "reader"
    assert reader.flash == reader.annotated[0]
    await pilot.press("5", "e")
    await settle(pilot, 1)
    assert isinstance(app.screen, AnnotationEditor)
    assert app.screen.query_one(TextArea).text == "last sentence"
    await pilot.press("end", *" (edited)", "ctrl+s")
    await settle(pilot)
    assert [e["note"] for e in saved(data_paths)] == ["last sentence (edited)"]
    await pilot.press("d")
    await settle(pilot)
    assert saved(data_paths) == [] and "last sentence" not in notes_text(pilot)
    assert reader.annotated == []
    await pilot.press("z")
    await settle(pilot)
    assert [e["note"] for e in saved(data_paths)] == ["last sentence (edited)"]
    assert "last sentence (edited)" in notes_text(pilot)


async def test_every_note_in_the_corpus_filtered_by_typing(running_app: Pilot[None]) -> None:
    pilot = running_app
    await open_housing(pilot)
    await pilot.press("a")
    await settle(pilot, 1)
    await write_note(pilot, "housing note", "")
    await pilot.press("3", "g", "enter")  # provinces-left-behind
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot, 1)
    await write_note(pilot, "markets note", "")
    await pilot.press("5", "t")
    await settle(pilot)
    pane = main_screen(pilot).query_one(NotesPane)
    assert pane.corpus_mode
    assert "housing note" in notes_text(pilot) and "markets note" in notes_text(pilot)
    pane.query_one("#notes-filter", Input).focus()
    await pilot.press(*"housing", "enter")
    await settle(pilot)
    assert "markets note" not in notes_text(pilot)
    await pilot.press("enter")
    await settle(pilot)
    reader = main_screen(pilot).query_one("#reader", ArticleView)
    assert reader.article is not None and reader.article.id == "pyongyang-housing"
    assert reader.flash is not None and focused_pane(pilot) == "reader"


async def test_notes_survive_a_restart_and_are_searchable(make_app: AppFactory) -> None:
    async with started(make_app()) as pilot:
        await open_housing(pilot)
        await pilot.press("v", "j", "a")
        await settle(pilot, 1)
        await write_note(pilot, "remember the okapi", "zoo")
    async with started(make_app()) as pilot:
        reader = main_screen(pilot).query_one("#reader", ArticleView)
        assert reader.article is not None and reader.article.id == "pyongyang-housing"
        assert len(reader.annotated) == 1
        assert "remember the okapi" in notes_text(pilot)
        await pilot.press("slash", *"okapi", "enter")
        await settle(pilot)
        assert listed_ids(pilot) == ["pyongyang-housing"]


async def test_a_corrupt_notes_file_is_shown_and_left_alone(
    make_app: AppFactory, data_paths: DataPaths
) -> None:
    data_paths.notes_dir.mkdir(parents=True)
    broken = data_paths.notes_dir / "pyongyang-housing.yaml"
    broken.write_text("annotations: [oops\n")
    app = make_app()
    async with started(app) as pilot:
        await open_housing(pilot)
        assert "pyongyang-housing.yaml:2" in notes_text(pilot)
        await pilot.press("a")
        await settle(pilot, 1)
        assert not isinstance(app.screen, AnnotationEditor)
        assert any("read-only" in n for n in notifications(pilot))
        assert app.is_running
    assert broken.read_text() == "annotations: [oops\n"


async def test_e_exports_the_briefing(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app()
    target = tmp_path / "exported.md"
    async with started(app) as pilot:
        await open_housing(pilot)
        await pilot.press("a")
        await settle(pilot, 1)
        await write_note(pilot, "export me", "")
        await pilot.press("3", "e")
        await settle(pilot, 1)
        assert isinstance(app.screen, ExportPath)
        field = app.screen.query_one(Input)
        field.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    text = target.read_text()
    assert text.startswith("# Briefing") and "## Pyongyang focus" in text and "export me" in text


async def test_e_exports_under_every_filter_on_screen(
    running_app: Pilot[None], tmp_path: Path
) -> None:
    """Year, place and unread-only set in the panes: the export holds only those articles."""
    pilot, app = running_app, running_app.app
    workspace = main_screen(pilot).workspace
    for article_id in (
        "pyongyang-housing",
        "pyongyang-korean",
        "sinuiju-greenhouse",
        "chinese-investors-mine",
    ):
        article = workspace.article(article_id)
        assert article is not None
        workspace.annotate(article, None, f"note on {article_id}", ())
    await search_and_open(pilot, "살림집", "pyongyang-korean")  # opened: read
    await pilot.press("escape", "x")
    await settle(pilot)
    when = main_screen(pilot).query_one("#when", WhenWherePane)
    for option in ("year:2024", "place:Pyongyang"):
        await pilot.press("6")
        when.highlighted = when.get_option_index(option)
        await pilot.press("enter")
        await settle(pilot)
    await pilot.press("U")
    await settle(pilot)
    assert listed_ids(pilot) == ["pyongyang-housing"]
    target = tmp_path / "filtered.md"
    await pilot.press("e")
    await settle(pilot, 1)
    assert isinstance(app.screen, ExportPath)
    app.screen.query_one(Input).value = str(target)
    await pilot.press("enter")
    await settle(pilot)
    text = target.read_text()
    assert "note on pyongyang-housing" in text
    for left_out in ("pyongyang-korean", "sinuiju-greenhouse", "chinese-investors-mine"):
        assert f"note on {left_out}" not in text
    assert "year 2024" in text and "place Pyongyang" in text and "unread only" in text


async def test_orphaned_annotations_are_shown_with_their_quote(
    make_app: AppFactory, corpus_dir: Path
) -> None:
    async with started(make_app()) as pilot:
        await open_housing(pilot)
        await pilot.press("a")
        await settle(pilot, 1)
        await write_note(pilot, "about the ceremony", "")
    path = corpus_dir / "articles" / "pyongyang-housing.md"
    head = path.read_text().split("\n---\n", 1)[0]
    path.write_text(head + "\n---\n\nThe whole report was replaced by one about fishing.\n")
    async with started(make_app()) as pilot:
        reader = main_screen(pilot).query_one("#reader", ArticleView)
        assert reader.article is not None and "fishing" in reader.article.body
        shown = notes_text(pilot)
        assert "about the ceremony" in shown and "passage no longer in the text" in shown
        assert FIRST in shown.replace("\n", " ")
        assert reader.annotated == []


async def test_a_note_that_cannot_be_saved_comes_back_in_the_editor(
    running_app: Pilot[None], data_paths: DataPaths, monkeypatch: Any
) -> None:
    import errno
    import os

    pilot, app = running_app, running_app.app
    await open_housing(pilot)
    await pilot.press("a")
    await settle(pilot, 1)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    await write_note(pilot, "precious words", "mine")
    await pilot.pause(0.3)
    await settle(pilot)
    messages = notifications(pilot)
    assert any("no space left on device" in m and "back in the editor" in m for m in messages)
    editor = app.screen
    assert isinstance(editor, AnnotationEditor)
    assert editor.query_one(TextArea).text == "precious words"
    assert editor.query_one(Input).value == "mine"
    monkeypatch.undo()
    await pilot.press("ctrl+s")
    await settle(pilot)
    await pilot.pause(0.3)
    assert [entry["note"] for entry in saved(data_paths)] == ["precious words"]


async def test_a_read_only_session_says_so_and_refuses_notes(
    corpus_dir: Path, data_paths: DataPaths, monkeypatch: Any
) -> None:
    from index.workspace import Workspace
    from tui.app import BriefingApp

    Workspace([corpus_dir], data_paths).sync()
    monkeypatch.setattr("index.workspace.write_problem", lambda root: f"{root} is read-only")
    workspace = Workspace([corpus_dir], data_paths)
    app = BriefingApp(workspace)
    async with started(app) as pilot:
        await open_housing(pilot)
        await pilot.press("a")
        await settle(pilot, 1)
        assert not isinstance(app.screen, AnnotationEditor)
        messages = notifications(pilot)
        assert any(
            m.startswith("Read-only session:") and "Nothing will be saved" in m for m in messages
        )
        assert any("is read-only" in m and "Read-only session" in m for m in messages[1:])
    workspace.close()
    assert not data_paths.state_file.exists()
