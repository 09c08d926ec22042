"""One line under the panes: the active filters, the result count, background work."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusLine(Static):
    """Shows `describe()`'s text; the screen calls `update_status` whenever anything changes."""

    def update_status(
        self,
        *,
        query: str,
        source: str | None,
        theme: str | None,
        year: str | None = None,
        place: str | None = None,
        unread_only: bool = False,
        related_to: str | None,
        shown: int,
        total: int | None,
        activity: str = "",
        error: str = "",
        hint: str = "",
    ) -> None:
        line = Text()
        if related_to:
            line.append("Related to ", style="dim")
            line.append(f"“{related_to}”", style="bold")
        else:
            parts: list[tuple[str, str]] = []
            if query:
                parts.append(("query", f"“{query}”"))
            if source:
                parts.append(("source", source))
            if theme:
                parts.append(("theme", theme))
            if year:
                parts.append(("year", year))
            if place:
                parts.append(("place", place))
            if unread_only:
                parts.append(("only", "unread"))
            if not parts:
                line.append("All articles", style="dim")
            for index, (label, value) in enumerate(parts):
                if index:
                    line.append(" · ", style="dim")
                line.append(f"{label} ", style="dim")
                line.append(value, style="bold")
        if total is not None:  # None: no result yet (never a "0 articles" that is not true)
            line.append(f"  —  {total:,} article{'' if total == 1 else 's'}", style="dim")
        if hint and not error:
            line.append("  · ", style="dim")
            line.append(hint, style="italic")
        if error:
            line.append("  ⚠ ", style="bold red")
            line.append(error, style="red")
        if activity:
            line.append("  ⟳ ", style="bold")
            line.append(activity)
        self.update(line)
