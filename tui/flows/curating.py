"""Curating from the reading room: grading sources, defining themes, filing articles.

`CurationFlow` opens the dialogs, has the workspace write the change to the
library's YAML in a worker (never on the event loop: the write takes a lock,
a theme change re-indexes), and when it is saved refreshes what the change
touches: theme marks, the panes, the open article and the results; when it
is not, the dialog opens again with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from ..dialogs.curation import GradeDialog, GradeDraft, ThemeDialog, ThemeDraft
from ..marks import theme_marks
from ..work import Failed

if TYPE_CHECKING:
    from ..screens.main import MainScreen


class CurationFlow:
    """The curating actions of the Sources and Themes panes and the palette."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def grade(self, source_id: str) -> None:
        """Ask for a source's grade and why; save it to the library's sources.yaml."""
        if not self._writable():
            return
        workspace = self.screen.workspace
        source = workspace.source(source_id)

        def chosen(draft: object) -> None:
            if isinstance(draft, GradeDraft):

                def change() -> str:
                    saved = workspace.grade_source(source.id, draft.grade, draft.rationale)
                    return f"{saved.name} graded {saved.grade}."

                again = GradeDialog(source.name, draft.grade, draft.rationale)
                self._save(change, partial(self.screen.app.push_screen, again, chosen))

        dialog = GradeDialog(source.name, source.grade, source.rationale)
        self.screen.app.push_screen(dialog, chosen)

    def edit_theme(self, theme_id: str | None) -> None:
        """Edit a theme's name and query; without an id, save the current query as a new one."""
        if not self._writable():
            return
        workspace = self.screen.workspace
        theme = workspace.themes.get(theme_id or "")
        if theme_id is not None and theme is None:
            self.screen.tell(f"No theme {theme_id!r}.", severity="error")
            return
        if theme is None:
            query = self.screen.state.filters.query.strip()
            dialog = ThemeDialog("New theme from the query", "", query, "")
        else:
            dialog = ThemeDialog(
                f"Edit theme {theme.id}", theme.name, theme.query, theme.description
            )

        def chosen(draft: object) -> None:
            if not isinstance(draft, ThemeDraft):
                return
            again = ThemeDialog(dialog.TITLE_TEXT, draft.name, draft.query, draft.description)
            reopen = partial(self.screen.app.push_screen, again, chosen)
            if not draft.name or not draft.query:
                self.screen.tell("A theme needs a name and a query.", severity="error")
                reopen()
                return

            def change() -> str:
                saved = workspace.save_theme(
                    theme.id if theme else None, draft.name, draft.query, draft.description
                )
                return f"Theme “{saved.name}” saved ({saved.id})."

            self._save(change, reopen)

        self.screen.app.push_screen(dialog, chosen)

    def toggle_member(self, theme_id: str) -> None:
        """Put the open article in the theme, or take it out (by hand: it stays so)."""
        article = self.screen.open_article
        if article is None:
            self.screen.tell("Open an article first (Enter in Articles).", severity="warning")
            return
        if not self._writable():
            return
        workspace = self.screen.workspace
        theme = workspace.themes.get(theme_id)
        if theme is None:
            return

        def change() -> str:
            member = theme_id not in workspace.themes_of(article.id)
            workspace.set_article_theme(article.id, theme_id, member)
            way = "put in" if member else "taken out of"
            return f"“{article.title}” {way} the theme {theme.name}."

        self._save(change)

    def _saved(self, reopen: Callable[[], object] | None, outcome: str | Failed) -> None:
        screen = self.screen
        if isinstance(outcome, Failed):
            more = " What you typed is back in the dialog." if reopen else ""
            screen.tell(f"Not saved: {outcome.message}.{more}", severity="error")
            if reopen is not None:
                reopen()
            return
        screen.tell(outcome, timeout=3)
        screen.marks.clear()
        screen.marks.update(theme_marks(screen.workspace.themes))
        theme = screen.state.filters.theme
        if theme and theme not in screen.workspace.themes:
            screen.toggle_filter("theme", theme)
        else:
            screen.search.run()
        if screen.open_article is not None:
            screen.opener.open(screen.open_article.id, quiet=True)

    def _save(self, change: Callable[[], str], reopen: Callable[[], object] | None = None) -> None:
        """Make the change in a worker; if it fails, `reopen` gives the user their text back."""
        self.screen.in_thread("curation", change, partial(self._saved, reopen), exclusive=False)

    def _writable(self) -> bool:
        read_only = self.screen.workspace.read_only
        if read_only:
            self.screen.tell(f"Read-only session: {read_only}.", severity="error")
        return not read_only
