"""Curating from the reading room: grading sources, defining themes, filing articles.

`CurationFlow` is held by the main screen, which forwards the curation
messages to it. It opens the dialogs, has the workspace write the change to
the library's YAML in a worker (never on the event loop: the write takes a
lock, a theme change re-indexes), and on `CurationSaved` refreshes what the
change touches: theme marks, the panes, the open article and the results.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.message import Message
from textual.screen import Screen

from index import BriefingError

from ..dialogs.curation import GradeDialog, GradeDraft, ThemeDialog, ThemeDraft
from ..marks import theme_marks
from ..messages import CurationSaved
from .host import Host


class CurationFlow:
    """The curating actions of the Sources and Themes panes and the palette."""

    def __init__(self, host: Host, screen: Screen[None]) -> None:
        self.host = host
        self.screen = screen

    def grade(self, source_id: str) -> None:
        """Ask for a source's grade and why; save it to the library's sources.yaml."""
        if not self._writable():
            return
        workspace = self.host.workspace
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
        workspace = self.host.workspace
        theme = workspace.themes.get(theme_id or "")
        if theme_id is not None and theme is None:
            self.host.tell(f"No theme {theme_id!r}.", severity="error")
            return
        if theme is None:
            query = self.host.state.query.strip()
            dialog = ThemeDialog("New theme from the query", "", query, "")
        else:
            dialog = ThemeDialog(f"Edit theme {theme.id}", theme.name, theme.query,
                                 theme.description)  # fmt: skip

        def chosen(draft: object) -> None:
            if not isinstance(draft, ThemeDraft):
                return
            again = ThemeDialog(dialog.TITLE_TEXT, draft.name, draft.query, draft.description)
            reopen = partial(self.screen.app.push_screen, again, chosen)
            if not draft.name or not draft.query:
                self.host.tell("A theme needs a name and a query.", severity="error")
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
        article = self.host.open_article
        if article is None:
            self.host.tell("Open an article first (Enter in Articles).", severity="warning")
            return
        if not self._writable():
            return
        workspace = self.host.workspace
        theme = workspace.themes.get(theme_id)
        if theme is None:
            return

        def change() -> str:
            member = theme_id not in workspace.themes_of(article.id)
            workspace.set_article_theme(article.id, theme_id, member)
            way = "put in" if member else "taken out of"
            return f"“{article.title}” {way} the theme {theme.name}."

        self._save(change)

    def saved(self, message: CurationSaved) -> None:
        host = self.host
        if message.failed:
            more = " What you typed is back in the dialog." if message.reopen else ""
            host.tell(message.message + more, severity="error")
            if message.reopen is not None:
                message.reopen()
            return
        host.tell(message.message, timeout=3)
        host.marks.clear()
        host.marks.update(theme_marks(host.workspace.themes))
        if host.state.theme and host.state.theme not in host.workspace.themes:
            host.toggle_filter("theme", host.state.theme)
        else:
            host.run_search()
        if host.open_article is not None:
            host.open_article_by_id(host.open_article.id, quiet=True)

    def _save(self, change: Callable[[], str], reopen: Callable[[], object] | None = None) -> None:
        """Make the change in a worker; if it fails, `reopen` gives the user their text back."""

        def work() -> Message:
            try:
                return CurationSaved(change())
            except (BriefingError, OSError) as error:
                return CurationSaved(f"Not saved: {error}.", failed=True, reopen=reopen)

        self.host.in_thread("curation", work, False)

    def _writable(self) -> bool:
        read_only = self.host.workspace.read_only
        if read_only:
            self.host.tell(f"Read-only session: {read_only}.", severity="error")
        return not read_only
