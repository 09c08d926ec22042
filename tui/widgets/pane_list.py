"""An OptionList that moves like the rest of the app: j/k, g/G as well as the arrows."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


class PaneList(OptionList):
    """Base for the Sources, Themes and Articles panes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g,home", "first", "First", show=False, id="list.first"),
        Binding("G,end", "last", "Last", show=False, id="list.last"),
    ]

    def restore_highlight(self, option_id: str | None, fallback: int | None = 0) -> None:
        """Highlight the option with `option_id` if it is still listed, else `fallback`."""
        if option_id is not None:
            try:
                self.highlighted = self.get_option_index(option_id)
                return
            except Exception:
                pass
        if self.option_count and fallback is not None:
            self.highlighted = min(fallback, self.option_count - 1)
