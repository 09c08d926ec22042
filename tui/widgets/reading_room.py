"""The panes, declared once, in their columns, and which of them a narrow terminal shows.

`PANES` is the one place a pane is declared: its id, title, number key,
column, the group a narrow terminal shows it with, and its widget. The
layout, the border titles, the number keys (`pane_bindings`), the help
screen and the command palette are all made from it, so a new pane is one
line here (and its styles in `app.tcss`).

Wide terminals show every pane. Below NARROW_BELOW columns only the group
holding the focus is shown (Sources, Themes and Years · places together,
Articles, Reader or Notes), full width; moving the focus to another pane
brings its group up.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget

from .article_list import ArticleList
from .facets import SourcesPane, ThemesPane, WhenWherePane
from .notes import NotesPane
from .reader import ArticleView

NARROW_BELOW = 120


@dataclass(frozen=True)
class Pane:
    """One pane of the reading room."""

    id: str
    title: str
    key: str
    """The number key that focuses it (anywhere in the reading room)."""
    column: str
    """"sidebar", "articles" or "right": where it sits, left to right."""
    group: str
    """The panes a narrow terminal shows together (the CSS class `-show-<group>`)."""
    widget: type[Widget]


PANES: tuple[Pane, ...] = (
    Pane("sources", "Sources", "1", "sidebar", "sidebar", SourcesPane),
    Pane("themes", "Themes", "2", "sidebar", "sidebar", ThemesPane),
    Pane("when", "Years · places", "6", "sidebar", "sidebar", WhenWherePane),
    Pane("articles", "Articles", "3", "articles", "articles", ArticleList),
    Pane("reader", "Reader", "4", "right", "reader", ArticleView),
    Pane("notes", "Notes", "5", "right", "notes", NotesPane),
)
"""In layout order, which is also the order Tab moves the focus in."""
BY_ID = {pane.id: pane for pane in PANES}
COLUMNS = ("sidebar", "articles", "right")
GROUPS = tuple(dict.fromkeys(pane.group for pane in PANES))


def by_key() -> list[Pane]:
    """The panes in the order of their number keys (help, palette, footer)."""
    return sorted(PANES, key=lambda pane: pane.key)


def pane_bindings() -> list[Binding]:
    """A number key for each pane; the footer shows the first as the whole range."""
    ordered = by_key()
    span = f"{ordered[0].key}-{ordered[-1].key}"
    return [
        Binding(
            pane.key,
            f"focus_pane('{pane.id}')",
            "Panes" if n == 0 else pane.title,
            show=n == 0,
            key_display=span if n == 0 else None,
            id=f"pane.{pane.id}",
        )
        for n, pane in enumerate(ordered)
    ]


class ReadingRoom(Horizontal):
    """The columns of `PANES`: a column with one pane is the pane itself."""

    def compose(self) -> ComposeResult:
        for column in COLUMNS:
            panes = [pane for pane in PANES if pane.column == column]
            if len(panes) == 1:
                yield panes[0].widget(id=panes[0].id, classes="pane")
                continue
            with Vertical(id=column):
                for pane in panes:
                    yield pane.widget(id=pane.id, classes="pane")

    def on_mount(self) -> None:
        for pane in PANES:
            self.query_one(f"#{pane.id}").border_title = f"{pane.key} {pane.title}"
        self.show_group("articles")

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < NARROW_BELOW, "-narrow")

    def show_group(self, group: str) -> None:
        for name in GROUPS:
            self.set_class(name == group, f"-show-{name}")

    def focus_pane(self, pane: str) -> None:
        """Bring the pane's group up (narrow terminals) and focus the pane (or its first field).

        A pane already on screen takes the focus at once, so keys typed ahead
        (`/word` Enter `j`) reach it; a hidden group is shown first.
        """
        self.show_group(BY_ID[pane].group)
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
            if widget.id in BY_ID:
                return widget.id
            widget = widget.parent if isinstance(widget.parent, Widget) else None
        return None

    def on_descendant_focus(self) -> None:
        pane = self.pane_of(self.screen.focused)
        if pane is not None:
            self.show_group(BY_ID[pane].group)
