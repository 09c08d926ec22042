"""What the reading room's flows (searching, annotating, indexing) need of its screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual.message import Message
from textual.notifications import SeverityLevel

from index import ReadingState, Workspace
from index.models import Article

if TYPE_CHECKING:
    from .searching import SearchFlow


class Host(Protocol):
    """The main screen as its flows see it."""

    workspace: Workspace
    open_article: Article | None
    state: ReadingState
    index_ready: bool
    activity: str
    error: str
    marks: dict[str, Text]
    """Each theme's coloured mark, for list rows."""
    search: SearchFlow

    def tell(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
             timeout: float | None = None) -> None: ...  # fmt: skip

    def in_thread(self, group: str, work: Callable[[], Message | None], exclusive: bool) -> None:
        """Run `work` in a thread worker of `group` and post the message it returns."""

    def post_message(self, message: Message) -> bool: ...

    def refresh_status(self) -> None: ...

    def run_search(self) -> None: ...

    def toggle_filter(self, kind: str, value: str) -> None: ...

    def open_article_by_id(self, article_id: str, quiet: bool = False) -> None: ...

    def action_focus_pane(self, pane: str) -> None: ...

    def new_articles(self) -> dict[str, str]:
        """Articles fetched lately and not yet read (id → source)."""

    def sync_index(self) -> None:
        """Bring the index up to date in the background; the search runs again after."""

    def results_shown(self) -> None:
        """Called after each first page of results is on screen."""
