"""The annotation workflow of the reading room: editor, Notes pane, undo and export.

`AnnotationFlow` is held by the main screen, which forwards the notes messages
to it; it asks the screen (its `host`) for the workspace, the open article,
the reading state and for notifications, and runs its blocking work in the
screen's thread workers through `tui.tasks`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path

from textual.message import Message
from textual.screen import Screen

from index import ExportFilters, plain_text
from index.models import Annotation, Article, ArticleNotes

from .. import tasks
from ..dialogs.annotation_editor import AnnotationEditor, NoteDraft
from ..dialogs.export_path import ExportPath
from ..messages import CorpusNotesLoaded, NotesChanged, NotesFailed, NotesLoaded
from ..widgets.notes import NoteAction, NotesPane, corpus_key
from ..widgets.reader import AnnotateRequested, ArticleView
from .host import Host


class AnnotationFlow:
    """Annotating the open article, and everything the Notes pane asks for."""

    def __init__(self, host: Host, screen: Screen[None]) -> None:
        self.host = host
        self.screen = screen
        self.article_notes: ArticleNotes | None = None
        self.corpus_notes: list[tuple[Annotation, str]] = []
        self._deleted: list[Annotation] = []
        self._pending_reveal: str | None = None

    @property
    def pane(self) -> NotesPane:
        return self.screen.query_one(NotesPane)

    # -- showing ---------------------------------------------------------------------

    def show_notes(self, article: Article, notes: ArticleNotes | None) -> None:
        """Show an article's annotations in the Notes pane and underline them in the Reader."""
        self.article_notes = notes
        if not self.pane.corpus_mode:
            self.pane.show_article(article, notes)
        spans = [
            (item.start, item.end)
            for item in (notes.items if notes else ())
            if item.start is not None and item.end is not None
        ]
        self.screen.query_one(ArticleView).set_annotated(spans)
        if self._pending_reveal is not None:
            reveal, self._pending_reveal = self._pending_reveal, None
            self._jump(reveal, focus=True)

    def notes_loaded(self, message: NotesLoaded) -> None:
        article = self.host.open_article
        if article is not None and article.id == message.article_id:
            self._pending_reveal = message.reveal or self._pending_reveal
            self.show_notes(article, message.notes)

    def toggle_mode(self) -> None:
        """Between the open article's notes and every note in the corpus."""
        if self.pane.corpus_mode:
            self.pane.show_article(self.host.open_article, self.article_notes)
            self.screen.set_focus(self.pane.notes_list)
        else:
            self.pane.enter_corpus_mode()
            self._load_corpus()

    def _load_corpus(self) -> None:
        workspace = self.host.workspace
        self.host.in_thread("corpus-notes", partial(tasks.corpus_notes, workspace), True)

    def corpus_loaded(self, message: CorpusNotesLoaded) -> None:
        self.corpus_notes = message.entries
        self.pane.show_corpus(message.entries)

    # -- changing ----------------------------------------------------------------------

    def annotate(self, message: AnnotateRequested) -> None:
        article = self.host.open_article
        if article is None or not self._writable():
            return
        span = message.span
        quote = plain_text(article.body)[span[0] : span[1]] if span else None
        workspace = self.host.workspace

        def save(draft: NoteDraft | None) -> None:
            if draft is not None:
                change = partial(workspace.annotate, article, span, draft.note, draft.tags)
                editor = AnnotationEditor(quote, draft.note, draft.tags)
                again = partial(self._edit_again, editor, save)
                self._save(change, article.id, "Annotation saved.", again)

        self.screen.app.push_screen(AnnotationEditor(quote), save)

    def _edit_again(
        self, editor: AnnotationEditor, save: Callable[[NoteDraft | None], None]
    ) -> None:
        """Re-open the editor with the text of a note that could not be saved."""
        self.screen.app.push_screen(editor, save)

    def note_action(self, message: NoteAction) -> None:
        annotation = self._annotation(message.annotation_id)
        if annotation is None:
            return
        if message.action == "jump":
            self._go_to(annotation)
        elif message.action == "edit" and self._writable(annotation):
            self._edit(annotation)
        elif message.action == "delete" and self._writable(annotation):
            self._deleted.append(annotation)
            change = partial(self.host.workspace.delete_annotation, annotation)
            self._save(change, annotation.article_id, "Annotation deleted. Press z to undo.")

    def _edit(self, annotation: Annotation) -> None:
        quote = annotation.target.exact if annotation.target else None
        workspace = self.host.workspace

        def save(draft: NoteDraft | None) -> None:
            if draft is not None:
                change = partial(workspace.edit_annotation, annotation, draft.note, draft.tags)
                editor = AnnotationEditor(quote, draft.note, draft.tags)
                again = partial(self._edit_again, editor, save)
                self._save(change, annotation.article_id, "Annotation updated.", again)

        self.screen.app.push_screen(AnnotationEditor(quote, annotation.note, annotation.tags), save)

    def undo(self) -> None:
        if not self._deleted:
            self.host.tell("Nothing to undo.", timeout=2)
            return
        annotation = self._deleted.pop()
        change = partial(self.host.workspace.restore_annotation, annotation)
        self._save(change, annotation.article_id, "Annotation restored.")

    def _save(
        self,
        change: Callable[[], object],
        article_id: str,
        done: str,
        again: Callable[[], object] | None = None,
    ) -> None:
        """Save a change in a worker; if it fails, `again` re-opens the editor (no typing lost)."""

        def work() -> Message:
            outcome = tasks.change_notes(change, article_id, done)
            if isinstance(outcome, NotesFailed):
                outcome.reopen = again
            return outcome

        self.host.in_thread("notes", work, False)

    def notes_changed(self, message: NotesChanged) -> None:
        self.host.tell(message.message, timeout=3)
        article = self.host.open_article
        if article is not None and article.id == message.article_id:
            self.reload(article)
        if self.pane.corpus_mode:
            self._load_corpus()
        self.host.run_search()

    def notes_failed(self, message: NotesFailed) -> None:
        if message.reopen is not None:
            text = f"{message.message}. Your text is back in the editor."
            self.host.tell(text, severity="error")
            message.reopen()
        else:
            self.host.tell(message.message, severity="error")

    def reload(self, article: Article, reveal: str | None = None) -> None:
        work = partial(tasks.load_notes, self.host.workspace, article, reveal)
        self.host.in_thread("notes-load", work, True)

    def _writable(self, annotation: Annotation | None = None) -> bool:
        workspace = self.host.workspace
        if workspace.read_only:
            self.host.tell(f"Read-only session: {workspace.read_only}.", severity="error")
            return False
        notes = self.article_notes
        same = annotation is None or (
            notes is not None and notes.article_id == annotation.article_id
        )
        if notes is not None and notes.problem and same:
            self.host.tell(f"{notes.problem}. This article's notes are read-only until it is "
                           "fixed.", severity="error")  # fmt: skip
            return False
        return True

    def _annotation(self, annotation_id: str) -> Annotation | None:
        if self.pane.corpus_mode:
            found = (a for a, _title in self.corpus_notes if corpus_key(a) == annotation_id)
            return next(found, None)
        items = self.article_notes.items if self.article_notes else ()
        return next((i.annotation for i in items if i.annotation.id == annotation_id), None)

    # -- going to a passage ----------------------------------------------------------------

    def _go_to(self, annotation: Annotation) -> None:
        article = self.host.open_article
        if article is None or article.id != annotation.article_id:
            self._pending_reveal = annotation.id
            self.host.open_article_by_id(annotation.article_id)
        else:
            self._jump(annotation.id, focus=True)

    def _jump(self, annotation_id: str, focus: bool) -> None:
        items = self.article_notes.items if self.article_notes else ()
        item = next((i for i in items if i.annotation.id == annotation_id), None)
        reader = self.screen.query_one(ArticleView)
        if item is None:
            return
        if item.start is not None and item.end is not None:
            reader.reveal(item.start, item.end)
        elif item.status == "orphaned":
            self.host.tell("That passage is no longer in the article's text.", severity="warning")
        if focus:
            self.screen.set_focus(reader)

    # -- export ---------------------------------------------------------------------------

    def export(self) -> None:
        state = self.host.state
        filters = ExportFilters(state.theme, state.source, state.query.strip())
        default = Path.cwd() / f"briefing-{dt.date.today().isoformat()}.md"
        scope = [f"theme {filters.theme}"] if filters.theme else []
        scope += [f"source {filters.source}"] if filters.source else []
        scope += [f"query “{filters.query}”"] if filters.query else []
        what = "Markdown briefing of your annotated articles" + (
            f" ({', '.join(scope)})" if scope else ""
        )
        workspace = self.host.workspace

        def chosen(path: str | None) -> None:
            if path:
                target = Path(path).expanduser()

                def work() -> None:
                    outcome = tasks.export_briefing(workspace, filters, target)
                    self.screen.app.call_from_thread(self.host.tell, outcome)

                self.host.in_thread("export", work, False)

        self.screen.app.push_screen(ExportPath(str(default), what), chosen)
