"""The Notes pane: the open article's annotations, or every annotation in the corpus.

In article mode the list holds the annotations in reading order (whole-article
notes, then passages, then orphans), followed by the article's curated summary
and key points. `t` switches to every annotation in the corpus, with a filter
box that narrows the list as you type. Enter goes to the passage, e edits,
d deletes, z undoes the last delete. The pane only shows and asks; the screen
does the work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input
from textual.widgets.option_list import Option

from index.models import Anchored, Annotation, Article, ArticleNotes

from .pane_list import PaneList

QUOTE_CHARS = 220
STATUS_HINTS = {
    "moved": "passage moved",
    "fuzzy": "text changed since",
    "orphaned": "passage no longer in the text",
}


@dataclass
class NoteAction(Message):
    """The user wants to go to ("jump"), "edit" or "delete" an annotation."""

    action: str
    annotation_id: str


class NoteUndo(Message):
    """Undo the last delete."""


class NotesModeToggled(Message):
    """Switch between this article's notes and every note in the corpus."""


class NotesList(PaneList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Go to", id="notes.jump"),
        Binding("e", "act('edit')", "Edit", id="notes.edit"),
        Binding("d", "act('delete')", "Delete", id="notes.delete"),
        Binding("z", "undo", "Undo delete", id="notes.undo"),
        Binding("t", "toggle_mode", "All notes", id="notes.all"),
    ]

    def on_option_list_option_selected(self, event: PaneList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(NoteAction("jump", event.option.id))

    def action_act(self, action: str) -> None:
        option = self.highlighted_option
        if option is not None and option.id:
            self.post_message(NoteAction(action, option.id))

    def action_undo(self) -> None:
        self.post_message(NoteUndo())

    def action_toggle_mode(self) -> None:
        self.post_message(NotesModeToggled())


class NotesFilter(Input):
    """The all-notes filter box: ↓ or Esc goes to the list below."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,escape", "to_list", "To the list", show=False, id="notes.filter_leave"),
    ]

    def action_to_list(self) -> None:
        parent = self.parent
        if parent is not None:
            self.screen.set_focus(parent.query_one(NotesList))


class NotesPane(Vertical):
    """The filter box (corpus mode only) over the list of notes."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.corpus_mode = False
        self._all: list[tuple[Annotation, str]] = []

    def compose(self) -> ComposeResult:
        yield NotesFilter(
            placeholder="Filter every annotation… (↓ or Esc: the list)", id="notes-filter"
        )
        yield NotesList(id="notes-list")

    def on_mount(self) -> None:
        self.show_article(None, None)

    @property
    def notes_list(self) -> NotesList:
        return self.query_one(NotesList)

    def show_article(self, article: Article | None, notes: ArticleNotes | None) -> None:
        """This article's annotations, then its curated summary and key points."""
        self.corpus_mode = False
        self.set_class(False, "-all")
        self.query_one("#notes-filter", Input).display = False
        self.border_subtitle = "t all notes"
        options: list[Option] = []
        if notes is not None and notes.problem:
            options.append(Option(Text(f"⚠ {notes.problem}", style="bold red"), disabled=True))
        for item in notes.items if notes else ():
            options.append(Option(annotation_prompt(item), id=item.annotation.id))
        if article is not None and notes is not None and not notes.items and not notes.problem:
            hint = "No notes yet. In the Reader: v selects, a annotates, A notes the whole article."
            options.append(Option(Text(hint, style="dim italic"), disabled=True))
        about = curated_text(article)
        if about.plain:
            options.append(Option(about, disabled=True))
        if not options:
            options.append(
                Option(Text("Notes on the open article appear here.", style="dim"), disabled=True)
            )
        self._replace(options)

    def enter_corpus_mode(self) -> None:
        """Switch to every annotation now (they follow), with the focus in the filter box,
        so what is typed next filters instead of running the list's keys."""
        self.corpus_mode = True
        self.set_class(True, "-all")
        self.border_subtitle = "t this article"
        self._replace([Option(Text("Reading every annotation…", style="dim"), disabled=True)])
        box = self.query_one("#notes-filter", Input)
        box.display = True  # at once, not at the next style update: it takes the focus now
        self.screen.set_focus(box)  # at once: Widget.focus waits for the app's queue

    def show_corpus(self, entries: Sequence[tuple[Annotation, str]]) -> None:
        """Every annotation in the corpus, narrowed by the filter box."""
        if not self.corpus_mode:
            self.enter_corpus_mode()
        self._all = list(entries)
        self._apply_filter()

    @on(Input.Changed, "#notes-filter")
    def filter_changed(self) -> None:
        if self.corpus_mode:
            self._apply_filter()

    @on(Input.Submitted, "#notes-filter")
    def filter_submitted(self) -> None:
        self.screen.set_focus(self.notes_list)

    def _apply_filter(self) -> None:
        words = self.query_one("#notes-filter", Input).value.lower().split()
        options = []
        for annotation, title in self._all:
            haystack = " ".join(
                (
                    title,
                    annotation.note,
                    " ".join(annotation.tags),
                    annotation.target.exact if annotation.target else "",
                )
            ).lower()
            if all(word in haystack for word in words):
                key = corpus_key(annotation)
                options.append(Option(corpus_prompt(annotation, title), id=key))
        if not options:
            message = "No annotation matches." if self._all else "No annotations yet."
            options.append(Option(Text(message, style="dim"), disabled=True))
        self._replace(options)

    def _replace(self, options: list[Option]) -> None:
        notes_list = self.notes_list
        highlighted = notes_list.highlighted_option.id if notes_list.highlighted_option else None
        notes_list.set_options(options)
        notes_list.restore_highlight(highlighted)


def corpus_key(annotation: Annotation) -> str:
    """An annotation's id in the all-notes list: unique even when two articles share ids."""
    return f"{annotation.article_id}/{annotation.id}"


def annotation_prompt(item: Anchored) -> Text:
    annotation = item.annotation
    text = Text()
    if item.status == "article":
        text.append("On the whole article\n", style="bold")
    else:
        if item.status == "orphaned":
            text.append("⚠ ", style="bold yellow")
        quote = annotation.target.exact if annotation.target else ""
        text.append(f"“{_shorten(quote)}”\n", style="italic")
    if annotation.note:
        text.append(annotation.note + "\n")
    text.append_text(_details(annotation, STATUS_HINTS.get(item.status, "")))
    return text


def corpus_prompt(annotation: Annotation, title: str) -> Text:
    text = Text(title + "\n", style="bold")
    if annotation.target is not None:
        text.append(f"“{_shorten(annotation.target.exact)}”\n", style="italic")
    if annotation.note:
        text.append(annotation.note + "\n")
    text.append_text(_details(annotation, ""))
    return text


def _details(annotation: Annotation, hint: str) -> Text:
    parts = [
        " ".join(f"#{tag}" for tag in annotation.tags),
        annotation.updated[:16].replace("T", " "),
    ]
    if hint:
        parts.append(hint)
    return Text(" · ".join(part for part in parts if part), style="dim")


def _shorten(quote: str) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= QUOTE_CHARS else quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + "…"


def curated_text(article: Article | None) -> Text:
    """The article's own summary and key points, each claim with its supporting quote."""
    text = Text()
    if article is None:
        return text
    if article.summary:
        text.append("Summary\n", style="bold")
        text.append(article.summary + "\n")
    if article.key_points:
        text.append("\nKey points\n", style="bold")
        for point in article.key_points:
            text.append("• ", style="bold")
            text.append(point.claim + "\n")
            text.append(f"  “{point.quote}”\n", style="italic dim")
    return text
