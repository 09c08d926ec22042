"""The help screen: every key, from the live bindings (see `tui.keymap`)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def keymap_table() -> Table:
    from ..keymap import KEYMAP, bindings, entry_keys  # the keymap imports every screen

    bound = bindings()
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for number, (section, entries) in enumerate(KEYMAP):
        if number:
            table.add_row("", "")
        table.add_row(Text(section, style="bold underline"), "")
        for entry in entries:
            table.add_row(Text(entry_keys(entry, bound)), Text(entry.description))
    return table


class HelpScreen(ModalScreen[None]):
    """Every key, grouped by where it works. Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "Esc closes"
            yield Static(keymap_table())

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help-box", VerticalScroll).scroll_relative(y=delta, animate=False)
