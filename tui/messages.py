"""Messages the widgets post to tell the screen what the user did; the screen acts on them.

Results of background work never travel as messages of their own: they go
straight to the continuation that asked for them (`tui.work.in_thread`).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ArticleChosen(Message):
    """The user asked to open an article."""

    article_id: str


@dataclass
class FilterToggled(Message):
    """A source or theme filter was switched on or off."""

    kind: str
    """"source", "theme", "year" or "place"."""
    value: str


@dataclass
class GradeRequested(Message):
    """The user wants to grade a source."""

    source_id: str


@dataclass
class ThemeEditRequested(Message):
    """The user wants to edit a theme, or (None) to save the query as a new one."""

    theme_id: str | None


@dataclass
class ThemeMembershipToggled(Message):
    """The user wants the open article put in, or taken out of, a theme."""

    theme_id: str
