"""The Reader pane: the open article, laid out line by line (Textual's line API).

Laying the text out ourselves means every screen line knows which characters
of the article's plain text it shows, so query matches can be highlighted and
jumped to (n/N) by their offsets, whatever the width.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from index.document import Document, parse_body
from index.models import Article, Source, Theme

from ..render import article_header, block_text

CURRENT_MATCH_STYLE = "bold black on yellow"
EMPTY_HINT = "No article open.\n\nChoose one in Articles (3) and press Enter, or press / to search."


@dataclass(frozen=True)
class _Line:
    text: Text
    doc_start: int | None = None
    """Offset in the plain text of the first article character on this line."""
    lead: int = 0
    """Characters on the line before that one (a list marker, a heading bar)."""


class ArticleView(ScrollView, can_focus=True):
    """Shows one article; j/k scroll by line, space/b by page.

    n/N (bound on the screen, so they work from any pane) call `action_match`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "line(1)", "Down", show=False),
        Binding("k,up", "line(-1)", "Up", show=False),
        Binding("space,pagedown", "page(1)", "Page down", show=False),
        Binding("b,pageup", "page(-1)", "Page up", show=False),
        Binding("g,home", "top", "Top", show=False),
        Binding("G,end", "bottom", "Bottom", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.article: Article | None = None
        self.document: Document | None = None
        self._source: Source | None = None
        self._themes: dict[str, Theme] = {}
        self.matches: list[tuple[int, int]] = []
        self.current_match = -1
        self._lines: list[_Line] = []
        self._laid_out_width = 0

    # -- what to show --------------------------------------------------------------

    def show(
        self,
        article: Article,
        source: Source,
        themes: dict[str, Theme],
        matches: list[tuple[int, int]],
    ) -> None:
        self.article, self._source, self._themes = article, source, themes
        self.document = parse_body(article.body)
        self.matches = sorted(matches)
        self.current_match = -1
        self._layout()
        self.scroll_to(0, 0, animate=False)
        self._update_subtitle()

    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        """New query matches for the same article."""
        self.matches = sorted(matches)
        self.current_match = -1
        self._layout()
        self._update_subtitle()

    def clear(self) -> None:
        self.article = self.document = None
        self.matches = []
        self._layout()
        self._update_subtitle()

    @property
    def visible_text(self) -> str:
        """The lines currently on screen, for tests and screen readers."""
        top = round(self.scroll_offset.y)
        return "\n".join(line.text.plain for line in self._lines[top : top + self.size.height])

    # -- layout ----------------------------------------------------------------------

    def _layout(self) -> None:
        width = max(10, self.scrollable_content_region.width)
        self._laid_out_width = width
        console = self.app.console
        lines: list[_Line] = []
        if self.article is None or self.document is None or self._source is None:
            for line in Text(EMPTY_HINT, style="dim").wrap(console, width):
                lines.append(_Line(line))
        else:
            for line in article_header(self.article, self._source, self._themes).wrap(
                console, width
            ):
                lines.append(_Line(line))
            lines.append(_Line(Text("─" * width, style="dim")))
            for block in self.document.blocks:
                lines.append(_Line(Text("")))
                text = block_text(block, self.matches)
                lead = len(text.plain) - len(block.text)
                lines.extend(_wrap_block(text, block.start, lead, width, console))
        self._lines = lines
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
        for line in self._lines[round(self.scroll_offset.y) :]:
            if line.doc_start is not None:
                return line.doc_start
        return None

    def _line_of(self, offset: int) -> int:
        """The index of the screen line showing plain-text `offset`."""
        best = 0
        for index, line in enumerate(self._lines):
            if line.doc_start is not None and line.doc_start <= offset:
                best = index
        return best

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
        if 0 <= self.current_match < len(self.matches) and line.doc_start is not None:
            start, end = self.matches[self.current_match]
            local_start = line.lead + start - line.doc_start
            local_end = line.lead + end - line.doc_start
            if local_end > line.lead and local_start < len(text):
                text.stylize(CURRENT_MATCH_STYLE, max(local_start, 0), local_end)
        text.stylize_before(style)
        strip = Strip(list(text.render(self.app.console)), text.cell_len)
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    # -- actions -----------------------------------------------------------------------

    def action_line(self, delta: int) -> None:
        self.scroll_relative(y=delta, animate=False)

    def action_page(self, direction: int) -> None:
        self.scroll_relative(y=direction * max(1, self.size.height - 2), animate=False)

    def action_top(self) -> None:
        self.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.scroll_end(animate=False)

    def action_match(self, direction: int) -> None:
        if not self.matches:
            self.app.bell()
            self.notify("No matches of the query in this article.", timeout=2)
            return
        self.current_match = (self.current_match + direction) % len(self.matches)
        line = self._line_of(self.matches[self.current_match][0])
        self.scroll_to(y=max(0, line - 2), animate=False)
        self._update_subtitle()
        self.refresh()

    def _update_subtitle(self) -> None:
        if self.matches:
            current = self.current_match + 1 if self.current_match >= 0 else "–"
            self.border_subtitle = f"match {current}/{len(self.matches)} · n/N"
        else:
            self.border_subtitle = ""


def _wrap_block(text: Text, doc_start: int, lead: int, width: int, console: object) -> list[_Line]:
    """Wrap one block, recording where in the plain text each line starts."""
    plain = text.plain
    lines = []
    cursor = 0
    for number, line in enumerate(text.wrap(console, width)):  # type: ignore[arg-type]
        piece = line.plain.rstrip()
        found = plain.find(piece, cursor) if piece else cursor
        position = found if found >= 0 else cursor
        line_lead = lead if number == 0 else 0
        start = doc_start + max(0, position + line_lead - lead)
        lines.append(_Line(line, start, line_lead))
        cursor = position + len(piece)
    return lines
