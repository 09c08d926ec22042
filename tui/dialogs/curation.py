"""Dialogs for curating the briefing: a source's grade, a theme's name and query.

Each is a form of one-line fields; Tab moves between them, Enter in the last
one or Ctrl+S saves, Esc cancels. They return what was typed; the screen has
the workspace write it to the library.
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
from textual.widgets import Input, Label, Static

GRADE_HELP = (
    "A completely reliable · B usually reliable · C fairly reliable · "
    "D not usually reliable · E unreliable · F cannot be judged"
)


@dataclass(frozen=True)
class GradeDraft:
    grade: str
    rationale: str


@dataclass(frozen=True)
class ThemeDraft:
    name: str
    query: str
    description: str


def _field(value: str, field_id: str, **options: object) -> Input:
    """A one-line field whose editing goes on at the end of its text (nothing selected)."""
    return Input(value, id=field_id, select_on_focus=False, **options)  # type: ignore[arg-type]


class _Form(ModalScreen[object]):
    """A dialog of Input fields; the last field's Enter (or Ctrl+S) submits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]
    TITLE_TEXT = ""

    def fields(self) -> ComposeResult:
        raise NotImplementedError  # every form says which fields it has

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form") as box:
            box.border_title = self.TITLE_TEXT
            box.border_subtitle = "Tab next field · Enter or Ctrl+S save · Esc cancel"
            yield from self.fields()

    def on_mount(self) -> None:
        self.set_focus(self.query(Input).first())  # at once: keys typed next go there

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_submit()
        else:
            self.set_focus(inputs[inputs.index(event.input) + 1])

    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def action_submit(self) -> None:
        raise NotImplementedError  # every form says what it returns

    def action_cancel(self) -> None:
        self.dismiss(None)


class GradeDialog(_Form):
    TITLE_TEXT = "Grade the source"

    def __init__(self, source_name: str, grade: str, rationale: str) -> None:
        super().__init__()
        self.source_name, self.grade, self.rationale = source_name, grade, rationale

    def fields(self) -> ComposeResult:
        yield Static(Text(self.source_name, style="bold"))
        yield Static(Text(GRADE_HELP, style="dim"))
        yield Label("Grade (A–F, or unrated)")
        grade = "" if self.grade == "unrated" else self.grade
        yield _field(grade, "grade", max_length=7, placeholder="C")
        yield Label("Why this grade (one line)")
        yield _field(self.rationale, "rationale")

    def action_submit(self) -> None:
        grade = self.value("grade")
        grade = "unrated" if grade.lower() in ("", "unrated", "?") else grade.upper()
        self.dismiss(GradeDraft(grade, self.value("rationale")))


class ThemeDialog(_Form):
    def __init__(self, title: str, name: str, query: str, description: str) -> None:
        super().__init__()
        self.TITLE_TEXT = title
        self.initial = ThemeDraft(name, query, description)

    def fields(self) -> ComposeResult:
        yield Label("Name")
        yield _field(self.initial.name, "name", placeholder="e.g. Food prices")
        yield Label("Query (the search syntax; run over articles without curated themes)")
        yield _field(self.initial.query, "query")
        yield Label("Description (optional)")
        yield _field(self.initial.description, "description")

    def action_submit(self) -> None:
        self.dismiss(ThemeDraft(self.value("name"), self.value("query"), self.value("description")))
