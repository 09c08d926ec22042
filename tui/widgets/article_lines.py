"""An article laid out as screen lines that know which plain-text offsets they show.

Pure text work for the Reader (`reader.py`): wrapping a block to a width while
recording where each line starts, finding the passages near a line, and styling
the part of a line that shows a passage given by plain-text offsets.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.style import Style
from rich.text import Text


@dataclass(frozen=True)
class Line:
    """One screen line of the Reader."""

    text: Text
    doc_start: int | None = None
    """Offset in the plain text of the first article character on this line."""
    lead: int = 0
    """Characters on the line before that one (a list marker, a heading bar)."""
    component: str | None = None
    """A component class of the Reader that styles the whole line (the rule, the hint)."""


def stylize_span(text: Text, line: Line, span: tuple[int, int], style: Style) -> None:
    """Style the part of `line` (whose `text` is given) that shows plain-text `span`."""
    assert line.doc_start is not None
    start = line.lead + span[0] - line.doc_start
    end = line.lead + span[1] - line.doc_start
    if end > line.lead and start < len(text):
        text.stylize(style, max(start, line.lead), min(end, len(text)))


def spans_near(
    spans: Sequence[tuple[int, int]], longest: int, first: int, last: int
) -> Sequence[tuple[int, int]]:
    """The spans that may touch offsets `first` to `last`, out of `spans` sorted and none
    longer than `longest`, found by bisection, so a line need not look at every match."""
    low = bisect_left(spans, (first - longest + 1, -1))
    return spans[low : bisect_left(spans, (last, -1))]


def wrap_block(text: Text, doc_start: int, lead: int, width: int, console: Console) -> list[Line]:
    """Wrap one block, recording where in the plain text each line starts."""
    plain = text.plain
    lines = []
    cursor = 0
    for number, line in enumerate(text.wrap(console, width)):
        piece = line.plain.rstrip()
        found = plain.find(piece, cursor) if piece else cursor
        position = found if found >= 0 else cursor
        line_lead = lead if number == 0 else 0
        start = doc_start + max(0, position + line_lead - lead)
        lines.append(Line(line, start, line_lead))
        cursor = position + len(piece)
    return lines
