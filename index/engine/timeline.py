"""A timeline: a query's articles counted per day, week or month, by source.

The unit is the finest that shows the whole span in the periods asked for
(a month of wire reports by day, a year by week, an archive by month), and
every period between the first and the last article is there, empty or not,
so a gap reads as a gap.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from ..errors import QueryError
from ..models import Timeline, next_period

UNITS = ("day", "week", "month")


def period_start(day: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def make_timeline(
    dated: list[tuple[int, str]], unit: str | None = None, periods: int = 60
) -> Timeline:
    """Counts per period and source of (day ordinal, source) pairs."""
    if unit is not None and unit not in UNITS:
        raise QueryError(f"unknown unit {unit!r}: use one of {', '.join(UNITS)}")
    if not dated:
        return Timeline(unit or "day", (), {})
    days = [dt.date.fromordinal(day) for day, _source in dated]
    first, last = min(days), max(days)
    if unit is None:
        span = (last - first).days + 1
        unit = "day" if span <= periods else "week" if span <= 7 * periods else "month"
    starts = [period_start(first, unit)]
    while next_period(starts[-1], unit) <= last:
        starts.append(next_period(starts[-1], unit))
    index = {start: number for number, start in enumerate(starts)}
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for day, (_ordinal, source) in zip(days, dated, strict=True):
        counts[source][index[period_start(day, unit)]] += 1
    ordered = sorted(counts, key=lambda source: (-sum(counts[source].values()), source))
    per_source = {s: tuple(counts[s][n] for n in range(len(starts))) for s in ordered}
    return Timeline(unit, tuple(starts), per_source)
