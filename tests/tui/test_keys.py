"""Every key of the keymap contract, pressed for real, with what the screen then shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from index import plain_text
from tests.tui.conftest import (
    AppFactory,
    article_row,
    focused_pane,
    listed_ids,
    main_screen,
    notes_text,
    notifications,
    settle,
    started,
    status_text,
    wait_until,
)
from tui.screens.help import HelpScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.facets import SourcesPane
from tui.widgets.reader import ArticleView

NEWEST_FIRST = [
    "provinces-left-behind",
    "pyongyang-korean",
    "pyongyang-housing",
    "sinuiju-greenhouse",
    "chinese-investors-mine",
    "fisheries-no-date",
]


async def test_start_shows_every_article_newest_first_with_facets(running_app: Pilot[None]) -> None:
    pilot = running_app
    assert listed_ids(pilot) == NEWEST_FIRST
    assert focused_pane(pilot) == "articles"
    assert "All articles" in status_text(pilot) and "6 articles" in status_text(pilot)
    sources = main_screen(pilot).query_one("#sources", SourcesPane)
    assert [option.id for option in sources.options] == ["daily-nk", "kcna", "yonhap"]


async def test_slash_search_as_you_type_enter_and_escape(running_app: Pilot[None]) -> None:
    pilot = running_app
    await pilot.press("slash")
    assert focused_pane(pilot) == "search"
    await pilot.press(*"excavators")
    await wait_until(pilot, lambda: listed_ids(pilot) == ["chinese-investors-mine"])
    assert "“excavators”" in status_text(pilot) and "1 article" in status_text(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert focused_pane(pilot) == "articles"
    await pilot.press("slash", "escape")
    await settle(pilot)
    assert focused_pane(pilot) == "articles"
    assert main_screen(pilot).query_one("#search", Input).value == "excavators"
    await pilot.press("escape")
    await wait_until(pilot, lambda: len(listed_ids(pilot)) == 6)
    assert main_screen(pilot).query_one("#search", Input).value == ""


async def test_typing_in_the_search_box_never_triggers_keys(running_app: Pilot[None]) -> None:
    pilot, app = running_app, running_app.app
    await pilot.press("slash", *"q1xru?jk")
    await settle(pilot)
    assert app.is_running
    assert main_screen(pilot).query_one("#search", Input).value == "q1xru?jk"
    assert focused_pane(pilot) == "search"


async def test_number_keys_and_tab_cycle_focus(running_app: Pilot[None]) -> None:
    pilot = running_app
    for key, pane in [
        ("1", "sources"),
        ("2", "themes"),
        ("3", "articles"),
        ("4", "reader"),
        ("5", "notes"),
    ]:
        await pilot.press(key)
        await settle(pilot, 1)
        assert focused_pane(pilot) == pane
    await pilot.press("tab")
    await settle(pilot, 1)
    assert focused_pane(pilot) == "search"
    await pilot.press("tab")
    await settle(pilot, 1)
    assert focused_pane(pilot) == "sources"
    await pilot.press("shift+tab")
    await settle(pilot, 1)
    assert focused_pane(pilot) == "search"


async def test_list_movement_keys(running_app: Pilot[None]) -> None:
    pilot = running_app
    articles = main_screen(pilot).query_one("#articles", ArticleList)
    assert articles.highlighted == 0
    await pilot.press("j", "j", "down")
    assert articles.highlighted == 3
    await pilot.press("k", "up")
    assert articles.highlighted == 1
    await pilot.press("G")
    assert articles.highlighted == 5
    await pilot.press("g")
    assert articles.highlighted == 0


async def test_enter_opens_the_article_in_reader_and_notes(running_app: Pilot[None]) -> None:
    pilot = running_app
    await pilot.press("j", "j", "enter")
    await settle(pilot)
    reader = main_screen(pilot).query_one("#reader", ArticleView)
    assert reader.article is not None and reader.article.id == "pyongyang-housing"
    assert "Another 10,000 homes rise in Pyongyang" in reader.visible_text
    assert "Source: KCNA (D)" in reader.visible_text
    assert focused_pane(pilot) == "reader"
    assert "Completion of a new street of high-rise apartments" in notes_text(pilot)
    assert "pyongyang-housing" in main_screen(pilot).state.read


async def test_enter_in_sources_and_themes_toggles_filters_that_compose(
    running_app: Pilot[None],
) -> None:
    pilot = running_app
    await pilot.press("1", "j", "enter")  # second source: KCNA
    await settle(pilot)
    assert set(listed_ids(pilot)) == {"pyongyang-housing", "sinuiju-greenhouse"}
    assert "source KCNA" in status_text(pilot)
    await pilot.press("2", "j", "enter")  # second theme: Pyongyang focus
    await settle(pilot)
    assert listed_ids(pilot) == ["pyongyang-housing"]
    assert "theme Pyongyang focus" in status_text(pilot)
    await pilot.press("enter")  # toggled off again
    await settle(pilot)
    assert set(listed_ids(pilot)) == {"pyongyang-housing", "sinuiju-greenhouse"}
    await pilot.press("1", "enter")  # the cursor is still on KCNA: off again
    await settle(pilot)
    assert len(listed_ids(pilot)) == 6


async def test_facet_counts_follow_the_query(running_app: Pilot[None]) -> None:
    pilot, app = running_app, running_app.app
    await pilot.press("slash", *"Sinuiju OR Pyongyang", "enter")
    await settle(pilot)
    result = main_screen(pilot).search.result
    assert result is not None and result.facets.sources == {"kcna": 2, "yonhap": 1}
    sources = main_screen(pilot).query_one("#sources")
    rendered = app.screen.query_one("#sources").render_lines(sources.region.reset_offset)
    text = "\n".join(strip.text for strip in rendered)
    assert "KCNA" in text and "D    2" in text


async def test_reader_scrolls_and_jumps_between_matches(make_app: AppFactory, corpus_dir) -> None:
    long = corpus_dir / "articles" / "pyongyang-housing.md"
    filler = "\n\n".join(f"Filler paragraph {i}." for i in range(80))
    long.write_text(long.read_text() + "\n" + filler + "\n\nThe luxury apartments again.\n")
    async with started(make_app()) as pilot:
        await pilot.press("slash", *"luxury", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        reader = main_screen(pilot).query_one("#reader", ArticleView)
        assert len(reader.matches) == 2
        assert reader.current_match == 0  # opened from the results: at the first match
        assert str(reader.border_subtitle).startswith("match 1/2")
        assert reader.scroll_offset.y == 0
        await pilot.press("j", "j")
        assert reader.scroll_offset.y == 2
        await pilot.press("k")
        assert reader.scroll_offset.y == 1
        await pilot.press("space")
        page = reader.scroll_offset.y
        assert page > 10
        await pilot.press("b")
        assert reader.scroll_offset.y == 1
        await pilot.press("n")
        assert reader.current_match == 1
        assert "luxury apartments again" in reader.visible_text
        assert str(reader.border_subtitle).startswith("match 2/2")
        await pilot.press("N")
        assert reader.current_match == 0
        await pilot.press("G")
        assert reader.scroll_offset.y == reader.max_scroll_y
        await pilot.press("g")
        assert reader.scroll_offset.y == 0


async def test_r_lists_related_articles_and_x_clears_everything(running_app: Pilot[None]) -> None:
    pilot = running_app
    await pilot.press("slash", *"homes", "enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("r")
    await settle(pilot)
    assert "Related to “Another 10,000 homes rise in Pyongyang”" in status_text(pilot)
    assert listed_ids(pilot) and "pyongyang-housing" not in listed_ids(pilot)
    assert focused_pane(pilot) == "articles"
    await pilot.press("1", "enter")
    await settle(pilot)
    await pilot.press("x")
    await settle(pilot)
    assert len(listed_ids(pilot)) == 6
    assert "All articles" in status_text(pilot)
    assert main_screen(pilot).query_one("#search", Input).value == ""


async def test_u_toggles_read_and_read_rows_are_dimmed(running_app: Pilot[None]) -> None:
    pilot = running_app
    screen = main_screen(pilot)
    await pilot.press("u")
    assert "provinces-left-behind" in screen.state.read
    assert "dim" in str(article_row(pilot, 0).style)
    await pilot.press("u")
    assert "provinces-left-behind" not in screen.state.read
    assert "dim" not in str(article_row(pilot, 0).style)


async def test_question_mark_shows_help_and_escape_closes_it(running_app: Pilot[None]) -> None:
    pilot, app = running_app, running_app.app
    await pilot.press("question_mark")
    await settle(pilot, 1)
    assert isinstance(app.screen, HelpScreen)
    await pilot.press("escape")
    await settle(pilot, 1)
    assert not isinstance(app.screen, HelpScreen)


@pytest.mark.slow  # over 3 s: left to make test
async def test_command_palette_reaches_filters_and_articles(running_app: Pilot[None]) -> None:
    pilot = running_app
    await pilot.press("ctrl+p")
    await settle(pilot, 1)
    await pilot.press(*"theme: china")
    await settle(pilot)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await settle(pilot)
    assert listed_ids(pilot) == ["chinese-investors-mine"]
    await pilot.press("ctrl+p")
    await pilot.press(*"greenhouse")
    await pilot.pause(0.5)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    reader = main_screen(pilot).query_one("#reader", ArticleView)
    assert reader.article is not None and reader.article.id == "sinuiju-greenhouse"


async def test_q_quits(running_app: Pilot[None]) -> None:
    pilot, app = running_app, running_app.app
    await pilot.press("q")
    await pilot.pause()
    assert not app.is_running


async def test_ctrl_c_quits_even_from_the_search_box(running_app: Pilot[None]) -> None:
    pilot, app = running_app, running_app.app
    await pilot.press("slash", "a", "ctrl+c")
    await pilot.pause()
    assert not app.is_running


async def test_bad_query_is_a_notification_not_a_crash(running_app: Pilot[None]) -> None:
    pilot, app = running_app, running_app.app
    await pilot.press("slash", *"NOT NOT a", "enter")
    await settle(pilot)
    assert app.is_running
    messages = notifications(pilot)
    assert any("cannot understand 'NOT NOT a'" in m for m in messages)
    assert "cannot understand" in status_text(pilot)


async def test_reader_highlights_follow_the_query(running_app: Pilot[None]) -> None:
    pilot = running_app
    await pilot.press("slash", *"homes", "enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    reader = main_screen(pilot).query_one("#reader", ArticleView)
    assert len(reader.matches) == 2
    await pilot.press("x")
    await settle(pilot)
    assert reader.matches == []
    assert reader.article is not None and reader.article.id == "pyongyang-housing"


async def test_typing_shows_results_at_every_letter_after_the_second(
    running_app: Pilot[None],
) -> None:
    pilot = running_app
    await pilot.press("slash")
    for typed in ("g", "gr", "gre", "gree", "green", "greenh"):
        await pilot.press(typed[-1])
        if len(typed) >= 2:  # this prefix's own results, not the last prefix's still shown

            def shown(typed: str = typed) -> bool:
                result = main_screen(pilot).search.result
                found = "sinuiju-greenhouse" in listed_ids(pilot)
                return found and result is not None and result.query == typed

            await wait_until(pilot, shown)
    await pilot.press("enter")
    await settle(pilot)
    assert listed_ids(pilot) == []  # Enter: the query is finished, and "greenh" is no word


async def test_with_briefing_trace_set_each_search_stamps_its_stages_in_order(
    running_app: Pilot[None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = running_app
    trace = tmp_path / "trace.jsonl"
    monkeypatch.setenv("BRIEFING_TRACE", str(trace))
    await pilot.press("slash", *"greenhouse")
    await wait_until(pilot, lambda: "sinuiju-greenhouse" in listed_ids(pilot))
    await settle(pilot)
    stamps = [json.loads(line) for line in trace.read_text().splitlines()]
    started = [s for s in stamps if s["stage"] == "started"]
    assert started and started[-1]["query"] == "greenhouse"
    last = started[-1]["request"]
    times = {s["stage"]: s["t"] for s in stamps if s["request"] == last}
    assert times["started"] <= times["searched"] <= times["updated"]


async def test_a_phrase_is_one_match_and_opening_a_hit_lands_on_it(
    running_app: Pilot[None],
) -> None:
    pilot = running_app
    await pilot.press("slash", *'"luxury apartments"', "enter")
    await wait_until(pilot, lambda: listed_ids(pilot) == ["pyongyang-housing"])
    await pilot.press("enter")
    await settle(pilot)
    reader = main_screen(pilot).query_one("#reader", ArticleView)
    assert reader.article is not None
    body = plain_text(reader.article.body)
    assert [body[s:e] for s, e in reader.matches] == ["luxury apartments"]
    assert reader.current_match == 0 and str(reader.border_subtitle).startswith("match 1/1")
    start = reader.matches[0][0]
    cursor = reader.sentences[reader.cursor]
    assert cursor[0] <= start < cursor[1]  # the sentence cursor is on the match


async def test_a_misspelt_query_shows_the_correction_and_keys_choose(
    running_app: Pilot[None],
) -> None:
    pilot = running_app
    await pilot.press("slash", *"greenhuse", "enter")
    await wait_until(pilot, lambda: listed_ids(pilot) == ["sinuiju-greenhouse"])
    assert "showing results for “greenhouse”" in status_text(pilot)
    await pilot.press("ctrl+l")  # the query as typed
    await wait_until(pilot, lambda: listed_ids(pilot) == [])
    assert "did you mean “greenhouse”? Ctrl+Y" in status_text(pilot)
    await pilot.press("ctrl+y")  # accept the correction
    await wait_until(pilot, lambda: listed_ids(pilot) == ["sinuiju-greenhouse"])
    assert main_screen(pilot).query_one("#search", Input).value == "greenhouse"
