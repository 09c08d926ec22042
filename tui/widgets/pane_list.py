"""An OptionList that moves like the rest of the app: j/k, g/G as well as the arrows."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


class PaneList(OptionList):
    """Base for the Sources, Themes and Articles panes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
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
