"""Short, coloured marks for themes, so a list row can show its themes in a few cells."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text

from index.models import Theme

PALETTE = ("yellow", "cyan", "magenta", "green", "blue", "red", "bright_yellow", "bright_cyan")
SPARK_LEVELS = "▂▃▄▅▆▇█"


def theme_marks(themes: Mapping[str, Theme]) -> dict[str, Text]:
    """One letter per theme (its initial, or the next free letter of its name), coloured."""
    marks: dict[str, Text] = {}
    used: set[str] = set()
    for position, theme in enumerate(themes.values()):
        letters = [c.upper() for c in theme.name + theme.id if c.isalnum()]
        letter = next((c for c in letters if c not in used), str(position + 1))
        used.add(letter)
        colour = PALETTE[position % len(PALETTE)]
        marks[theme.id] = Text(letter, style=f"bold {colour}")
    return marks


def marks_for(theme_ids: Iterable[str], marks: Mapping[str, Text]) -> Text:
    result = Text()
    for theme_id in theme_ids:
        if theme_id in marks:
            result.append_text(marks[theme_id])
    return result


def sparkline(values: list[int]) -> Text:
    """A one-line bar chart; months with no articles show as a dim baseline."""
    peak = max(values, default=0)
    line = Text()
    for value in values:
        if value == 0 or peak == 0:
            line.append("▁", style="dim")
        else:
            level = min(len(SPARK_LEVELS) - 1, (value * len(SPARK_LEVELS) - 1) // peak)
            line.append(SPARK_LEVELS[level])
    return line


def month_axis(months: Iterable[str], limit: int = 24) -> list[str]:
    """Every month from the first to the last given ("2024-03"), at most the last `limit`."""
    present = sorted(set(months))
    if not present:
        return []
    first_year, first_month = map(int, present[0].split("-"))
    last_year, last_month = map(int, present[-1].split("-"))
    axis = []
    year, month = first_year, first_month
    while (year, month) <= (last_year, last_month):
        axis.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return axis[-limit:]
