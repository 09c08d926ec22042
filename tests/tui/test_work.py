"""Background work goes back to whoever asked: result or failure on one path; superseded work
is dropped."""

from __future__ import annotations

import threading

from textual.app import App, ComposeResult
from textual.widgets import Static

from index import QueryError
from tui.work import BackgroundWork, Failed, cancelled


class Worked(Static, BackgroundWork):
    """A widget that runs work and records what came back to it."""

    def __init__(self) -> None:
        super().__init__()
        self.outcomes: list[object] = []


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Worked()


async def test_the_result_and_a_failure_reach_the_continuation() -> None:
    app = Host()
    async with app.run_test() as pilot:
        worked = app.query_one(Worked)

        def bad_query() -> str:
            raise QueryError("cannot understand 'NOT NOT a'")

        def bug() -> str:
            raise KeyError("nobody foresaw this")

        worked.in_thread("a", lambda: 42, worked.outcomes.append)
        worked.in_thread("b", bad_query, worked.outcomes.append)
        worked.in_thread("c", bug, worked.outcomes.append)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert 42 in worked.outcomes
        assert Failed("cannot understand 'NOT NOT a'") in worked.outcomes
        unexpected = [o for o in worked.outcomes if isinstance(o, Failed) and o.unexpected]
        assert len(unexpected) == 1 and "nobody foresaw this" in unexpected[0].message


async def test_newer_work_in_a_group_cancels_the_older_whose_result_is_dropped() -> None:
    app = Host()
    async with app.run_test() as pilot:
        worked = app.query_one(Worked)
        started, release = threading.Event(), threading.Event()
        saw_cancel: list[bool] = []

        def slow() -> str:
            started.set()
            release.wait(5)
            saw_cancel.append(cancelled())  # what a loop would check between steps
            return "old"

        worked.in_thread("search", slow, worked.outcomes.append)
        for _ in range(200):  # the worker starts from the event loop: let it run
            if started.is_set():
                break
            await pilot.pause(0.01)
        assert started.is_set()
        worked.in_thread("search", lambda: "new", worked.outcomes.append)
        release.set()
        for _ in range(200):
            if saw_cancel and worked.outcomes:
                break
            await pilot.pause(0.01)
        await pilot.pause(0.05)  # time for the old worker's result, were it delivered
        assert worked.outcomes == ["new"] and saw_cancel == [True]
