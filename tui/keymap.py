"""The keymap as the help screen shows it, built from the live bindings.

Each entry names bindings by id; the keys shown are read from those
bindings, so a key cannot be documented and missing, or bound and
undocumented: `bindings()` collects every binding of the classes below, and
the tests check that each one is listed here and each listed id is bound.
Only the query syntax, which no binding carries, is written out.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode

from .app import BriefingApp
from .dialogs.annotation_editor import AnnotationEditor
from .dialogs.confirm import Confirm
from .dialogs.curation import GradeDialog
from .dialogs.export_path import ExportPath
from .screens.emerging import EmergingScreen
from .screens.help import HelpScreen
from .screens.main import MainScreen
from .screens.story import StoryColumn, StoryScreen
from .screens.timeline import TimelineScreen
from .widgets.article_list import ArticleList
from .widgets.facets import FacetPane, SourcesPane, ThemesPane
from .widgets.notes import NotesFilter, NotesList
from .widgets.pane_list import PaneList
from .widgets.reader import ArticleView
from .widgets.reading_room import by_key
from .widgets.search_box import SearchBox

BOUND: tuple[type[DOMNode], ...] = (
    BriefingApp, MainScreen, SearchBox, PaneList, ArticleList, FacetPane, SourcesPane,
    ThemesPane, ArticleView, NotesList, NotesFilter, AnnotationEditor, Confirm, ExportPath,
    GradeDialog, HelpScreen, StoryScreen, StoryColumn, TimelineScreen,
    EmergingScreen,
)  # fmt: skip
"""Every class whose bindings the help screen documents."""
KEY_NAMES = {
    "slash": "/", "question_mark": "?", "escape": "Esc", "enter": "Enter", "tab": "Tab",
    "space": "Space", "down": "↓", "up": "↑", "pagedown": "PgDn", "pageup": "PgUp",
    "home": "Home", "end": "End",
}  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """One line of help: the keys of bindings `ids` (in order), or `keys` as written."""

    description: str
    ids: tuple[str, ...] = ()
    keys: str = ""


def _e(description: str, *ids: str) -> Entry:
    return Entry(description, ids)


KEYMAP: list[tuple[str, list[Entry]]] = [
    ("Anywhere", [
        _e("Search: results update as you type", "search"),
        _e("Focus " + ", ".join(pane.title for pane in by_key()),
           *(f"pane.{pane.id}" for pane in by_key())),
        _e("Next / previous pane", "pane.next", "pane.previous"),
        _e("Related articles (more like this) for the open article", "related"),
        _e("Clear every filter and the query", "clear"),
        _e("Mark the article read / unread (read ones are dimmed)", "read"),
        _e("Only unread articles / every article", "view.unread"),
        _e("Next / previous match of the query in the article", "match.next", "match.previous"),
        _e("Export a Markdown briefing of your annotated articles (current filters)", "export"),
        _e("Fetch the feeds you follow, in the background (new articles are marked new)",
           "fetch"),
        _e("The open article's story: every source's article side by side", "story"),
        _e("The results over time, by source; choose a period to filter by", "timeline"),
        _e("What is rising in the results' last two weeks; Enter searches a term", "emerging"),
        _e("Stop a fetch; leave related articles; clear the query", "escape"),
        _e("Accept the suggested correction (“did you mean…”)", "suggestion.accept"),
        _e("Show what the query as typed finds, not its correction's results",
           "suggestion.literal"),
        _e("This help", "help"),
        Entry("Command palette: every action, theme, source and article", keys="Ctrl+P"),
        _e("Quit", "quit", "quit.ctrl_c"),
    ]),
    ("Search box", [
        Entry("Go to the results (while typing, the last word also matches as a prefix)",
              keys="Enter"),
        _e("Leave the box (Esc again clears the query)", "search.leave"),
    ]),
    ("Sources, Themes, Articles", [
        _e("Move", "list.down", "list.up"),
        _e("First / last", "list.first", "list.last"),
        _e("Open the article", "articles.open"),
        _e("In Sources, Themes, Years · places, toggle that filter", "facets.toggle"),
    ]),
    ("Curating (saved to your library's YAML)", [
        _e("Sources: grade the source (A–F) with a one-line reason", "sources.grade"),
        _e("Themes: edit the theme's name and query", "themes.edit"),
        _e("Themes: save the current query as a new theme", "themes.new"),
        _e("Themes: put the open article in the theme, or take it out", "themes.member"),
        _e("In these dialogs: save (or Enter in the last field), cancel", "form.save",
           "form.cancel"),
    ]),
    ("Reader", [
        _e("Scroll by line; while selecting, extend by a sentence", "reader.down", "reader.up"),
        _e("Move the sentence cursor by paragraph (extends a selection)",
           "reader.paragraph_next", "reader.paragraph_previous"),
        _e("Scroll by page", "reader.page_down", "reader.page_up"),
        _e("Top / bottom", "reader.top", "reader.bottom"),
        _e("Start a selection at the current sentence", "reader.select"),
        _e("Cancel the selection", "reader.cancel_selection"),
        _e("Annotate the selection, or the current sentence", "reader.annotate"),
        _e("Add a note to the whole article", "reader.annotate_article"),
    ]),
    ("Notes", [
        _e("Go to the passage in the Reader", "notes.jump"),
        _e("Edit / delete the annotation", "notes.edit", "notes.delete"),
        _e("Undo the last delete", "notes.undo"),
        _e("Every annotation in the corpus (type to filter) / this article's", "notes.all"),
        _e("From the filter box to the list", "notes.filter_leave"),
    ]),
    ("Annotation editor", [
        _e("Save", "editor.save"),
        _e("Cancel (asks first if text would be lost)", "editor.cancel"),
    ]),
    ("Dialogs", [
        _e("Yes / no", "confirm.yes", "confirm.no"),
        _e("Cancel the export", "export.cancel"),
    ]),
    ("Story (side by side)", [
        _e("Next / previous article", "story.next", "story.previous"),
        _e("Scroll the article", "story.down", "story.up", "story.page_down"),
        _e("Open it in the Reader (to annotate it)", "story.open"),
        _e("Back to the reading room", "story.close"),
    ]),
    ("Timeline", [
        _e("Earlier / later period", "timeline.earlier", "timeline.later"),
        _e("First / last period", "timeline.first", "timeline.last"),
        _e("Filter the list by the period (adds date:[… to …] to the query)",
           "timeline.choose"),
        _e("Back", "timeline.close"),
    ]),
    ("What is emerging", [
        _e("Move", "emerging.down", "emerging.up"),
        _e("Back", "emerging.close"),
    ]),
    ("This help", [
        _e("Scroll", "help.down", "help.up"),
        _e("Close", "help.close"),
    ]),
    ("Query syntax", [
        Entry("Both words, any form", keys="regional factories"),
        Entry("The phrase", keys='"joint venture"'),
        Entry("Words starting with venture", keys="venture*"),
        Entry("Boolean operators, in capitals", keys="A OR B, A NOT B"),
        Entry("One field; also title: source: theme: year:", keys="place: person: org: tag:"),
        Entry("A date range; date:2024-03, date:>2024-06", keys="date:[2024-01 to 2024-06]"),
    ]),
]  # fmt: skip


def bindings() -> dict[str, Binding]:
    """Every binding of the documented classes, by id."""
    found: dict[str, Binding] = {}
    for cls in BOUND:
        for binding in cls.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                found.setdefault(binding.id, binding)
    return found


def key_text(binding: Binding) -> str:
    """How a binding's keys are written in help: `j ↓`, `Ctrl+S`, `?`."""
    return " ".join(_key_name(key) for key in binding.key.split(","))


def _key_name(key: str) -> str:
    key = key.strip()
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if "+" in key:
        *modifiers, last = key.split("+")
        return "+".join([*(m.capitalize() for m in modifiers), KEY_NAMES.get(last, last.upper())])
    return key


def entry_keys(entry: Entry, bound: dict[str, Binding]) -> str:
    """The keys of one entry (raises KeyError for an id nothing binds)."""
    if not entry.ids:
        return entry.keys
    return "  ".join(key_text(bound[binding_id]) for binding_id in entry.ids)
