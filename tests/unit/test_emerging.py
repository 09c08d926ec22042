"""What is emerging: a burst ranks first, a steady frequent word and one-off words never show."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from index.paths import DataPaths
from index.workspace import Workspace
from tui.cli import main

LAST_DAY = dt.date(2024, 9, 30)
ONE_OFF = (
    "walnut",
    "harbour",
    "violin",
    "orchard",
    "glacier",
    "lantern",
    "meadow",
    "quarry",
    "saddle",
    "thimble",
    "tundra",
    "vessel",
)


def burst_library(folder: Path) -> Path:
    """60 articles over 100 days about a cement factory; the last week's six speak of a typhoon."""
    (folder / "articles").mkdir(parents=True)
    (folder / "sources.yaml").write_text(
        "- id: wire\n  name: Wire\n  kind: state media\n  grade: D\n  rationale: test\n"
    )
    for number in range(60):
        day = LAST_DAY - dt.timedelta(days=number * 100 // 60)
        word = "typhoon" if number < 6 else ONE_OFF[number % len(ONE_OFF)]
        text = (
            f"The cement factory in the county raised its production, workers said. "
            f"They spoke of the {word} near the plant."
        )
        (folder / "articles" / f"a{number:02d}.md").write_text(
            f"---\nid: a{number:02d}\ntitle: Factory report {number}\nsource: wire\n"
            f"published: {day.isoformat()}\n---\n\n{text}\n"
        )
    return folder


@pytest.fixture
def library(tmp_path: Path) -> Workspace:
    workspace = Workspace([burst_library(tmp_path / "c")], DataPaths(tmp_path / "d"))
    workspace.sync()
    return workspace


def test_a_burst_ranks_first_and_steady_or_one_off_words_do_not_show(library: Workspace) -> None:
    found = library.emerging(days=14, until=LAST_DAY, baseline_days=90)
    assert found[0].term == "typhoon" and (found[0].recent, found[0].baseline) == (6, 0)
    assert found[0].articles[0] == "a00" and found[0].score > 10.83
    terms = {item.term for item in found}
    assert not terms & {"cement", "factory", "production", *ONE_OFF}
    library.close()


def test_the_command_names_the_window_and_prints_json(
    library: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library.close()
    where = ["--content", str(tmp_path / "c"), "--data", str(tmp_path / "d")]
    assert main(["emerging", "--until", "2024-09-30", *where]) == 0
    out = capsys.readouterr().out
    assert "Rising from 2024-09-17 to 2024-09-30, against the 90 days before" in out
    assert out.splitlines()[2].split()[0] == "typhoon"
    assert main(["emerging", "--until", "2024-09-30", "--json", *where]) == 0
    first = json.loads(capsys.readouterr().out)[0]
    assert first["term"] == "typhoon" and first["recent"] == 6 and len(first["articles"]) == 6
    assert main(["emerging", "--theme", "nope", *where]) == 2


def test_a_name_of_several_words_is_one_term_and_its_words_are_not_listed(tmp_path: Path) -> None:
    """Six recent articles name "Choe Son Hui": the name rises, not "choe", "son" or "hui"."""
    folder = burst_library(tmp_path / "c")
    for number in range(6):
        path = folder / "articles" / f"a{number:02d}.md"
        text = path.read_text().replace("---\n\n", "people: [Choe Son Hui]\n---\n\n", 1)
        path.write_text(text.replace("They spoke", "Choe Son Hui spoke"))
    workspace = Workspace([folder], DataPaths(tmp_path / "d"))
    workspace.sync()
    terms = [item.term for item in workspace.emerging(days=14, until=LAST_DAY, baseline_days=90)]
    workspace.close()
    assert "Choe Son Hui" in terms
    assert not {"choe", "son", "hui"} & set(terms)
