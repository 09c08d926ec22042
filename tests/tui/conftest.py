"""Driving the app in tests: a factory over temp content and data, and ways to wait."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from weakref import WeakKeyDictionary

import pytest
from rich.text import Text
from textual.app import App
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.pilot import Pilot

from index.paths import DataPaths
from index.workspace import Workspace
from tui.app import BriefingApp
from tui.screens.main import MainScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.notes import NotesList
from tui.widgets.reader import ArticleView

AppFactory = Callable[..., BriefingApp]

SIZE = (120, 40)
"""The terminal Pilot tests run in unless they are about another size."""

_notified: WeakKeyDictionary[App[None], list[Notification]] = WeakKeyDictionary()
"""Every notification each app started by `started` has posted, oldest first."""


@pytest.fixture
def make_app(corpus_dir: Path, data_paths: DataPaths) -> Iterator[AppFactory]:
    """Build an app over the fixture corpus (or `content`) with a temp data dir.

    As with `Workspace.open`, the data dir's library is read beside the content.
    """
    workspaces: list[Workspace] = []

    def factory(content: Path | None = None, data: DataPaths | None = None) -> BriefingApp:
        data = data or data_paths
        workspace = Workspace([content or corpus_dir, data.library_dir], data)
        workspaces.append(workspace)
        return BriefingApp(workspace)

    yield factory
    for workspace in workspaces:
        workspace.close()


@asynccontextmanager
async def started(
    app: App[None],
    size: tuple[int, int] = SIZE,
    message_hook: Callable[[Message], None] | None = None,
) -> AsyncIterator[Pilot[None]]:
    """Run `app` headless at `size`, settled, as its Pilot; its notifications are recorded.

    `message_hook` also sees every message, as with `App.run_test`.
    """
    posted: list[Notification] = []

    def record(message: Message) -> None:
        if isinstance(message, Notify):
            posted.append(message.notification)
        if message_hook is not None:
            message_hook(message)

    async with app.run_test(size=size, message_hook=record) as pilot:
        _notified[app] = posted
        await settle(pilot)
        yield pilot


@pytest.fixture
async def running_app(make_app: AppFactory) -> AsyncIterator[Pilot[None]]:
    """The app over the fixture corpus at 120×40, started and settled, as its Pilot."""
    async with started(make_app()) as pilot:
        yield pilot


async def search_and_open(pilot: Pilot[None], query: str, article_id: str) -> None:
    """Type `query` in the search box, wait for `article_id` in the results and open it."""
    await pilot.press("slash", *query, "enter")
    await wait_until(pilot, lambda: article_id in listed_ids(pilot))
    index = listed_ids(pilot).index(article_id)
    main_screen(pilot).query_one(ArticleList).highlighted = index
    await pilot.press("enter")
    await wait_until(pilot, lambda: _open_id(pilot) == article_id)
    await settle(pilot)


def _open_id(pilot: Pilot[None]) -> str | None:
    article = main_screen(pilot).open_article
    return article.id if article else None


def notifications(pilot: Pilot[None]) -> list[str]:
    """The messages of every notification the app has posted since it started, oldest first.

    Recorded as `Notify` messages, so one stays found after its toast times out or
    while a dialog covers the screen it was shown on.
    """
    assert pilot.app in _notified, "start the app with `started` to record its notifications"
    return [notification.message for notification in _notified[pilot.app]]


async def settle(pilot: Pilot[None], rounds: int = 3) -> None:
    """Let timers fire and workers finish, so the screen shows their results.

    Workers start others (results → index check → fresh results), so this goes
    on until no worker has run for two rounds in a row (at least `rounds`).
    """
    quiet = 0
    for attempt in range(40):
        await pilot.pause()
        busy = any(not worker.is_finished for worker in pilot.app.workers)
        await pilot.app.workers.wait_for_complete()
        quiet = 0 if busy else quiet + 1
        if attempt + 1 >= rounds and quiet >= 2:
            break
    await pilot.pause()


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], tries: int = 60) -> None:
    """Pause until `condition()` holds (debounced searches run on a short timer)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
        await pilot.app.workers.wait_for_complete()
    assert condition(), "condition never became true"


def main_screen(pilot: Pilot[None]) -> MainScreen:
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    return screen


def listed_ids(pilot: Pilot[None]) -> list[str]:
    return [hit.id for hit in main_screen(pilot).query_one("#articles", ArticleList).hits]


def article_row(pilot: Pilot[None], index: int) -> Text:
    """The rich text of one row of the Articles pane."""
    articles = main_screen(pilot).query_one("#articles", ArticleList)
    prompt = articles.get_option_at_index(index).prompt
    assert isinstance(prompt, Text)
    return prompt


def reader_text(pilot: Pilot[None]) -> str:
    """The Reader's lines on screen (after opening: the header first), words one space apart."""
    return " ".join(main_screen(pilot).query_one(ArticleView).visible_text.split())


def notes_text(pilot: Pilot[None]) -> str:
    """Everything the Notes pane lists, as plain text."""
    notes = main_screen(pilot).query_one("#notes-list", NotesList)
    return "\n".join(
        option.prompt.plain if isinstance(option.prompt, Text) else str(option.prompt)
        for option in notes.options
    )


def focused_pane(pilot: Pilot[None]) -> str | None:
    """The pane holding the focus (the search box counts as "search")."""
    focused = pilot.app.focused
    if focused is not None and focused.id == "search":
        return "search"
    return main_screen(pilot).room.pane_of(focused)


def status_text(pilot: Pilot[None]) -> str:
    return str(main_screen(pilot).query_one("#status").render())


def focused_id(pilot: Pilot[None]) -> str | None:
    return pilot.app.focused.id if pilot.app.focused else None
