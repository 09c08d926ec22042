"""The Notes pane: what is known about the open article.

Until personal annotations exist, it shows the article's curated summary and
key points, each claim with the sentence of the text that supports it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from index.models import Article


class NotesPane(VerticalScroll, can_focus=True):
    """Scrollable notes for the open article."""

    def compose(self) -> ComposeResult:
        yield Static(Text("Notes on the open article appear here.", style="dim"), id="notes-body")

    def show(self, article: Article | None) -> None:
        self.query_one("#notes-body", Static).update(notes_text(article))
        self.scroll_home(animate=False)


def notes_text(article: Article | None) -> Text:
    if article is None:
        return Text("Notes on the open article appear here.", style="dim")
    text = Text()
    if article.summary:
        text.append("Summary\n", style="bold")
        text.append(article.summary + "\n")
    if article.key_points:
        text.append("\nKey points\n", style="bold")
        for point in article.key_points:
            text.append("• ", style="bold")
            text.append(point.claim + "\n")
            text.append("  “", style="dim")
            text.append(point.quote, style="italic dim")
            text.append("”\n", style="dim")
    if not text.plain:
        text.append("No summary or key points for this article.", style="dim")
    return text
