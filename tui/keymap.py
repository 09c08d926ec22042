"""The keymap contract, as the help screen shows it.

The bindings themselves live on the widgets and screens that act on them; the
Pilot tests press every key listed here and check that it does what it says.
"""

from __future__ import annotations

KEYMAP: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Anywhere",
        [
            ("/", "Search: results update as you type"),
            ("1 2 3 4 5", "Focus Sources, Themes, Articles, Reader, Notes"),
            ("Tab  Shift+Tab", "Next / previous pane"),
            ("r", "Related articles (more like this) for the open article"),
            ("x", "Clear every filter and the query"),
            ("u", "Mark the article read / unread (read ones are dimmed)"),
            ("n  N", "Next / previous match of the query in the article"),
            ("e", "Export a Markdown briefing of your annotated articles (current filters)"),
            ("Esc", "Leave related articles; clear the query"),
            ("?", "This help"),
            ("Ctrl+P", "Command palette: every action, theme, source and article"),
            ("q  Ctrl+C", "Quit"),
        ],
    ),
    (
        "Search box",
        [
            ("Enter", "Go to the results"),
            ("Esc", "Leave the box (Esc again clears the query)"),
        ],
    ),
    (
        "Sources, Themes, Articles",
        [
            ("j k  ↓ ↑", "Move"),
            ("g G", "First / last"),
            ("Enter", "Open the article; in Sources and Themes, toggle that filter"),
        ],
    ),
    (
        "Reader",
        [
            ("j k  ↓ ↑", "Scroll by line; while selecting, extend by a sentence"),
            ("J K", "Move the sentence cursor by paragraph (extends a selection)"),
            ("Space  b", "Scroll by page"),
            ("g G", "Top / bottom"),
            ("n N", "Next / previous match, highlighted"),
            ("v", "Start a selection at the current sentence (Esc cancels)"),
            ("a", "Annotate the selection, or the current sentence"),
            ("A", "Add a note to the whole article"),
        ],
    ),
    (
        "Notes",
        [
            ("Enter", "Go to the passage in the Reader"),
            ("e  d", "Edit / delete the annotation"),
            ("z", "Undo the last delete"),
            ("t", "Every annotation in the corpus (type to filter) / this article's"),
        ],
    ),
    (
        "Annotation editor",
        [
            ("Ctrl+S", "Save"),
            ("Esc", "Cancel (asks first if text would be lost)"),
        ],
    ),
    (
        "Query syntax",
        [
            ("regional factories", "Both words, any form"),
            ('"joint venture"', "The phrase"),
            ("venture*", "Words starting with venture"),
            ("A OR B, A NOT B", "Boolean operators, in capitals"),
            ("place: person: org: tag:", "One field; also title: source: theme: year:"),
            ("date:[2024-01 to 2024-06]", "A date range; date:2024-03, date:>2024-06"),
        ],
    ),
]
