"""Fetching from the app: in the background, nothing moves, new articles are marked new."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from index.feeds.subscriptions import Feed
from index.paths import DataPaths
from index.workspace import Workspace
from tests.feed_server import FeedServer, Reply, articles, fixed, rss
from tui.widgets.article_list import ArticleList
from tui.widgets.facets import SourcesPane
from tui.widgets.reader import ArticleView

from .conftest import (
    AppFactory,
    article_row,
    listed_ids,
    main_screen,
    notifications,
    search_and_open,
    settle,
    started,
    status_text,
    wait_until,
)


def follow(data_paths: DataPaths, corpus_dir: Path, url: str, source: str = "test-news") -> None:
    """Follow `url` (full text off: the feed carries the whole text)."""
    workspace = Workspace([corpus_dir, data_paths.library_dir], data_paths)
    try:
        workspace.following().subscriptions.add(Feed(source, url, source, "Test News", False))
    finally:
        workspace.close()


def plain(renderable: object) -> str:
    console = Console(width=60, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


@pytest.mark.slow  # over 3 s: left to make test
async def test_fetching_while_reading_moves_nothing_and_marks_what_is_new(
    make_app: AppFactory, feed_server: FeedServer, data_paths: DataPaths, corpus_dir: Path
) -> None:
    feed_server.routes["/rss.xml"] = fixed(Reply(200, rss(feed_server, articles(), full=True)))
    follow(data_paths, corpus_dir, feed_server.url("/rss.xml"))
    async with started(make_app()) as pilot:
        await search_and_open(pilot, "", "pyongyang-housing")
        screen = main_screen(pilot)
        reader = screen.query_one(ArticleView)
        reader.scroll_to(y=3, animate=False)
        await pilot.pause()
        listing = screen.query_one(ArticleList)
        highlighted = listing.highlighted_id
        scroll = reader.scroll_y
        await pilot.press("f")
        await wait_until(
            pilot,
            lambda: (
                "fetching" in status_text(pilot)
                or any("new article" in n for n in notifications(pilot))
            ),
        )
        await wait_until(pilot, lambda: len(listed_ids(pilot)) == 9, tries=200)
        await settle(pilot)
        assert any(n.startswith("3 new articles from 1 feed") for n in notifications(pilot))
        assert screen.open_article is not None and screen.open_article.id == "pyongyang-housing"
        assert reader.scroll_y == scroll and listing.highlighted_id == highlighted
        new_rows = [
            article_row(pilot, i).plain
            for i, article_id in enumerate(listed_ids(pilot))
            if article_id.startswith("test-news")
        ]
        assert len(new_rows) == 3 and all(" · new" in row for row in new_rows)
        sources = screen.query_one(SourcesPane)
        row = next(o for o in sources.options if o.id == "test-news")
        assert "+3 ?" in plain(row.prompt)  # three new, of an unrated source
        await pilot.press("3", "home", "enter")  # reading one: one fewer new
        await wait_until(
            pilot,
            lambda: "+2 ?" in plain(next(o for o in sources.options if o.id == "test-news").prompt),
        )


async def test_a_failing_feed_is_listed_not_thrown(
    make_app: AppFactory, feed_server: FeedServer, data_paths: DataPaths, corpus_dir: Path
) -> None:
    feed_server.routes["/rss.xml"] = fixed(Reply(500, b"oops"))
    follow(data_paths, corpus_dir, feed_server.url("/rss.xml"))
    async with started(make_app()) as pilot:
        await pilot.press("f")
        await wait_until(
            pilot, lambda: any("HTTP 500" in n for n in notifications(pilot)), tries=200
        )
        assert any(
            n.startswith("0 new articles from 1 feed · 1 failed") for n in notifications(pilot)
        )
        assert "test-news: HTTP 500" in "\n".join(notifications(pilot))


@pytest.mark.slow
async def test_escape_stops_a_fetch_within_a_second_keeping_what_came(
    make_app: AppFactory, data_paths: DataPaths, corpus_dir: Path
) -> None:
    """A feed whose item page drips forever: Esc ends the fetch at once, the rest intact."""
    import time

    from tests.hostile_server import HostileServer, answer, drip

    server = HostileServer()
    items = "".join(
        f"<item><title>Slow {n}</title><link>{server.url(f'/p{n}')}</link>"
        f"<description>A summary.</description></item>"
        for n in range(3)
    )
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>D</title>{items}</channel></rss>'
    )
    server.handlers["/feed"] = answer(
        "200 OK", {"Content-Type": "application/rss+xml"}, feed.encode()
    )
    for n in range(3):
        server.handlers[f"/p{n}"] = drip(b"HTTP/1.1 200 OK\r\n", every=0.5)
    workspace = Workspace([corpus_dir, data_paths.library_dir], data_paths)
    workspace.following().subscriptions.add(Feed("drip", server.url("/feed"), None, "D", True))
    workspace.close()
    try:
        async with started(make_app()) as pilot:
            screen = main_screen(pilot)
            await pilot.press("f")
            begun = time.monotonic()
            while server.hits.count("/p0") < 1 and time.monotonic() - begun < 10:
                await pilot.pause(0.02)  # not wait_until: it waits for the workers to end
            asked = time.monotonic()
            await pilot.press("escape")
            while screen.fetching.running and time.monotonic() - asked < 10:
                await pilot.pause(0.02)
            seconds = time.monotonic() - asked
            assert seconds < 1.5, seconds
            assert any("Stopping the fetch" in n for n in notifications(pilot)), notifications(
                pilot
            )
            assert "⟳" not in status_text(pilot)
    finally:
        server.close()
