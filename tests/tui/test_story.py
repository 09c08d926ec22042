"""The analyst's views: a story side by side (annotating from there), the timeline, what rises."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from textual.pilot import Pilot
from textual.widgets import OptionList

from index.paths import DataPaths
from tui.screens.emerging import EmergingScreen
from tui.screens.story import StoryColumn, StoryScreen
from tui.screens.timeline import TimelineScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import ArticleView

from ..unit.test_emerging import burst_library
from ..unit.test_stories import DATA, write_reports
from .conftest import (
    AppFactory,
    main_screen,
    notifications,
    reader_text,
    search_and_open,
    settle,
    started,
    wait_until,
)


def stories_content(tmp_path: Path) -> Path:
    content = tmp_path / "stories-content"
    shutil.copytree(DATA / "stories", content)
    write_reports(content)
    return content


async def open_story(pilot: Pilot[None]) -> StoryScreen:
    await search_and_open(pilot, "Sariwon", "wire-greenhouse")
    await pilot.press("S")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, StoryScreen), tries=200)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StoryScreen)
    return screen


@pytest.mark.slow  # over 3 s: left to make test
async def test_a_story_shows_its_sources_side_by_side_and_opens_one_to_annotate(
    make_app: AppFactory, tmp_path: Path, data_paths: DataPaths
) -> None:
    async with started(make_app(stories_content(tmp_path))) as pilot:
        screen = await open_story(pilot)
        head = str(screen.query_one("#story-head").render())
        assert "2 articles · State Wire, Test News" in head and "Sariwon" in head
        columns = list(screen.query(StoryColumn))
        assert [c.display for c in columns] == [True, True]  # side by side at 120 columns
        assert [c.border_title for c in columns] == [
            "State Wire (D) · 2026-11-19",
            "Test News (C) · 2026-11-20",
        ]
        assert pilot.app.focused is columns[0]
        await pilot.press("right_square_bracket", "enter")
        await settle(pilot)
        reader = main_screen(pilot).query_one("#reader", ArticleView)
        assert reader.article is not None and reader.article.id == "news-greenhouse-farm"
        await pilot.press("a")
        await settle(pilot, 1)
        await pilot.press(*"Prices double in winter, says a trader", "ctrl+s")
        await settle(pilot)
    notes = yaml.safe_load((data_paths.notes_dir / "news-greenhouse-farm.yaml").read_text())
    assert notes["annotations"][0]["note"] == "Prices double in winter, says a trader"


async def test_at_80_columns_one_article_at_a_time(make_app: AppFactory, tmp_path: Path) -> None:
    async with started(make_app(stories_content(tmp_path)), (80, 24)) as pilot:
        screen = await open_story(pilot)
        columns = list(screen.query(StoryColumn))
        assert [c.display for c in columns] == [True, False]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert [c.display for c in columns] == [False, True]
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, StoryScreen)


async def test_an_article_without_a_story_says_so(make_app: AppFactory, tmp_path: Path) -> None:
    async with started(make_app(stories_content(tmp_path))) as pilot:
        await search_and_open(pilot, "Kilju", "news-rail-repairs")
        await pilot.press("S")
        await wait_until(
            pilot, lambda: any("not part of a story" in n for n in notifications(pilot)), tries=200
        )
        assert not isinstance(pilot.app.screen, StoryScreen)


@pytest.mark.slow  # over 3 s: left to make test
async def test_the_timeline_draws_the_results_and_filters_by_a_period(
    make_app: AppFactory, tmp_path: Path
) -> None:
    async with started(make_app(stories_content(tmp_path))) as pilot:
        await pilot.press("slash", *"Rason", "enter")
        await settle(pilot)
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TimelineScreen), tries=200)
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TimelineScreen)
        chart = str(screen.query_one("#timeline-chart").render())
        assert "State Wire" in chart and "Test News" in chart and "2026-11-23" in chart
        assert str(screen.query_one("#timeline-period").render()).startswith(
            "2026-11-25 – 2026-11-25: 1 (Test News 1)"
        )
        await pilot.press("left", "left", "enter")  # back to the 23rd: the fair opens
        await settle(pilot)
        main = main_screen(pilot)
        assert main.state.filters.query == "Rason date:[2026-11-23 to 2026-11-23]"
        assert [hit.id for hit in main.query_one(ArticleList).hits] == ["wire-trade-fair"]


async def test_what_is_emerging_lists_the_burst_and_searches_it(
    make_app: AppFactory, tmp_path: Path
) -> None:
    async with started(make_app(burst_library(tmp_path / "burst"))) as pilot:
        await pilot.press("E")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, EmergingScreen), tries=200)
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, EmergingScreen)
        first = screen.query_one(OptionList).get_option_at_index(0).prompt
        assert str(first).startswith("typhoon")
        assert screen.until.isoformat() == "2024-09-30"  # the newest article, not today
        await pilot.press("enter")
        await settle(pilot)
        main = main_screen(pilot)
        assert main.state.filters.query == "typhoon" and len(main.query_one(ArticleList).hits) == 6


async def test_the_reader_lists_the_other_coverage_of_the_event(
    make_app: AppFactory, tmp_path: Path
) -> None:
    # started settles: the stories of a small library are found in the background
    async with started(make_app(stories_content(tmp_path))) as pilot:
        await search_and_open(pilot, "Sariwon", "wire-greenhouse")
        header = reader_text(pilot)
        assert "Same story:" in header and "Greenhouse farm opens in North Hwanghae" in header
