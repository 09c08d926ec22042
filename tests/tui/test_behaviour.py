"""State across restarts, hostile text, background indexing, narrow terminals, errors."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from index.paths import DataPaths
from tests.helpers import write_article
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
)
from tui.screens.main import MainScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import ArticleView

HOSTILE = """---
id: hostile
title: "[bold]x[/bold] [@click=app.quit]q[/] \\e]52;c;aGk=\\a title"
source: kcna
published: 2024-07-01
summary: "[link=http://evil.example]click[/link] summary"
---

Body with [bold]x[/bold] and [@click=app.quit]q[/] and \x1b]52;c;aGk=\x07 clipboard.

[link=https://evil.example]a link[/link] and a trailing backslash \\
"""


async def test_state_survives_a_restart(make_app: AppFactory, data_paths: DataPaths) -> None:
    async with started(make_app()) as pilot:
        await pilot.press("slash", *"Pyongyang", "enter")
        await settle(pilot)
        await pilot.press("1", "j", "enter")  # source KCNA
        await settle(pilot)
        await pilot.press("3", "enter")
        await settle(pilot)
        opened = main_screen(pilot).open_article
        assert opened is not None
    assert data_paths.state_file.is_file()

    async with started(make_app()) as pilot:
        screen = main_screen(pilot)
        assert screen.query_one("#search", Input).value == "Pyongyang"
        assert screen.state.filters.source == "kcna"
        assert set(listed_ids(pilot)) == {"pyongyang-housing"}  # not the dateline-only one
        reader = screen.query_one("#reader", ArticleView)
        assert reader.article is not None and reader.article.id == opened.id
        assert opened.id in screen.state.read
        assert "query “Pyongyang” · source KCNA" in status_text(pilot)


async def test_unreadable_state_is_reported_and_never_overwritten(
    make_app: AppFactory, data_paths: DataPaths
) -> None:
    data_paths.root.mkdir(parents=True)
    data_paths.state_file.write_text("read: [unclosed\n")
    async with started(make_app()) as pilot:
        await pilot.press("u")
        await settle(pilot)
        messages = notifications(pilot)
        assert any("state.yaml" in m and "will not be saved" in m for m in messages)
    assert data_paths.state_file.read_text() == "read: [unclosed\n"


async def test_hostile_text_shows_literally_and_escapes_are_stripped(
    make_app: AppFactory, corpus_dir: Path
) -> None:
    write_article(corpus_dir, "hostile.md", HOSTILE)
    app = make_app()
    async with started(app) as pilot:
        title = article_row(pilot, 0).plain
        assert title.startswith("[bold]x[/bold] [@click=app.quit]q[/]  title")
        await pilot.press("enter")
        await settle(pilot)
        reader = main_screen(pilot).query_one("#reader", ArticleView)
        shown = reader.visible_text
        words = " ".join(shown.split())
        assert "Body with [bold]x[/bold] and [@click=app.quit]q[/] and clipboard." in words
        assert "[link=https://evil.example]a link[/link]" in words
        assert "\x1b" not in shown and "\x07" not in shown
        assert "[link=http://evil.example]click[/link] summary" in notes_text(pilot)
        await pilot.click("#reader", offset=(5, 1))
        await settle(pilot)
        assert app.is_running
        screenshot = app.export_screenshot()
        assert "\x1b]52" not in screenshot and "aGk=" not in screenshot


async def test_index_is_built_in_the_background_with_progress(make_app: AppFactory) -> None:
    app = make_app()
    activities: set[str] = set()

    def watch(_message: object) -> None:  # what the status line had to say, message by message
        stack = app.screen_stack
        if stack and isinstance(stack[-1], MainScreen):
            activities.add(stack[-1].activity)

    async with started(app, message_hook=watch) as pilot:
        assert "indexing 6/6 articles" in activities
        assert len(listed_ids(pilot)) == 6
        assert "6 articles" in status_text(pilot) and "⟳" not in status_text(pilot)


async def test_changed_content_is_reindexed_at_start(
    make_app: AppFactory, corpus_dir: Path
) -> None:
    async with started(make_app()):
        pass  # a first run indexes the corpus as it was
    write_article(corpus_dir, "fresh.md", HOSTILE.replace("hostile", "fresh"))
    async with started(make_app()) as pilot:
        assert "fresh" in listed_ids(pilot)


async def test_broken_content_file_is_a_notification(
    make_app: AppFactory, corpus_dir: Path
) -> None:
    write_article(corpus_dir, "broken.md", "---\ntitle: no id\nsource: kcna\n---\n\nText.\n")
    async with started(make_app()) as pilot:
        messages = notifications(pilot)
        assert any("broken.md" in m and "missing required field 'id'" in m for m in messages)
        assert len(listed_ids(pilot)) == 6


async def test_every_pane_is_reachable_at_80_by_24(make_app: AppFactory) -> None:
    async with started(make_app(), (80, 24)) as pilot:
        screen = main_screen(pilot)
        for key, pane in [
            ("1", "sources"),
            ("2", "themes"),
            ("3", "articles"),
            ("4", "reader"),
            ("5", "notes"),
        ]:
            await pilot.press(key)
            await settle(pilot, 1)
            widget = screen.query_one(f"#{pane}")
            assert focused_pane(pilot) == pane
            assert widget.region.width >= 70, f"{pane} is {widget.region}"
            assert widget.region.height >= 5
        await pilot.press("3", "enter")
        await settle(pilot)
        reader = screen.query_one("#reader", ArticleView)
        assert reader.region.width >= 70 and focused_pane(pilot) == "reader"
        assert "Provinces left behind as markets wither" in reader.visible_text


async def test_markup_in_a_bad_query_shows_literally(running_app: Pilot[None]) -> None:
    pilot, app = running_app, running_app.app
    await pilot.press("slash", *"date:[/x] [@click=app.quit]q[/]", "enter")
    await settle(pilot)
    assert app.is_running
    assert any("[/x]" in n for n in notifications(pilot))


async def test_palette_finds_articles_whose_titles_hold_markup(
    make_app: AppFactory, corpus_dir: Path
) -> None:
    write_article(
        corpus_dir,
        "boom.md",
        HOSTILE.replace("hostile", "boom").replace(
            'title: "[bold]x', 'title: "[/] housing boom [draft] [bold]x'
        ),
    )
    async with started(make_app()) as pilot:
        await pilot.press("ctrl+p", *"boom")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        reader = main_screen(pilot).query_one("#reader", ArticleView)
        assert reader.article is not None and reader.article.id == "boom"
        assert "[/] housing boom [draft]" in reader.visible_text


async def test_a_saved_filter_for_a_removed_theme_is_dropped(
    make_app: AppFactory, data_paths: DataPaths
) -> None:
    data_paths.root.mkdir(parents=True)
    data_paths.state_file.write_text("theme: gone-theme\nquery: ''\n")
    async with started(make_app()) as pilot:
        assert len(listed_ids(pilot)) == 6
        assert main_screen(pilot).state.filters.theme is None


async def test_a_late_page_never_duplicates_rows(running_app: Pilot[None]) -> None:
    pilot = running_app
    articles = main_screen(pilot).query_one("#articles", ArticleList)
    hits = list(articles.hits)
    articles.show(
        hits[:3], 6, read=frozenset(), sources={}, marks={}, with_snippets=False, append=True
    )
    await settle(pilot)
    assert [hit.id for hit in articles.hits] == [hit.id for hit in hits]
