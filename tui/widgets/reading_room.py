"""The five panes in their columns, and which of them a narrow terminal shows.

Wide terminals show every pane. Below NARROW_BELOW columns only the group
holding the focus is shown (Sources, Themes and Years · places together,
Articles, Reader or Notes), full width; moving the focus to another pane brings its group up.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget

from .article_list import ArticleList
from .facets import SourcesPane, ThemesPane, WhenWherePane
from .notes import NotesPane
from .reader import ArticleView

NARROW_BELOW = 120
PANES = ("sources", "themes", "when", "articles", "reader", "notes")
GROUPS = {"sources": "sidebar", "themes": "sidebar", "when": "sidebar", "articles": "articles",
          "reader": "reader", "notes": "notes"}  # fmt: skip
TITLES = {"sources": "1 Sources", "themes": "2 Themes", "articles": "3 Articles",
          "reader": "4 Reader", "notes": "5 Notes", "when": "6 Years · places"}  # fmt: skip


class ReadingRoom(Horizontal):
    """Sidebar (Sources, Themes, Years · places), Articles, and the right column (Reader, Notes)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="sidebar"):
            yield SourcesPane(id="sources", classes="pane")
            yield ThemesPane(id="themes", classes="pane")
            yield WhenWherePane(id="when", classes="pane")
        yield ArticleList(id="articles", classes="pane")
        with Vertical(id="right"):
            yield ArticleView(id="reader", classes="pane")
            yield NotesPane(id="notes", classes="pane")

    def on_mount(self) -> None:
        for pane, title in TITLES.items():
            self.query_one(f"#{pane}").border_title = title
        self.show_group("articles")

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < NARROW_BELOW, "-narrow")

    def show_group(self, group: str) -> None:
        for name in ("sidebar", "articles", "reader", "notes"):
            self.set_class(name == group, f"-show-{name}")

    def focus_pane(self, pane: str) -> None:
        """Bring the pane's group up (narrow terminals) and focus the pane (or its first field).

        A pane already on screen takes the focus at once, so keys typed ahead
        (`/word` Enter `j`) reach it; a hidden group is shown first.
        """
        self.show_group(GROUPS[pane])
        if not self._focus_within(pane):
            self.call_after_refresh(self._focus_within, pane)

    def _focus_within(self, pane: str) -> bool:
        """Focus the pane now if it can be; False when it is not displayed yet."""
        widget = self.query_one(f"#{pane}")
        if not widget.can_focus:
            widget = next((w for w in widget.query("*") if w.focusable and w.display), widget)
        if not (widget.focusable and widget.display and widget.parent and widget.parent.display):
            return False
        self.screen.set_focus(widget)
        return True

    def pane_of(self, widget: Widget | None) -> str | None:
        """The pane that holds `widget`, if any."""
        while widget is not None:
            if widget.id in PANES:
                return widget.id
            widget = widget.parent if isinstance(widget.parent, Widget) else None
        return None

    def on_descendant_focus(self) -> None:
        pane = self.pane_of(self.screen.focused)
        if pane is not None:
            self.show_group(GROUPS[pane])
