"""The Sources, Themes and Years · Places panes: facet lists whose Enter toggles a filter.

Sources and Themes also take the curating keys (grade a source, edit a theme,
save the query as one, put the open article in or out of one); the panes only
ask, by message, and the screen does the work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets.option_list import Option

from index.models import Source, Theme

from ..marks import month_axis, sparkline
from ..messages import (
    FilterToggled,
    GradeRequested,
    ThemeEditRequested,
    ThemeMembershipToggled,
)
from .pane_list import PaneList

ACTIVE = "● "
INACTIVE = "  "


GAP = 1
"""Cells kept between a long label, cut short, and its count ("Regional inequ… 1982")."""


class _Row:
    """One line: `left`, cut with an ellipsis to fit, and `right` at the pane's right edge.

    What a two-column `Table.grid` draws, without measuring a table for every
    row of every pane at every keystroke (a fifth of the time a result took
    to paint).
    """

    def __init__(self, left: Text, right: str) -> None:
        self.left = left
        self.right = Text(right, style="dim")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        room = max(0, options.max_width - self.right.cell_len - GAP)
        left = self.left.copy()
        left.truncate(room, overflow="ellipsis", pad=True)
        line = Text(no_wrap=True, overflow="crop")  # each part keeps its own style
        line.append_text(left)
        line.append(" " * GAP)
        line.append_text(self.right)
        yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.right.cell_len, options.max_width)


def _row(left: Text, right: str) -> _Row:
    """A prompt with `right` aligned to the pane's right edge."""
    return _Row(left, right)


class FacetPane(PaneList):
    """Shared behaviour: Enter toggles the highlighted value as a filter."""

    KIND = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Toggle filter", id="facets.toggle")
    ]

    def on_option_list_option_selected(self, event: PaneList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(FilterToggled(self.KIND, event.option.id))


class SourcesPane(FacetPane):
    """Each source with its reliability grade and the number of matching articles."""

    KIND = "source"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "grade", "Grade source", id="sources.grade"),
    ]

    def action_grade(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id:
            self.post_message(GradeRequested(option.id))

    def show(
        self,
        sources: Mapping[str, Source],
        counts: Mapping[str, int],
        active: str | None,
        new: Mapping[str, int] | None = None,
    ) -> None:
        """Each source's grade and count; `new` its fetched articles not yet read ("+3")."""
        new = new or {}
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        ids = list(sources) + sorted(set(counts) - set(sources))
        options = []
        for source_id in ids:
            source = sources.get(source_id) or Source(source_id, source_id)
            count = counts.get(source_id, 0)
            label = Text(ACTIVE if source_id == active else INACTIVE, style="bold")
            label.append(source.label, style="" if count else "dim")
            grade = source.grade if source.grade != "unrated" else "?"
            fresh = f"+{new[source_id]} " if new.get(source_id) else ""
            options.append(Option(_row(label, f"{fresh}{grade} {count:>4}"), id=source_id))
        self.set_options(options)
        self.restore_highlight(highlighted)


class ThemesPane(FacetPane):
    """Each theme with its mark, count and a sparkline of matching articles per month."""

    KIND = "theme"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit theme", id="themes.edit"),
        Binding("n", "new", "New theme", id="themes.new"),
        Binding("m", "member", "Article in/out", id="themes.member"),
    ]

    def action_edit(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id:
            self.post_message(ThemeEditRequested(option.id))

    def action_new(self) -> None:
        self.post_message(ThemeEditRequested(None))

    def action_member(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id:
            self.post_message(ThemeMembershipToggled(option.id))

    def show(
        self,
        themes: Mapping[str, Theme],
        counts: Mapping[str, int],
        months: Mapping[str, Mapping[str, int]],
        marks: Mapping[str, Text],
        active: str | None,
        axis_months: Sequence[str] = (),
    ) -> None:
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        axis = month_axis(axis_months)
        options = []
        for theme_id, theme in themes.items():
            label = Text(ACTIVE if theme_id == active else INACTIVE, style="bold")
            label.append_text(marks.get(theme_id, Text(" ")))
            label.append(" " + theme.name)
            spark = Text("    ") + sparkline([months.get(theme_id, {}).get(m, 0) for m in axis])
            row = _row(label, f"{counts.get(theme_id, 0):>4}")
            options.append(Option(Group(row, _row(spark, "")) if axis else row, id=theme_id))
        self.set_options(options)
        self.restore_highlight(highlighted)
        self.border_subtitle = f"{axis[0]} – {axis[-1]}" if axis else ""


class WhenWherePane(FacetPane):
    """Articles per year and per place for the current results; Enter filters by one."""

    KIND = "when-where"

    def show(
        self,
        years: Mapping[str, int],
        places: Mapping[str, int],
        year: str | None,
        place: str | None,
    ) -> None:
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        options: list[Option | None] = [Option(Text("Years", style="bold dim"), disabled=True)]
        for value in sorted(years, key=lambda y: (y != "undated", y), reverse=True):
            label = Text(ACTIVE if value == year else INACTIVE, style="bold")
            label.append(value)
            options.append(Option(_row(label, f"{years[value]:>4}"), id=f"year:{value}"))
        options.append(Option(Text("Places", style="bold dim"), disabled=True))
        for value, count in places.items():
            label = Text(ACTIVE if value == place else INACTIVE, style="bold")
            label.append(value)
            options.append(Option(_row(label, f"{count:>4}"), id=f"place:{value}"))
        self.set_options(option for option in options if option is not None)
        self.restore_highlight(highlighted, fallback=1)

    def on_option_list_option_selected(self, event: PaneList.OptionSelected) -> None:
        event.stop()
        event.prevent_default()  # FacetPane's handler would post this pane's KIND too
        if event.option.id:
            kind, _, value = event.option.id.partition(":")
            self.post_message(FilterToggled(kind, value))
