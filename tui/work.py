"""Background work with its continuation: a result goes back to whoever asked for it.

A flow starts blocking work with `in_thread(group, work, then)`: `work` runs
in a thread worker, and `then` receives, on the event loop, what it returned
or a `Failed` — success and failure on one path, so nothing is forwarded by
the screen and no message class exists only to carry a result home. Work
started in a group cancels that group's older work (a newer search replaces
the one running): a cancelled worker's result is dropped, and work that
loops asks `cancelled()` between steps to stop early.

The result travels as one `Done` message posted to the node that started the
work, rather than by `App.call_from_thread`: a message waits in the node's
queue like the keys' own, so the key ordering of `tui.key_order` (which
waits for queues to empty) sees it, and the worker thread never blocks on
the event loop.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from textual.message import Message
from textual.widget import Widget
from textual.worker import NoActiveWorker, Worker, get_current_worker

from index import BriefingError

T = TypeVar("T")


@dataclass(frozen=True)
class Failed:
    """Work that could not be done, said in one line a person can read."""

    message: str
    unexpected: bool = False
    """A bug rather than a problem with the user's files or the network."""


class Done(Message):
    """A worker's outcome on its way to its continuation (posted by `in_thread` only)."""

    def __init__(self, deliver: Callable[[], object]) -> None:
        super().__init__()
        self.deliver = deliver


def cancelled() -> bool:
    """In a worker's thread: whether newer work has replaced this one (loops stop early)."""
    try:
        return get_current_worker().is_cancelled
    except NoActiveWorker:
        return False


class BackgroundWork(Widget):
    """A widget or screen that runs blocking work in threads and takes the results back."""

    def in_thread(
        self,
        group: str,
        work: Callable[[], T],
        then: Callable[[T | Failed], object],
        exclusive: bool = True,
    ) -> Worker[None]:
        """Run `work` in a thread worker of `group`; `then` gets its outcome on the event loop.

        `exclusive` cancels the group's older work first. `BriefingError` and
        `OSError` become a `Failed` with their message; any other exception is
        a bug, logged with its traceback and delivered as an unexpected
        `Failed`, never a crash.
        """

        def run() -> None:
            worker = get_current_worker()
            outcome: T | Failed
            try:
                outcome = work()
            except BriefingError as error:
                outcome = Failed(error.advice)
            except OSError as error:
                outcome = Failed(str(error))
            except Exception as error:
                self.log.error(traceback.format_exc())
                reason = " ".join(str(error).split()) or "the work stopped unexpectedly"
                outcome = Failed(
                    f"Something went wrong: {reason} (details in the log)", unexpected=True
                )
            if not worker.is_cancelled:
                self.post_message(Done(partial(_deliver, worker, then, outcome)))

        return self.run_worker(
            run, thread=True, group=group, exclusive=exclusive, exit_on_error=False
        )

    def on_loop(self, callback: Callable[[T], object]) -> Callable[[T], None]:
        """A callable for a worker's thread that runs `callback(value)` on the event loop
        (progress reports: indexing 3/6, fetching feed 2 of 12)."""

        def post(value: T) -> None:
            self.post_message(Done(partial(callback, value)))

        return post

    def on_done(self, message: Done) -> None:
        message.deliver()


def _deliver(
    worker: Worker[None], then: Callable[[T | Failed], object], outcome: T | Failed
) -> None:
    """Hand the outcome over unless newer work replaced this worker while it travelled."""
    if not worker.is_cancelled:
        then(outcome)
