"""What is emerging in the results: the words and names that rose in their last two weeks.

Opened with `E` (or "what is emerging" in the palette): for the query and
filters on screen, the last EMERGING_DAYS days up to the newest article of
the results (so an archive shows its own last weeks) against the 90 days
before (`index.engine.emerging`). Enter searches the term under the cursor;
Esc goes back.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from index.models import Emerging

EMERGING_DAYS = 14
BASELINE_DAYS = 90


class EmergingScreen(ModalScreen[str | None]):
    """Dismissed with a term to search, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss_emerging", "Back", id="emerging.close"),
        Binding("j", "cursor_down", "Down", show=False, id="emerging.down"),
        Binding("k", "cursor_up", "Up", show=False, id="emerging.up"),
    ]

    def __init__(self, found: list[Emerging], until: dt.date, what: str) -> None:
        super().__init__()
        self.found = found
        self.until = until
        self.what = what

    def compose(self) -> ComposeResult:
        start = self.until - dt.timedelta(days=EMERGING_DAYS - 1)
        head = Text(f"Rising in {self.what}", style="bold")
        head.append(
            f"\n{start} – {self.until} against the {BASELINE_DAYS} days before · "
            "articles now / before · G² (log-likelihood; ≥ 10.8: p < 0.001)",
            style="dim",
        )
        with Vertical(id="emerging-box"):
            yield Static(head, markup=False)
            options = [Option(self._row(item), id=str(n)) for n, item in enumerate(self.found)]
            if not options:
                options = [
                    Option(
                        Text(
                            "Nothing rose: no term is in 3 articles or more of the "
                            "window and more often than before.",
                            style="dim",
                        ),
                        disabled=True,
                    )
                ]
            yield OptionList(*options, id="emerging-list")
            yield Static(Text("Enter searches the term · Esc back", style="dim"), markup=False)

    @staticmethod
    def _row(item: Emerging) -> Text:
        row = Text(f"{item.term[:40]:<42}", style="bold" if item.kind == "name" else "")
        row.append(f"{item.recent:>4} / {item.baseline:<5} G² {item.score:>6.1f}", style="dim")
        return row

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.found[int(event.option.id)].term)

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_dismiss_emerging(self) -> None:
        self.dismiss(None)
