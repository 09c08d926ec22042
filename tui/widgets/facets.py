"""The Sources and Themes panes: facet lists whose Enter toggles a filter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets.option_list import Option

from index.models import Source, Theme

from ..marks import month_axis, sparkline
from ..messages import FilterToggled
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

    def show(
        self, sources: Mapping[str, Source], counts: Mapping[str, int], active: str | None
    ) -> None:
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        ids = list(sources) + sorted(set(counts) - set(sources))
        options = []
        for source_id in ids:
            source = sources.get(source_id) or Source(source_id, source_id)
            count = counts.get(source_id, 0)
            label = Text(ACTIVE if source_id == active else INACTIVE, style="bold")
            label.append(source.label, style="" if count else "dim")
            grade = source.grade if source.grade != "unrated" else "?"
            options.append(Option(_row(label, f"{grade} {count:>4}"), id=source_id))
        self.set_options(options)
        self.restore_highlight(highlighted)


class ThemesPane(FacetPane):
    """Each theme with its mark, count and a sparkline of matching articles per month."""

    KIND = "theme"

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
