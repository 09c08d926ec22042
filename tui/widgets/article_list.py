"""The Articles pane: the current result list, best match or newest first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets.option_list import Option

from index.models import SearchHit, Source

from ..marks import marks_for
from ..messages import ArticleChosen
from ..render import format_date, snippet_text
from .pane_list import PaneList

LOAD_MORE_AHEAD = 10
"""Ask for the next page when the cursor gets this close to the end of the list."""


@dataclass
class MoreWanted(Message):
    """The cursor is near the end of a list that has more results."""

    loaded: int


class ArticleList(PaneList):
    """Rows of title, source · date · theme marks, and (with a query) the best snippet."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Open", id="articles.open")]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.hits: list[SearchHit] = []
        self.total = 0
        self._read: frozenset[str] = frozenset()
        self._new: frozenset[str] = frozenset()
        self._sources: Mapping[str, Source] = {}
        self._marks: Mapping[str, Text] = {}
        self._with_snippets = False
        self._asked_for_more = False

    def show(
        self,
        hits: Iterable[SearchHit],
        total: int,
        *,
        read: frozenset[str],
        sources: Mapping[str, Source],
        marks: Mapping[str, Text],
        with_snippets: bool,
        append: bool = False,
        empty_message: str = "No articles match.",
        new: frozenset[str] = frozenset(),
    ) -> None:
        """Replace the list (or append a further page), keeping the cursor on the same article.

        `new` are articles fetched lately: marked "new" until read.
        """
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        self._read, self._sources, self._marks = read, sources, marks
        self._new = new
        self._with_snippets = with_snippets
        new_hits = list(hits)
        if append:
            listed = {hit.id for hit in self.hits}
            new_hits = [hit for hit in new_hits if hit.id not in listed]
        self.hits = self.hits + new_hits if append else new_hits
        self.total = total
        self._asked_for_more = False
        if append:
            self.add_options(self._option(hit) for hit in new_hits)
            return
        if not self.hits:
            self.set_options([Option(Text(empty_message, style="dim italic"), disabled=True)])
            return
        self.set_options(self._option(hit) for hit in self.hits)
        self.restore_highlight(highlighted)

    def set_read(self, read: frozenset[str]) -> None:
        """Redraw the rows whose read mark changed."""
        changed = self._read ^ read
        self._read = read
        for index, hit in enumerate(self.hits):
            if hit.id in changed:
                self.replace_option_prompt_at_index(index, self._prompt(hit))

    @property
    def highlighted_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def _option(self, hit: SearchHit) -> Option:
        return Option(self._prompt(hit), id=hit.id)

    def _prompt(self, hit: SearchHit) -> Text:
        read = hit.id in self._read
        prompt = Text(hit.title, style="dim" if read else "bold")
        source = self._sources.get(hit.source)
        details = Text(f"\n{source.label if source else hit.source} · {format_date(hit.published)}")
        details.stylize("dim")
        prompt.append_text(details)
        if hit.id in self._new and not read:
            prompt.append(" · new", style="bold")
        marks = marks_for(hit.themes, self._marks)
        if marks:
            prompt.append(" ")
            prompt.append_text(marks)
        if hit.also_in:
            labels = [self._sources[s].label if s in self._sources else s for s in hit.also_in]
            prompt.append(f" · also in {', '.join(labels)}", style="italic dim")
        if self._with_snippets and hit.snippets:
            width = max(30, self.size.width - 4)
            snippet = snippet_text(hit.snippets[0], max_chars=2 * width - 4)
            snippet.stylize("dim" if read else "")
            prompt.append("\n")
            prompt.append_text(snippet)
        return prompt

    def on_option_list_option_selected(self, event: PaneList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ArticleChosen(event.option.id))

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        near_end = highlighted is not None and highlighted >= len(self.hits) - LOAD_MORE_AHEAD
        if near_end and len(self.hits) < self.total and not self._asked_for_more:
            self._asked_for_more = True
            self.post_message(MoreWanted(len(self.hits)))
