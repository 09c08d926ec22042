"""What a fetch did: each feed's outcome, the articles it brought, progress as it goes.

The command line prints these (and their `--json`), the app notifies them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..importing.library import ImportReport
from .subscriptions import Feed


@dataclass
class FeedOutcome:
    """What one feed's fetch did."""

    feed: Feed
    status: str
    """"new", "not modified", "nothing new", "failed" or "waiting"."""
    new: list[str] = field(default_factory=list)
    error: str = ""
    notices: list[str] = field(default_factory=list)
    moved_to: str | None = None
    """Where the feed moved for good on its own host (feeds.yaml follows it)."""
    proposed_move: str | None = None
    """Another host the server moved it to: followed only once the user accepts."""
    waits_until: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "feed": self.feed.id,
            "url": self.feed.url,
            "status": self.status,
            "new": len(self.new),
            "ids": self.new,
            "error": self.error,
            "notices": self.notices,
            "moved_to": self.moved_to,
            "proposed_move": self.proposed_move,
            "waits_until": _iso(self.waits_until),
        }


@dataclass
class FetchReport:
    feeds: list[FeedOutcome] = field(default_factory=list)
    imports: ImportReport = field(default_factory=ImportReport)
    problems: list[str] = field(default_factory=list)
    """Lines about feeds.yaml entries that cannot be used, or the state file."""

    @property
    def new(self) -> list[str]:
        return self.imports.imported

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.feeds if outcome.status == status)

    def to_json(self) -> dict[str, Any]:
        return {
            "new": len(self.new),
            "feeds": [f.to_json() for f in self.feeds],
            "problems": self.problems,
            "import": self.imports.to_json(),
        }


@dataclass(frozen=True)
class FetchStatus:
    done: int
    total: int
    new: int
    feed: str
    """The title (or id) of the feed last finished."""


FetchProgress = Callable[[FetchStatus], None]


def _iso(when: float) -> str | None:
    if not when:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))
