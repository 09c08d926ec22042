"""The search box: a query as you type; Enter goes to the results, Esc leaves."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class SearchBox(Input):
    """An Input that tells the screen when the user leaves it with Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave search", show=False, id="search.leave")
    ]

    class Left(Message):
        """Esc was pressed in the box."""

    def action_leave(self) -> None:
        self.post_message(self.Left())
