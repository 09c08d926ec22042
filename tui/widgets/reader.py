"""The Reader pane: the open article, laid out line by line (Textual's line API).

Laying the text out ourselves means every screen line knows which characters
of the article's plain text it shows, so query matches, annotated passages,
the sentence cursor and a selection can all be drawn by their offsets, and
jumped to, whatever the width.

Keys: j/k scroll by line (or, while selecting, extend the selection by a
sentence), J/K move by paragraph, space/b page, g/G top/bottom, v starts a
selection, a annotates it (or the current sentence), A notes the whole
article, Esc cancels a selection.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from index import Document, parse_body, sentence_spans
from index.models import Article, Source, Theme

from ..render import article_header, block_text
from .article_lines import Line, spans_near, stylize_span, wrap_block

EMPTY_HINT = "No article open.\n\nChoose one in Articles (3) and press Enter, or press / to search."


@dataclass
class AnnotateRequested(Message):
    """The user asked to annotate `span` (plain-text offsets), or the whole article."""

    span: tuple[int, int] | None


class ArticleView(ScrollView, can_focus=True):
    """Shows one article with a sentence cursor; see the module docstring for keys."""

    PARTS = ("match", "match-current", "annotated", "cursor", "selection", "flash", "rule", "hint")
    COMPONENT_CLASSES: ClassVar[set[str]] = {f"reader--{part}" for part in PARTS}
    """What the Reader draws in its own styles (app.tcss: `ArticleView > .reader--match`…)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "down", "Down", show=False, id="reader.down"),
        Binding("k,up", "up", "Up", show=False, id="reader.up"),
        Binding("J", "paragraph(1)", "Next paragraph", show=False, id="reader.paragraph_next"),
        Binding(
            "K", "paragraph(-1)", "Previous paragraph", show=False, id="reader.paragraph_previous"
        ),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="reader.page_down"),
        Binding("b,pageup", "page(-1)", "Page up", show=False, id="reader.page_up"),
        Binding("g,home", "top", "Top", show=False, id="reader.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="reader.bottom"),
        Binding("v", "select", "Select", id="reader.select"),
        Binding("a", "annotate", "Annotate", id="reader.annotate"),
        Binding("A", "annotate_article", "Note article", show=False, id="reader.annotate_article"),
        Binding("escape", "cancel_selection", "Cancel selection", id="reader.cancel_selection"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.article: Article | None = None
        self.document: Document | None = None
        self._source: Source | None = None
        self._themes: dict[str, Theme] = {}
        self._same_story: tuple[str, ...] = ()
        self.matches: list[tuple[int, int]] = []
        self._longest_match = 0
        self.current_match = -1
        self.annotated: list[tuple[int, int]] = []
        self.sentences: tuple[tuple[int, int], ...] = ()
        self.cursor = 0
        """Index of the current sentence."""
        self.selection_anchor: int | None = None
        """Sentence where the selection started, while selecting."""
        self.flash: tuple[int, int] | None = None
        """A passage shown after jumping to it from the Notes pane."""
        self._lines: list[Line] = []
        self._body_lines: list[int] = []
        self._body_starts: list[int] = []
        self._sentence_starts: list[int] = []
        self._laid_out_width = 0

    # -- what to show ----------------------------------------------------------------

    def show(
        self,
        article: Article,
        source: Source,
        themes: dict[str, Theme],
        matches: list[tuple[int, int]],
        to_first_match: bool = False,
        same_story: Sequence[str] = (),
    ) -> None:
        """Show an article from the top, or (`to_first_match`) at its first query match,
        with the sentence cursor there; `same_story` lists the story's other articles."""
        self.article, self._source, self._themes = article, source, themes
        self._same_story = tuple(same_story)
        self.document = parse_body(article.body)
        self.sentences = sentence_spans(self.document)
        self._sentence_starts = [start for start, _end in self.sentences]
        self.set_matches(matches)
        self.annotated = []
        self.cursor, self.selection_anchor, self.flash = 0, None, None
        self._layout()
        self.scroll_to(0, 0, animate=False)
        if to_first_match and self.matches:
            self._go_to_match(0)
        self._update_subtitle()

    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        """New query matches for the same article."""
        self.matches = sorted(matches)
        self._longest_match = max((end - start for start, end in self.matches), default=0)
        self.current_match = -1
        self.refresh()  # matches are drawn over the laid-out text, not laid out
        self._update_subtitle()

    def set_annotated(self, spans: list[tuple[int, int]]) -> None:
        """Passages the user annotated, drawn underlined."""
        self.annotated = sorted(spans)
        self.refresh()

    def clear(self) -> None:
        self.article = self.document = None
        self.matches, self.annotated, self.sentences = [], [], ()
        self._sentence_starts = []
        self._layout()
        self._update_subtitle()

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected passage, or the current sentence when nothing is selected."""
        if not self.sentences:
            return None
        first = self.cursor if self.selection_anchor is None else self.selection_anchor
        low, high = sorted((first, self.cursor))
        return self.sentences[low][0], self.sentences[high][1]

    @property
    def visible_text(self) -> str:
        """The lines currently on screen, for tests and screen readers."""
        top = round(self.scroll_offset.y)
        return "\n".join(line.text.plain for line in self._lines[top : top + self.size.height])

    def reveal(self, start: int, end: int) -> None:
        """Scroll to a passage and flash it (after a jump from the Notes pane)."""
        self.flash = (start, end)
        self.selection_anchor = None
        self.cursor = self._sentence_at(start)
        self.scroll_to(y=max(0, self._line_of(start) - 2), animate=False)
        self.refresh()

    # -- layout ----------------------------------------------------------------------

    def _layout(self) -> None:
        width = max(10, self.scrollable_content_region.width)
        self._laid_out_width = width
        console = self.app.console
        lines: list[Line] = []
        if self.article is None or self.document is None or self._source is None:
            hint = Text(EMPTY_HINT).wrap(console, width)
            lines.extend(Line(line, component="reader--hint") for line in hint)
        else:
            header = article_header(self.article, self._source, self._themes, self._same_story)
            lines.extend(Line(line) for line in header.wrap(console, width))
            lines.append(Line(Text("─" * width), component="reader--rule"))
            for block in self.document.blocks:
                lines.append(Line(Text("")))
                text = block_text(block)
                lead = len(text.plain) - len(block.text)
                lines.extend(wrap_block(text, block.start, lead, width, console))
        self._lines = lines
        self._body_lines = [i for i, line in enumerate(lines) if line.doc_start is not None]
        self._body_starts = [lines[i].doc_start or 0 for i in self._body_lines]
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width and width != self._laid_out_width:
            anchor = self._top_offset() if self.scroll_offset.y > 0 else None
            self._layout()
            if anchor is not None:
                self.scroll_to(y=self._line_of(anchor), animate=False)

    def _top_offset(self) -> int | None:
        top = round(self.scroll_offset.y)
        position = bisect_right(self._body_lines, top - 1)
        return self._body_starts[position] if position < len(self._body_starts) else None

    def _line_of(self, offset: int) -> int:
        """The index of the screen line showing plain-text `offset`."""
        position = bisect_right(self._body_starts, offset) - 1
        return self._body_lines[position] if position >= 0 else 0

    def _sentence_at(self, offset: int) -> int:
        """The sentence that holds `offset` (or the last one starting before it)."""
        return max(0, bisect_right(self._sentence_starts, offset) - 1)

    # -- rendering -------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        line = self._lines[index]
        text = line.text.copy()
        if line.doc_start is not None:
            last = line.doc_start + len(text) - line.lead
            for span, span_style in self._overlays(line.doc_start, last):
                stylize_span(text, line, span, span_style)
        if line.component is not None:
            text.stylize_before(self._component_style(line.component))
        text.stylize_before(style)
        strip = Strip(list(text.render(self.app.console)), text.cell_len)
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    def _overlays(self, first: int, last: int) -> list[tuple[tuple[int, int], Style]]:
        """Passages to style over offsets `first` to `last`, in drawing order (later win)."""
        style = self._component_style
        near = spans_near(self.matches, self._longest_match, first, last)
        overlays = [(span, style("reader--match")) for span in near]
        overlays += [(span, style("reader--annotated")) for span in self.annotated]
        if self.has_focus and self.sentences:
            selected = self.selection
            if selected is not None:
                selecting = self.selection_anchor is not None
                chosen = style("reader--selection" if selecting else "reader--cursor")
                overlays.append((selected, chosen))
        if 0 <= self.current_match < len(self.matches):
            overlays.append((self.matches[self.current_match], style("reader--match-current")))
        if self.flash is not None:
            overlays.append((self.flash, style("reader--flash")))
        return overlays

    def _component_style(self, name: str) -> Style:
        """What component class `name` sets and nothing more, so overlays layer (the
        cursor keeps an annotation's colour); its colours are resolved against the
        reader's background, so a translucent or `auto` colour comes out right."""
        full = self.get_component_rich_style(name)
        own = self.get_component_rich_style(name, partial=True)
        return own + Style(
            color=full.color if own.color is not None else None,
            bgcolor=full.bgcolor if own.bgcolor is not None else None,
        )

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- movement ----------------------------------------------------------------------

    def action_down(self) -> None:
        if self.selection_anchor is not None:
            self._move_cursor(self.cursor + 1)
        else:
            self.scroll_relative(y=1, animate=False)
            self._keep_cursor_visible()

    def action_up(self) -> None:
        if self.selection_anchor is not None:
            self._move_cursor(self.cursor - 1)
        else:
            self.scroll_relative(y=-1, animate=False)
            self._keep_cursor_visible()

    def action_paragraph(self, direction: int) -> None:
        """Move the cursor to the first sentence of the next or previous block."""
        if not self.sentences or self.document is None:
            return
        here = self.sentences[self.cursor][0]
        blocks = [block.start for block in self.document.blocks]
        current = bisect_right(blocks, here) - 1
        target = min(max(current + direction, 0), len(blocks) - 1)
        if direction < 0 and here > blocks[max(current, 0)]:
            target = max(current, 0)  # K from mid-paragraph goes to its start first
        self._move_cursor(self._sentence_at(blocks[target]))

    def action_page(self, direction: int) -> None:
        self.scroll_relative(y=direction * max(1, self.size.height - 2), animate=False)
        self._keep_cursor_visible()

    def action_top(self) -> None:
        self.scroll_home(animate=False)
        self._keep_cursor_visible()

    def action_bottom(self) -> None:
        self.scroll_end(animate=False)
        self._keep_cursor_visible()

    def action_match(self, direction: int) -> None:
        if not self.matches:
            self.app.bell()
            self.notify("No matches of the query in this article.", timeout=2, markup=False)
            return
        self._go_to_match((self.current_match + direction) % len(self.matches))
        self._update_subtitle()
        self.refresh()

    def _go_to_match(self, index: int) -> None:
        self.current_match = index
        start = self.matches[index][0]
        self.scroll_to(y=max(0, self._line_of(start) - 2), animate=False)
        if self.selection_anchor is None:
            self.cursor = self._sentence_at(start)

    def _move_cursor(self, index: int) -> None:
        if not self.sentences:
            return
        self.cursor = min(max(index, 0), len(self.sentences) - 1)
        self.flash = None
        start, end = self.sentences[self.cursor]
        top, height = round(self.scroll_offset.y), self.size.height
        first, last = self._line_of(start), self._line_of(max(start, end - 1))
        if first < top:
            self.scroll_to(y=first, animate=False)
        elif last >= top + height:
            fits = last - first < height
            self.scroll_to(y=last - height + 1 if fits else first, animate=False)
        self.refresh()

    def _keep_cursor_visible(self) -> None:
        """After scrolling, bring the cursor back on screen (to the nearest visible sentence)."""
        if not self.sentences:
            return
        top, height = round(self.scroll_offset.y), self.size.height
        line = self._line_of(self.sentences[self.cursor][0])
        if top <= line < top + height:
            return
        if line < top:
            first_shown = self._top_offset()
            if first_shown is not None:
                self.cursor = min(
                    bisect_left(self._sentence_starts, first_shown), len(self.sentences) - 1
                )
        else:
            bottom = bisect_right(self._body_lines, top + height - 1) - 1
            if bottom >= 0:
                self.cursor = self._sentence_at(self._body_starts[bottom])
                if self._line_of(self.sentences[self.cursor][0]) < top:
                    self.cursor = min(self.cursor + 1, len(self.sentences) - 1)
        self.flash = None
        self.refresh()

    # -- selecting and annotating --------------------------------------------------------

    def action_select(self) -> None:
        """Start a selection at the current sentence (v again ends it)."""
        if not self.sentences:
            return
        self.selection_anchor = None if self.selection_anchor is not None else self.cursor
        self.refresh()

    def action_cancel_selection(self) -> None:
        self.selection_anchor = None
        self.refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc only belongs to the reader while selecting; otherwise the screen has it."""
        if action == "cancel_selection":
            return self.selection_anchor is not None
        if action in ("select", "annotate", "annotate_article"):
            return self.article is not None
        return True

    def action_annotate(self) -> None:
        span = self.selection
        if span is not None:
            self.selection_anchor = None
            self.post_message(AnnotateRequested(span))
            self.refresh()

    def action_annotate_article(self) -> None:
        if self.article is not None:
            self.post_message(AnnotateRequested(None))

    def _update_subtitle(self) -> None:
        if self.matches:
            current = self.current_match + 1 if self.current_match >= 0 else "–"
            self.border_subtitle = f"match {current}/{len(self.matches)} · n/N"
        else:
            self.border_subtitle = ""
