"""One event's coverage side by side: each source's article in a column, what they share on top.

Opened from the reading room (`S`, or "story of the open article" in the
palette) on an article that is part of a story (`index.engine.stories`).
At 120 columns and more two articles are shown next to one another; below,
one at a time. `]` and `[` (or Tab) move to the next and previous article;
Enter opens the focused one in the Reader, where it is annotated as any
article (notes made there are ordinary notes on it); Esc goes back. The
line on top lists the names and figures the articles share, so a claim and
its counterpart can be found in both; each column's header gives the
source, its grade and the date. Article text is shown as text, never markup.
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from index import Workspace, plain_text
from index.models import Article, Story

from ..render import article_renderable, format_date, story_span

MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
WIDE = 120
"""Columns from which two articles are shown side by side."""
_FIGURE = re.compile(
    r"\b\d[\d,.]*(?:\s?(?:%|per cent|percent|hectares|tons|tonnes|km|million|"
    r"billion|thousand))?"
)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")


def shared_points(articles: list[Article]) -> list[str]:
    """Names, places and figures that every article of the story mentions."""
    if len(articles) < 2:
        return []
    texts = [f"{a.title}\n{plain_text(a.body)}" for a in articles]
    tagged = [set(a.places) | set(a.people) | set(a.organizations) for a in articles]
    common = sorted(set.intersection(*tagged))
    words = {w.lower() for t in texts for w in re.findall(r"\b[a-z]+\b", t)}
    for pattern in (_NAME, _FIGURE):
        found = [{m.group(0).strip() for m in pattern.finditer(t)} for t in texts]
        for item in sorted(set.intersection(*found)):
            figure = item[:1].isdigit()
            if item in common or (figure and len(item.replace(",", "")) < 3):
                continue  # days of the month, small counts: every report has some
            if not figure and (len(item) <= 2 or item.lower() in words | MONTHS):
                continue  # "The", "Officials": common words at a sentence start
            common.append(item)
    return common[:20]


class StoryColumn(VerticalScroll, can_focus=True):
    """One article of the story: its source, grade and date, then its text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Down", show=False, id="story.down"),
        Binding("k,up", "scroll_up", "Up", show=False, id="story.up"),
        Binding("space", "page_down", "Page down", show=False, id="story.page_down"),
    ]

    def __init__(self, article: Article, label: str, grade: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.article = article
        self.border_title = Text(f"{label} ({grade}) · {format_date(article.published)}")

    def compose(self) -> ComposeResult:
        yield Static(id="story-text", markup=False)


class StoryScreen(Screen[str | None]):
    """The story's articles side by side; dismissed with the id of an article to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss_story", "Back", id="story.close"),
        Binding(
            "right_square_bracket,tab", "step(1)", "Next article", key_display="]", id="story.next"
        ),
        Binding(
            "left_square_bracket,shift+tab",
            "step(-1)",
            "Previous",
            key_display="[",
            id="story.previous",
        ),
        Binding("enter", "open_article", "Open in the Reader", id="story.open"),
    ]

    def __init__(
        self, story: Story, articles: list[Article], workspace: Workspace, current: str = ""
    ) -> None:
        super().__init__()
        self.story = story
        self.articles = articles
        self.workspace = workspace
        ids = [article.id for article in articles]
        self.current = ids.index(current) if current in ids else 0
        """The article with the focus (at first, the one open in the Reader)."""

    def compose(self) -> ComposeResult:
        story = self.story
        span = story_span(story)
        sources = ", ".join(self.workspace.source(s).name for s in story.sources)
        head = Text(story.title, style="bold")
        head.append(f"\n{span} · {len(self.articles)} articles · {sources}", style="dim")
        shared = shared_points(self.articles)
        if shared:
            head.append("\nIn all of them: ", style="bold")
            head.append(", ".join(shared))
        yield Static(head, id="story-head", markup=False)
        with Horizontal(id="story-columns"):
            for number, article in enumerate(self.articles):
                source = self.workspace.source(article.source)
                yield StoryColumn(article, source.label, source.grade, id=f"story-{number}")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for number, article in enumerate(self.articles):
            column = self.query_one(f"#story-{number}", StoryColumn)
            source = self.workspace.source(article.source)
            body = article_renderable(article, source, self.workspace.themes)
            column.query_one("#story-text", Static).update(Group(body))
        self.show_current()

    def on_resize(self) -> None:
        self.show_current()

    def show_current(self) -> None:
        """Show the current article (and, when wide, the next one beside it)."""
        visible = 2 if self.size.width >= WIDE else 1
        first = min(self.current, max(0, len(self.articles) - visible))
        for number in range(len(self.articles)):
            column = self.query_one(f"#story-{number}", StoryColumn)
            column.display = first <= number < first + visible
        self.query_one(f"#story-{self.current}", StoryColumn).focus()

    def action_step(self, step: int) -> None:
        self.current = (self.current + step) % len(self.articles)
        self.show_current()

    def action_open_article(self) -> None:
        focused = self.focused
        if isinstance(focused, StoryColumn):
            self.dismiss(focused.article.id)

    def action_dismiss_story(self) -> None:
        self.dismiss(None)

    def on_descendant_focus(self) -> None:
        focused = self.focused
        if isinstance(focused, StoryColumn) and focused.id:
            self.current = int(focused.id.rsplit("-", 1)[1])
