"""Timelines: articles per period by source, every period present, dates on the axis."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from index.engine.timeline import make_timeline
from tui.cli import main
from tui.render import timeline_chart

from .test_stories import DATA, write_reports


def day(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal()


def test_periods_run_without_gaps_and_the_unit_fits_the_span() -> None:
    dated = [(day("2024-07-01"), "kcna"), (day("2024-07-03"), "kcna"), (day("2024-07-03"), "nk")]
    timeline = make_timeline(dated)
    assert timeline.unit == "day" and len(timeline.periods) == 3
    assert timeline.counts == {"kcna": (1, 0, 1), "nk": (0, 0, 1)}
    assert timeline.totals == (1, 0, 2)
    yearly = make_timeline([(day("2023-01-10"), "a"), (day("2024-12-31"), "a")], periods=60)
    assert yearly.unit == "month" and yearly.periods[0] == dt.date(2023, 1, 1)
    assert len(yearly.periods) == 24 and sum(yearly.totals) == 2
    weekly = make_timeline([(day("2024-07-03"), "a"), (day("2024-09-30"), "a")], periods=60)
    assert weekly.unit == "week" and weekly.periods[0] == dt.date(2024, 7, 1)  # a Monday


def test_the_chart_has_a_row_per_source_and_labelled_dates() -> None:
    dated = [(day("2024-01-01") + n, "kcna" if n % 3 else "daily-nk") for n in range(90)]
    chart = timeline_chart(make_timeline(dated, "day"), str.upper, width=120).plain
    rows = chart.splitlines()
    assert rows[0].startswith("KCNA") and rows[1].startswith("DAILY-NK")
    assert rows[0].endswith(" 60") and rows[1].endswith(" 30")
    assert "2024-01-01" in rows[2] and "2024-03-30" in rows[2] and "2024-02-15" in rows[2]
    assert rows[3].strip() == "one bar per day; the tallest is 1"
    narrow = timeline_chart(make_timeline(dated, "day"), str.upper, width=60).plain
    assert "one bar per 3 days" in narrow and "2024-03-28" in narrow  # the last bar starts then


def test_the_command_draws_and_prints_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "c"
    shutil.copytree(DATA / "stories", content)
    write_reports(content)
    where = ["--content", str(content), "--data", str(tmp_path / "d")]
    assert main(["timeline", "Rason", *where]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Rason: 3 dated articles") and "2026-11-23 … 2026-11-25" in out
    assert main(["timeline", "--json", *where]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unit"] == "day" and data["periods"][0] == "2026-11-19"
    assert sum(data["sources"]["state-wire"]) == 3 and sum(data["sources"]["test-news"]) == 3
