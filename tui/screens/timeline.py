"""When: the current results over time, a row per source, and a period to filter by.

Opened with `T` (or "timeline of the results" in the palette) from the
reading room: the articles of the query and filters on screen, per day, week
or month (the finest that fits), each source's row on one scale, the dates
beneath. ← and → (h, l) move the cursor over the bars, the line below says
what the period under it holds, Enter adds that period to the query
(`date:[start to end]`, which the list then shows), Esc goes back.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from index import Workspace
from index.models import Timeline

from ..render import chart_step, timeline_chart

ROWS = 6


class TimelineScreen(ModalScreen[tuple[dt.date, dt.date] | None]):
    """Dismissed with the (first, last) day of the chosen period, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss_timeline", "Back", id="timeline.close"),
        Binding("left,h", "move(-1)", "Earlier", key_display="←", id="timeline.earlier"),
        Binding("right,l", "move(1)", "Later", key_display="→", id="timeline.later"),
        Binding("home,g", "move(-100000)", "First", show=False, id="timeline.first"),
        Binding("end,G", "move(100000)", "Last", show=False, id="timeline.last"),
        Binding("enter", "choose", "Filter by this period", id="timeline.choose"),
    ]

    def __init__(self, timeline: Timeline, workspace: Workspace, what: str) -> None:
        super().__init__()
        self.timeline = timeline
        self.workspace = workspace
        self.what = what
        self.cursor = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="timeline-box"):
            yield Static(Text(self.what, style="bold"), id="timeline-title", markup=False)
            yield Static(id="timeline-chart", markup=False)
            yield Static(id="timeline-period", markup=False)

    @property
    def step(self) -> int:
        return chart_step(self.timeline, self._width())

    def _width(self) -> int:
        box = self.query_one("#timeline-box").size.width
        return max(40, (box or self.size.width) - 4)

    @property
    def bars(self) -> int:
        return -(-len(self.timeline.periods) // self.step)

    def on_mount(self) -> None:
        self.cursor = max(0, self.bars - 1)  # the latest period first
        self.call_after_refresh(self.draw)

    def on_resize(self) -> None:
        self.cursor = min(self.cursor, max(0, self.bars - 1))
        self.draw()

    def period(self) -> tuple[dt.date, dt.date]:
        """The first and last day under the cursor."""
        starts = self.timeline.periods
        first = starts[self.cursor * self.step]
        last_start = starts[min(len(starts) - 1, (self.cursor + 1) * self.step - 1)]
        return first, self.timeline.after(last_start) - dt.timedelta(days=1)

    def draw(self) -> None:
        chart = self.query_one("#timeline-chart", Static)
        period = self.query_one("#timeline-period", Static)
        if not self.timeline.periods:
            chart.update(Text("No dated articles in these results.", style="dim"))
            return
        label = lambda source: self.workspace.source(source).label  # noqa: E731
        chart.update(timeline_chart(self.timeline, label, self._width(), ROWS, self.cursor))
        first, last = self.period()
        lo, hi = self.cursor * self.step, (self.cursor + 1) * self.step
        counts = {s: sum(c[lo:hi]) for s, c in self.timeline.counts.items()}
        counts = {s: n for s, n in counts.items() if n}
        told = ", ".join(f"{label(s)} {n}" for s, n in counts.items()) or "no articles"
        line = Text(f"{first.isoformat()} – {last.isoformat()}: ", style="bold")
        line.append(f"{sum(counts.values())} ({told})" if counts else told)
        line.append("   ← → move · Enter filters the list by this period · Esc back", style="dim")
        period.update(line)

    def action_move(self, step: int) -> None:
        self.cursor = min(max(0, self.cursor + step), max(0, self.bars - 1))
        self.draw()

    def action_choose(self) -> None:
        if self.timeline.periods:
            self.dismiss(self.period())

    def action_dismiss_timeline(self) -> None:
        self.dismiss(None)
