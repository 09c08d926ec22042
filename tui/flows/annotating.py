"""The annotation workflow of the reading room: editor, Notes pane, undo and export.

`AnnotationFlow` opens the editor, saves each change in a thread worker and
takes the outcome back itself (`tui.work`): on success the notes are
reloaded and the search runs again; on failure the editor opens again with
what was typed. The export writes the briefing for the screen's `Filters`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from index import ExportScope, plain_text
from index.models import Annotation, Article, ArticleNotes

from .. import tasks
from ..dialogs.annotation_editor import AnnotationEditor, NoteDraft
from ..dialogs.export_path import ExportPath
from ..widgets.notes import NoteAction, NotesPane, corpus_key
from ..widgets.reader import AnnotateRequested, ArticleView
from ..work import Failed

if TYPE_CHECKING:
    from ..screens.main import MainScreen


class AnnotationFlow:
    """Annotating the open article, and everything the Notes pane asks for."""

    def __init__(self, screen: MainScreen) -> None:
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

    def _notes_loaded(
        self, article_id: str, reveal: str | None, outcome: ArticleNotes | Failed
    ) -> None:
        if isinstance(outcome, Failed):
            self.screen.tell(outcome.message, severity="error")
            return
        article = self.screen.open_article
        if article is not None and article.id == article_id:
            self._pending_reveal = reveal or self._pending_reveal
            self.show_notes(article, outcome)

    def toggle_mode(self) -> None:
        """Between the open article's notes and every note in the corpus."""
        if self.pane.corpus_mode:
            self.pane.show_article(self.screen.open_article, self.article_notes)
            self.screen.set_focus(self.pane.notes_list)
        else:
            self.pane.enter_corpus_mode()
            self._load_corpus()

    def _load_corpus(self) -> None:
        self.screen.in_thread("corpus-notes", self.screen.workspace.all_notes, self._corpus_loaded)

    def _corpus_loaded(self, outcome: list[tuple[Annotation, str]] | Failed) -> None:
        if isinstance(outcome, Failed):
            self.screen.tell(outcome.message, severity="error")
            return
        self.corpus_notes = outcome
        self.pane.show_corpus(outcome)

    # -- changing ----------------------------------------------------------------------

    def annotate(self, message: AnnotateRequested) -> None:
        article = self.screen.open_article
        if article is None or not self._writable():
            return
        span = message.span
        quote = plain_text(article.body)[span[0] : span[1]] if span else None
        workspace = self.screen.workspace

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
            change = partial(self.screen.workspace.delete_annotation, annotation)
            self._save(change, annotation.article_id, "Annotation deleted. Press z to undo.")

    def _edit(self, annotation: Annotation) -> None:
        quote = annotation.target.exact if annotation.target else None
        workspace = self.screen.workspace

        def save(draft: NoteDraft | None) -> None:
            if draft is not None:
                change = partial(workspace.edit_annotation, annotation, draft.note, draft.tags)
                editor = AnnotationEditor(quote, draft.note, draft.tags)
                again = partial(self._edit_again, editor, save)
                self._save(change, annotation.article_id, "Annotation updated.", again)

        self.screen.app.push_screen(AnnotationEditor(quote, annotation.note, annotation.tags), save)

    def undo(self) -> None:
        if not self._deleted:
            self.screen.tell("Nothing to undo.", timeout=2)
            return
        annotation = self._deleted.pop()
        change = partial(self.screen.workspace.restore_annotation, annotation)
        self._save(change, annotation.article_id, "Annotation restored.")

    def _save(
        self,
        change: Callable[[], object],
        article_id: str,
        done: str,
        again: Callable[[], object] | None = None,
    ) -> None:
        """Save a change in a worker; if it fails, `again` re-opens the editor (no typing lost)."""
        then = partial(self._changed, article_id, done, again)
        self.screen.in_thread("notes", change, then, exclusive=False)

    def _changed(
        self,
        article_id: str,
        done: str,
        again: Callable[[], object] | None,
        outcome: object,
    ) -> None:
        host = self.screen
        if isinstance(outcome, Failed):
            if again is not None:
                host.tell(
                    f"Notes not saved: {outcome.message}. Your text is back in the editor.",
                    severity="error",
                )
                again()
            else:
                host.tell(f"Notes not saved: {outcome.message}", severity="error")
            return
        host.tell(done, timeout=3)
        article = host.open_article
        if article is not None and article.id == article_id:
            self.reload(article)
        if self.pane.corpus_mode:
            self._load_corpus()
        host.search.run()

    def reload(self, article: Article, reveal: str | None = None) -> None:
        work = partial(self.screen.workspace.article_notes, article)
        self.screen.in_thread("notes-load", work, partial(self._notes_loaded, article.id, reveal))

    def _writable(self, annotation: Annotation | None = None) -> bool:
        workspace = self.screen.workspace
        if workspace.read_only:
            self.screen.tell(f"Read-only session: {workspace.read_only}.", severity="error")
            return False
        notes = self.article_notes
        same = annotation is None or (
            notes is not None and notes.article_id == annotation.article_id
        )
        if notes is not None and notes.problem and same:
            self.screen.tell(
                f"{notes.problem}. This article's notes are read-only until it is fixed.",
                severity="error",
            )
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
        article = self.screen.open_article
        if article is None or article.id != annotation.article_id:
            self._pending_reveal = annotation.id
            self.screen.opener.open(annotation.article_id)
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
            self.screen.tell("That passage is no longer in the article's text.", severity="warning")
        if focus:
            self.screen.set_focus(reader)

    # -- export ---------------------------------------------------------------------------

    def export(self) -> None:
        """Write the briefing of the annotated articles under every filter on screen."""
        state = self.screen.state
        chosen = state.filters
        scope = ExportScope(chosen, read=state.read)
        default = Path.cwd() / f"briefing-{dt.date.today().isoformat()}.md"
        parts = [f"query “{chosen.query.strip()}”"] if chosen.query.strip() else []
        parts += [
            f"{kind} {value}"
            for kind, value in (
                ("theme", chosen.theme),
                ("source", chosen.source),
                ("year", chosen.year),
                ("place", chosen.place),
            )
            if value
        ]
        parts += ["unread only"] if chosen.unread_only else []
        what = "Markdown briefing of your annotated articles" + (
            f" ({', '.join(parts)})" if parts else ""
        )
        workspace = self.screen.workspace

        def picked(path: str | None) -> None:
            if path:
                work = partial(tasks.export_briefing, workspace, scope, Path(path).expanduser())
                self.screen.in_thread("export", work, self._exported, exclusive=False)

        self.screen.app.push_screen(ExportPath(str(default), what), picked)

    def _exported(self, outcome: str | Failed) -> None:
        if isinstance(outcome, Failed):
            self.screen.tell(f"Briefing not written: {outcome.message}", severity="error")
        else:
            self.screen.tell(outcome)
