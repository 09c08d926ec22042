"""The Sources, Themes and Years · Places panes: facet lists whose Enter toggles a filter.

Sources and Themes also take the curating keys (grade a source, edit a theme,
save the query as one, put the open article in or out of one); the panes only
ask, by message, and the screen does the work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.table import Table
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


def _row(left: Text, right: str) -> Table:
    """A prompt with `right` aligned to the pane's right edge."""
    grid = Table.grid(expand=True)
    grid.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(left, Text(right, style="dim"))
    return grid


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
            prompt = Table.grid(expand=True)
            prompt.add_column(ratio=1)
            prompt.add_row(_row(label, f"{counts.get(theme_id, 0):>4}"))
            if axis:
                prompt.add_row(spark)
            options.append(Option(prompt, id=theme_id))
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
        if event.option.id:
            kind, _, value = event.option.id.partition(":")
            self.post_message(FilterToggled(kind, value))
