"""Screens as pictures: the main screen at two sizes, a search, the help screen.

Run `make snapshots` to accept intended changes; the report shows any difference.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from index.paths import DataPaths, bundled_content_dir
from index.workspace import Workspace
from tests.tui.conftest import settle
from tui.app import BriefingApp
from tui.widgets.search_box import SearchBox


@pytest.fixture
def bundled_app(tmp_path: Path):
    workspace = Workspace([bundled_content_dir()], DataPaths(tmp_path / "data"))
    yield BriefingApp(workspace)
    workspace.close()


async def ready(pilot: Pilot[None]) -> None:
    await settle(pilot)
    pilot.app.screen.query_one(SearchBox).cursor_blink = False
    await settle(pilot, 1)


def test_main_screen_wide(snap_compare, bundled_app: BriefingApp) -> None:
    assert snap_compare(bundled_app, terminal_size=(120, 40), run_before=ready)


def test_main_screen_narrow(snap_compare, bundled_app: BriefingApp) -> None:
    assert snap_compare(bundled_app, terminal_size=(80, 24), run_before=ready)


def test_search_with_highlighted_results(snap_compare, bundled_app: BriefingApp) -> None:
    async def search(pilot: Pilot[None]) -> None:
        await ready(pilot)
        await pilot.press("slash", *"Pyongyang", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n")
        await ready(pilot)

    assert snap_compare(bundled_app, terminal_size=(120, 40), run_before=search)


def test_help_screen(snap_compare, bundled_app: BriefingApp) -> None:
    async def help_screen(pilot: Pilot[None]) -> None:
        await ready(pilot)
        await pilot.press("question_mark")
        await settle(pilot, 1)

    assert snap_compare(bundled_app, terminal_size=(120, 40), run_before=help_screen)
