"""One line under the panes: the active filters, the result count, background work.

The line is state, not pushed text: it watches the screen's reactive
attributes (`WATCHED`) and redraws from a `StatusView` whenever one of them
changes, so no code has to remember to refresh it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from index import Filters


@dataclass(frozen=True)
class StatusView:
    """What the status line shows; source and theme by their names, not ids."""

    filters: Filters
    source: str | None = None
    theme: str | None = None
    related_to: str | None = None
    shown: int = 0
    total: int | None = None
    """None: no result yet (never a "0 articles" that is not true)."""
    activity: str = ""
    error: str = ""
    hint: str = ""


class StatusLine(Static):
    """Redraws `describe()` whenever a watched attribute of its screen changes."""

    WATCHED = ("state", "activity", "error", "hint", "listed", "related_to")
    """The screen's reactive attributes the line is made from."""

    def __init__(self, describe: Callable[[], StatusView], **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._describe = describe

    def on_mount(self) -> None:
        for name in self.WATCHED:
            self.watch(self.screen, name, self._changed, init=False)
        self._changed()

    def _changed(self) -> None:
        self.update(status_text(self._describe()))


def status_text(view: StatusView) -> Text:
    line = Text()
    if view.related_to:
        line.append("Related to ", style="dim")
        line.append(f"“{view.related_to}”", style="bold")
    else:
        chosen = view.filters
        parts: list[tuple[str, str]] = []
        if chosen.query.strip():
            parts.append(("query", f"“{chosen.query.strip()}”"))
        for label, value in (
            ("source", view.source),
            ("theme", view.theme),
            ("year", chosen.year),
            ("place", chosen.place),
        ):
            if value:
                parts.append((label, value))
        if chosen.unread_only:
            parts.append(("only", "unread"))
        if not parts:
            line.append("All articles", style="dim")
        for index, (label, value) in enumerate(parts):
            if index:
                line.append(" · ", style="dim")
            line.append(f"{label} ", style="dim")
            line.append(value, style="bold")
    if view.total is not None:
        line.append(f"  —  {view.total:,} article{'' if view.total == 1 else 's'}", style="dim")
    if view.hint and not view.error:
        line.append("  · ", style="dim")
        line.append(view.hint, style="italic")
    if view.error:
        line.append("  ⚠ ", style="bold red")
        line.append(view.error, style="red")
    if view.activity:
        line.append("  ⟳ ", style="bold")
        line.append(view.activity)
    return line
