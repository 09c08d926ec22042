"""Fixtures shared by every test: temporary content and data dirs, never the user's."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from index.paths import DataPaths, bundled_content_dir
from index.workspace import Workspace

from .feed_server import FeedServer

TESTS = Path(__file__).parent
FIXTURE_CORPUS = TESTS / "data" / "corpus"
SHARED = TESTS.parent.parent / "shared"
"""The shared corpora beside the checkout: in CI, not in a bare clone."""
SHARED_SKIP = "needs ../shared/"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked `shared(path, …)` runs only where those files of ../shared exist."""
    for mark in item.iter_markers("shared"):
        for relative in mark.args:
            if not (SHARED / relative).exists():
                pytest.skip(f"{SHARED_SKIP}{relative}, absent beside this checkout")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests a bare clone skipped for want of ../shared (CI runs them)."""
    skipped = terminalreporter.stats.get("skipped", [])
    missing = sum(1 for report in skipped if SHARED_SKIP in str(report.longrepr))
    if missing:
        terminalreporter.write_line(
            f"{missing} shared-corpus tests skipped: ../shared is not beside this checkout "
            "(CI has it and runs them)."
        )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish() -> None:
    """Collect the tests' garbage now and freeze what survives, so a worker exits in time.

    Once every xdist worker has reported, execnet gives each 5 s to exit and then
    sends it SIGINT. A worker's exit is pytest's five garbage collections, over all
    the tests leave alive (Textual's render caches alone are ~100,000 objects): 2 to
    6 s on two busy cores, and the KeyboardInterrupt, landing in Hypothesis's gc
    callback, ended full runs as a PytestUnraisableExceptionWarning. Collected here,
    before the worker reports (after session fixtures are torn down), the garbage's
    finalizers still run and are still reported; frozen, the survivors are not
    walked five times more.
    """
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the real user data dir or the checkout, or depend on the environment.

    The working directory is the test's own, so an export to the default path
    (the current directory) lands there.
    """
    monkeypatch.setenv("BRIEFING_DATA", str(tmp_path / "default-data"))
    monkeypatch.delenv("BRIEFING_CONTENT", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A writable copy of the test corpus (six articles, three sources)."""
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, target)
    return target


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled briefing."""
    target = tmp_path / "bundled"
    shutil.copytree(bundled_content_dir(), target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture
def data_paths(tmp_path: Path) -> DataPaths:
    return DataPaths(tmp_path / "data")


@pytest.fixture
def open_workspace(data_paths: DataPaths) -> Iterator[Callable[[Path], Workspace]]:
    """Open (and index) a workspace over a content dir; closed at the end of the test."""
    opened: list[Workspace] = []

    def factory(content: Path) -> Workspace:
        workspace = Workspace([content], data_paths)
        workspace.sync()
        opened.append(workspace)
        return workspace

    yield factory
    for workspace in opened:
        workspace.close()


@pytest.fixture
def corpus(corpus_dir: Path, open_workspace: Callable[[Path], Workspace]) -> Workspace:
    return open_workspace(corpus_dir)


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A real HTTP server on 127.0.0.1 (tests/feed_server.py), stopped after the test."""
    with FeedServer() as server:
        yield server
