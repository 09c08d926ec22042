"""Writing or editing an annotation: the passage, a multi-line note, tags.

Ctrl+S saves; Esc cancels, asking first when the note or tags would be lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from index import clean_tags

from .confirm import Confirm

QUOTE_SHOWN = 400


@dataclass(frozen=True)
class NoteDraft:
    note: str
    tags: tuple[str, ...]


class AnnotationEditor(ModalScreen[NoteDraft | None]):
    # Not priority bindings: the keys must reach the focused field in order, after any
    # characters typed just before them, or a fast Ctrl+S would save without them.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="editor.save"),
        Binding("escape", "cancel", "Cancel", id="editor.cancel"),
    ]

    def __init__(self, quote: str | None, note: str = "", tags: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.quote = quote
        self.initial = NoteDraft(note, tags)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="editor") as box:
            box.border_title = "Annotation"
            box.border_subtitle = "Ctrl+S save · Esc cancel"
            if self.quote is None:
                yield Static(Text("A note on the whole article", style="italic dim"), id="quote")
            else:
                shown = (
                    self.quote if len(self.quote) <= QUOTE_SHOWN else self.quote[:QUOTE_SHOWN] + "…"
                )
                yield Static(Text(f"“{shown}”", style="italic"), id="quote")
            yield Label("Note")
            yield TextArea(self.initial.note, id="note", soft_wrap=True, show_line_numbers=False)
            yield Label("Tags (comma separated)")
            yield Input(
                ", ".join(self.initial.tags),
                id="tags",
                placeholder="e.g. housing, elite",
                select_on_focus=False,
            )  # Tab then typing adds to the tags

    def on_mount(self) -> None:
        note = self.query_one("#note", TextArea)
        note.move_cursor(note.document.end)  # editing goes on where the note ends
        self.set_focus(note)  # at once (Widget.focus waits for the app's queue)

    @property
    def draft(self) -> NoteDraft:
        note = self.query_one("#note", TextArea).text.strip()
        tags = clean_tags(self.query_one("#tags", Input).value)
        return NoteDraft(note, tags)

    @on(Input.Submitted, "#tags")
    def tags_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        self.dismiss(self.draft)

    def action_cancel(self) -> None:
        if self.draft == self.initial:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(Confirm("Discard this note?"), answered)
