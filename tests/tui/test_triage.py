"""Triage in the app: unread only, grading sources, themes made, edited and filled by hand.

Each action is driven by its keys, and checked on screen (panes, status line)
and on disk (the library's YAML, the reading state); the content folder is
never written.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input

from index.paths import DataPaths
from tui.dialogs.curation import ThemeDialog
from tui.widgets.facets import SourcesPane, ThemesPane, WhenWherePane

from .conftest import (
    AppFactory,
    listed_ids,
    main_screen,
    notifications,
    reader_text,
    search_and_open,
    settle,
    started,
    status_text,
    wait_until,
)


def library_yaml(data: DataPaths, name: str) -> Any:
    path = data.library_dir / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


def pane_text(pilot: Pilot[None], pane: type[SourcesPane | ThemesPane | WhenWherePane]) -> str:
    """The pane's rows as they are drawn, one per line."""
    widget = main_screen(pilot).query_one(pane)
    console = Console(width=40, record=True, file=io.StringIO())
    for option in widget.options:
        console.print(option.prompt)
    return console.export_text()


def highlight(
    pilot: Pilot[None], pane: type[SourcesPane | ThemesPane | WhenWherePane], option_id: str
) -> None:
    widget = main_screen(pilot).query_one(pane)
    widget.highlighted = widget.get_option_index(option_id)


async def test_unread_only_hides_what_was_read_and_is_remembered(
    make_app: AppFactory, data_paths: DataPaths
) -> None:
    async with started(make_app()) as pilot:
        await search_and_open(pilot, "greenhouse", "sinuiju-greenhouse")
        await pilot.press("x", "U")
        await wait_until(pilot, lambda: "sinuiju-greenhouse" not in listed_ids(pilot))
        assert len(listed_ids(pilot)) == 5
        assert "only unread" in status_text(pilot)
        await pilot.press("U")
        await wait_until(pilot, lambda: "sinuiju-greenhouse" in listed_ids(pilot))
        await pilot.press("U")
        await settle(pilot)
    state = yaml.safe_load(data_paths.state_file.read_text(encoding="utf-8"))
    assert state["unread_only"] is True


async def test_grading_a_source_from_the_sources_pane(
    make_app: AppFactory, data_paths: DataPaths, corpus_dir: Path
) -> None:
    before = (corpus_dir / "sources.yaml").read_text(encoding="utf-8")
    async with started(make_app()) as pilot:
        await pilot.press("1")
        highlight(pilot, SourcesPane, "kcna")
        await pilot.press("e")
        await pilot.press("backspace", *"e", "tab", "ctrl+u", *"State media, unverifiable", "enter")
        await settle(pilot)
        kcna_row = next(
            line for line in pane_text(pilot, SourcesPane).splitlines() if "KCNA" in line
        )
        assert " E " in f"{kcna_row} "
    entry = next(e for e in library_yaml(data_paths, "sources.yaml") if e["id"] == "kcna")
    assert entry["grade"] == "E"
    assert entry["rationale"] == "State media, unverifiable"
    assert (corpus_dir / "sources.yaml").read_text(encoding="utf-8") == before


@pytest.mark.slow  # over 3 s: left to make test
async def test_saving_the_query_as_a_theme_and_editing_it(
    make_app: AppFactory, data_paths: DataPaths
) -> None:
    async with started(make_app()) as pilot:
        await pilot.press("slash", *"greenhouse OR mine", "enter")
        await settle(pilot)
        await pilot.press("2", "n", *"Food supply", "enter", "enter", "enter")
        await settle(pilot)
        assert "Food supply" in pane_text(pilot, ThemesPane)
        themes = library_yaml(data_paths, "themes.yaml")
        assert themes == [
            {
                "id": "food-supply",
                "name": "Food supply",
                "description": "",
                "query": "greenhouse OR mine",
            }
        ]
        await pilot.press("x")
        await settle(pilot)
        highlight(pilot, ThemesPane, "food-supply")
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(listed_ids(pilot)) == 2)
        assert set(listed_ids(pilot)) == {"sinuiju-greenhouse", "chinese-investors-mine"}

        await pilot.press("e", *" and fish", "tab", *" OR housing", "ctrl+s")
        await wait_until(pilot, lambda: len(listed_ids(pilot)) == 3)
        assert "Food supply and fish" in pane_text(pilot, ThemesPane)
    (entry,) = library_yaml(data_paths, "themes.yaml")
    assert entry["name"] == "Food supply and fish"
    assert entry["query"] == "greenhouse OR mine OR housing"


async def test_a_theme_needs_a_query_that_parses(
    make_app: AppFactory, data_paths: DataPaths
) -> None:
    async with started(make_app()) as pilot:
        await pilot.press("2", "n", *"Broken", "tab", *"date:garbage", "ctrl+s")
        await settle(pilot)
        assert any("not saved" in n for n in notifications(pilot))
        dialog = pilot.app.screen  # back, with what was typed
        assert isinstance(dialog, ThemeDialog)
        assert dialog.query_one("#query", Input).value == "date:garbage"
        await pilot.press("escape")
    assert library_yaml(data_paths, "themes.yaml") is None


async def test_putting_the_open_article_in_a_theme_and_out_again(
    make_app: AppFactory, data_paths: DataPaths
) -> None:
    async with started(make_app()) as pilot:
        await search_and_open(pilot, "greenhouse", "sinuiju-greenhouse")
        await pilot.press("2")
        highlight(pilot, ThemesPane, "china-ventures")
        await pilot.press("m")
        await settle(pilot)
        assert library_yaml(data_paths, "article-themes.yaml") == {
            "sinuiju-greenhouse": {"add": ["china-ventures"]}
        }
        hit = main_screen(pilot).search.result.hits[0]  # type: ignore[union-attr]
        assert hit.id == "sinuiju-greenhouse" and "china-ventures" in hit.themes
        await wait_until(pilot, lambda: "China ventures" in reader_text(pilot))
        await pilot.press("enter")  # the theme as a filter: the article is in it
        await wait_until(pilot, lambda: listed_ids(pilot) == ["sinuiju-greenhouse"])

        await pilot.press("m")
        await wait_until(pilot, lambda: listed_ids(pilot) == [])
    assert library_yaml(data_paths, "article-themes.yaml") == {
        "sinuiju-greenhouse": {"remove": ["china-ventures"]}
    }


async def test_years_and_places_filter_and_keep_their_other_counts(
    make_app: AppFactory, data_paths: DataPaths
) -> None:
    async with started(make_app()) as pilot:
        shown = pane_text(pilot, WhenWherePane)
        assert "2024" in shown and "Pyongyang" in shown
        await pilot.press("6")
        highlight(pilot, WhenWherePane, "year:2024")
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(listed_ids(pilot)) == 4)
        assert "year 2024" in status_text(pilot)
        assert "2023" in pane_text(pilot, WhenWherePane)  # the other years still counted
        highlight(pilot, WhenWherePane, "place:Pyongyang")
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(listed_ids(pilot)) == 2)
        assert set(listed_ids(pilot)) == {"pyongyang-housing", "pyongyang-korean"}
        assert "place Pyongyang" in status_text(pilot)
        await settle(pilot)
    state = yaml.safe_load(data_paths.state_file.read_text(encoding="utf-8"))
    assert (state["year"], state["place"]) == ("2024", "Pyongyang")
