"""Output shared by the commands: progress while indexing, problems, plurals."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from index import SyncReport, Workspace
from index.models import FIRST_YEAR, LAST_YEAR, Problem, supported_date

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130
"""What a shell expects of a program stopped by Ctrl+C (128 + SIGINT)."""


def ensure_index(workspace: Workspace, err: Console) -> None:
    """Bring the index up to date before answering, with a progress bar when it is slow."""
    if workspace.needs_update():
        sync_with_progress(workspace, err)
    print_problems(workspace.problems(), err)


def sync_with_progress(
    workspace: Workspace, err: Console, rebuild: bool = False, always: bool = False
) -> SyncReport:
    progress = Progress(
        TextColumn("Indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=not always,
        disable=not err.is_terminal,
    )
    with progress:
        task = progress.add_task("index", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return workspace.sync(rebuild=rebuild, progress=advance)


def plural(count: int, noun: str = "article") -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def print_problems(problems: Sequence[Problem], err: Console) -> None:
    for problem in problems:
        err.print(Text(f"warning: {problem}", style="yellow"), soft_wrap=True)


def bounded(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`, else a one-line refusal."""

    def number(value: str) -> int:
        try:
            found = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if not low <= found <= high:
            raise argparse.ArgumentTypeError(f"must be from {low:,} to {high:,}")
        return found

    return number


def day(value: str) -> dt.date:
    """An argparse type: an ISO date in the years briefing supports."""
    try:
        found = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2024-03-01") from None
    if supported_date(found) is None:
        raise argparse.ArgumentTypeError(f"{value} is outside {FIRST_YEAR}–{LAST_YEAR}")
    return found
