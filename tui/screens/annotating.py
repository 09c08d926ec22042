"""The annotation side of the reading room: editor, Notes pane, undo and export.

MainScreen inherits this so that one file holds one workflow; it relies on
MainScreen for the workspace, the open article, the reading state, `tell`,
`run_search` and `open_article_by_id`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from index.document import plain_text
from index.export import ExportFilters
from index.models import Annotation, Article, ArticleNotes
from index.state import ReadingState
from index.workspace import Workspace

from .. import tasks
from ..dialogs.annotation_editor import AnnotationEditor, NoteDraft
from ..dialogs.export_path import ExportPath
from ..messages import CorpusNotesLoaded, NotesChanged, NotesFailed, NotesLoaded
from ..widgets.notes import NoteAction, NotesModeToggled, NotesPane, NoteUndo
from ..widgets.reader import AnnotateRequested, ArticleView


class AnnotatingScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("e", "export", "Export", show=False)]

    workspace: Workspace
    open_article: Article | None
    state: ReadingState

    def __init__(self) -> None:
        super().__init__()
        self.article_notes: ArticleNotes | None = None
        self.corpus_notes: list[tuple[Annotation, str]] = []
        self._deleted: list[Annotation] = []
        self._pending_reveal: str | None = None

    # provided by MainScreen
    def tell(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
             timeout: float | None = None) -> None:  # fmt: skip
        raise NotImplementedError

    def run_search(self) -> None:
        raise NotImplementedError

    def open_article_by_id(self, article_id: str, quiet: bool = False) -> None:
        raise NotImplementedError

    # -- showing ---------------------------------------------------------------------

    def show_notes(self, article: Article, notes: ArticleNotes | None) -> None:
        """Show an article's annotations in the Notes pane and underline them in the Reader."""
        self.article_notes = notes
        pane = self.query_one(NotesPane)
        if not pane.corpus_mode:
            pane.show_article(article, notes)
        spans = [
            (item.start, item.end)
            for item in (notes.items if notes else ())
            if item.start is not None and item.end is not None
        ]
        self.query_one(ArticleView).set_annotated(spans)
        if self._pending_reveal is not None:
            reveal, self._pending_reveal = self._pending_reveal, None
            self._jump(reveal, focus=True)

    @on(NotesLoaded)
    def notes_loaded(self, message: NotesLoaded) -> None:
        if self.open_article is not None and self.open_article.id == message.article_id:
            self._pending_reveal = message.reveal or self._pending_reveal
            self.show_notes(self.open_article, message.notes)

    @on(NotesModeToggled)
    def notes_mode_toggled(self) -> None:
        pane = self.query_one(NotesPane)
        if pane.corpus_mode:
            pane.show_article(self.open_article, self.article_notes)
        else:
            self.corpus_worker()

    @work(thread=True, exclusive=True, group="corpus-notes", exit_on_error=False)
    def corpus_worker(self) -> None:
        self.post_message(tasks.corpus_notes(self.workspace))

    @on(CorpusNotesLoaded)
    def corpus_loaded(self, message: CorpusNotesLoaded) -> None:
        self.corpus_notes = message.entries
        self.query_one(NotesPane).show_corpus(message.entries)

    # -- changing ----------------------------------------------------------------------

    @on(AnnotateRequested)
    def annotate_requested(self, message: AnnotateRequested) -> None:
        article = self.open_article
        if article is None or not self._writable():
            return
        span = message.span
        quote = plain_text(article.body)[span[0] : span[1]] if span else None

        def save(draft: NoteDraft | None) -> None:
            if draft is not None:
                change = partial(self.workspace.annotate, article, span, draft.note, draft.tags)
                again = partial(
                    self._edit_again, AnnotationEditor(quote, draft.note, draft.tags), save
                )
                self.notes_worker(change, article.id, "Annotation saved.", again)

        self.app.push_screen(AnnotationEditor(quote), save)

    def _edit_again(
        self, editor: AnnotationEditor, save: Callable[[NoteDraft | None], None]
    ) -> None:
        """Re-open the editor with the text of a note that could not be saved."""
        self.app.push_screen(editor, save)

    @on(NoteAction)
    def note_action(self, message: NoteAction) -> None:
        annotation = self._annotation(message.annotation_id)
        if annotation is None:
            return
        if message.action == "jump":
            self._go_to(annotation)
        elif message.action == "edit" and self._writable(annotation):
            quote = annotation.target.exact if annotation.target else None

            def save(draft: NoteDraft | None) -> None:
                if draft is not None:
                    change = partial(
                        self.workspace.edit_annotation, annotation, draft.note, draft.tags
                    )
                    editor = AnnotationEditor(quote, draft.note, draft.tags)
                    again = partial(self._edit_again, editor, save)
                    self.notes_worker(change, annotation.article_id, "Annotation updated.", again)

            self.app.push_screen(AnnotationEditor(quote, annotation.note, annotation.tags), save)
        elif message.action == "delete" and self._writable(annotation):
            self._deleted.append(annotation)
            change = partial(self.workspace.delete_annotation, annotation)
            self.notes_worker(change, annotation.article_id, "Annotation deleted. Press z to undo.")

    @on(NoteUndo)
    def note_undo(self) -> None:
        if not self._deleted:
            self.tell("Nothing to undo.", timeout=2)
            return
        annotation = self._deleted.pop()
        change = partial(self.workspace.restore_annotation, annotation)
        self.notes_worker(change, annotation.article_id, "Annotation restored.")

    @work(thread=True, group="notes", exit_on_error=False)
    def notes_worker(
        self,
        change: Callable[[], object],
        article_id: str,
        done: str,
        again: Callable[[], object] | None = None,
    ) -> None:
        """Save a change; if it fails, `again` re-opens the editor so no typing is lost."""
        outcome = tasks.change_notes(change, article_id, done)
        if isinstance(outcome, NotesFailed):
            outcome.reopen = again
        self.post_message(outcome)

    @on(NotesChanged)
    def notes_changed(self, message: NotesChanged) -> None:
        self.tell(message.message, timeout=3)
        if self.open_article is not None and self.open_article.id == message.article_id:
            self.reload_notes_worker(self.open_article)
        if self.query_one(NotesPane).corpus_mode:
            self.corpus_worker()
        self.run_search()

    @on(NotesFailed)
    def notes_failed(self, message: NotesFailed) -> None:
        if message.reopen is not None:
            self.tell(f"{message.message}. Your text is back in the editor.", severity="error")
            message.reopen()
        else:
            self.tell(message.message, severity="error")

    @work(thread=True, exclusive=True, group="notes-load", exit_on_error=False)
    def reload_notes_worker(self, article: Article, reveal: str | None = None) -> None:
        self.post_message(tasks.load_notes(self.workspace, article, reveal))

    def _writable(self, annotation: Annotation | None = None) -> bool:
        if self.workspace.read_only:
            self.tell(f"Read-only session: {self.workspace.read_only}.", severity="error")
            return False
        notes = self.article_notes
        same = annotation is None or (
            notes is not None and notes.article_id == annotation.article_id
        )
        if notes is not None and notes.problem and same:
            self.tell(f"{notes.problem}. This article's notes are read-only until it is fixed.",
                      severity="error")  # fmt: skip
            return False
        return True

    def _annotation(self, annotation_id: str) -> Annotation | None:
        if self.query_one(NotesPane).corpus_mode:
            return next((a for a, _title in self.corpus_notes if a.id == annotation_id), None)
        items = self.article_notes.items if self.article_notes else ()
        return next((i.annotation for i in items if i.annotation.id == annotation_id), None)

    # -- going to a passage ----------------------------------------------------------------

    def _go_to(self, annotation: Annotation) -> None:
        if self.open_article is None or self.open_article.id != annotation.article_id:
            self._pending_reveal = annotation.id
            self.open_article_by_id(annotation.article_id)
        else:
            self._jump(annotation.id, focus=True)

    def _jump(self, annotation_id: str, focus: bool) -> None:
        items = self.article_notes.items if self.article_notes else ()
        item = next((i for i in items if i.annotation.id == annotation_id), None)
        reader = self.query_one(ArticleView)
        if item is None:
            return
        if item.start is not None and item.end is not None:
            reader.reveal(item.start, item.end)
        elif item.status == "orphaned":
            self.tell("That passage is no longer in the article's text.", severity="warning")
        if focus:
            reader.focus()

    # -- export ---------------------------------------------------------------------------

    def action_export(self) -> None:
        filters = ExportFilters(self.state.theme, self.state.source, self.state.query.strip())
        default = Path.cwd() / f"briefing-{dt.date.today().isoformat()}.md"
        scope = [f"theme {filters.theme}"] if filters.theme else []
        scope += [f"source {filters.source}"] if filters.source else []
        scope += [f"query “{filters.query}”"] if filters.query else []
        what = "Markdown briefing of your annotated articles" + (
            f" ({', '.join(scope)})" if scope else ""
        )

        def chosen(path: str | None) -> None:
            if path:
                self.export_worker(filters, Path(path).expanduser())

        self.app.push_screen(ExportPath(str(default), what), chosen)

    @work(thread=True, group="export", exit_on_error=False)
    def export_worker(self, filters: ExportFilters, path: Path) -> None:
        outcome = tasks.export_briefing(self.workspace, filters, path)
        self.app.call_from_thread(self.tell, outcome)
