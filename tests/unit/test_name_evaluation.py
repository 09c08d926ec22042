"""Automatic people and organisations on the KCNA archive, judged by reading.

The rules were written on the archive's January–June part and frozen before
the July–September part was sampled and read (`data/name-judgements.yaml`).
The test prints precision on both parts side by side; the README reports the
test part's. A value the rules no longer give is left out of the count; one
they give that nobody judged is counted and printed as unjudged.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from index.importing.enrich import find_organizations, find_people

from ..conftest import SHARED, TESTS

ARCHIVE = SHARED / "corpora" / "kcna-en-2024-jan-sep.json"
JUDGED = TESTS / "data" / "name-judgements.yaml"
FINDERS = {"person": find_people, "organization": find_organizations}
MEASURED = {"tune": 0.93, "test": 0.85}
"""Precision when the judgements were made: a rule change must not fall below it."""


def precision(records: dict[str, Any], judged: list[dict[str, Any]]) -> tuple[float, int]:
    """Right values over judged values still given; and how many are given but unjudged."""
    right = counted = 0
    for entry in judged:
        record = records[entry["article"]]
        text = f"{record.get('headline') or ''}\n{record.get('story_text') or ''}"
        if entry["value"] in FINDERS[entry["kind"]](text):
            counted += 1
            right += bool(entry["right"])
    return (right / counted if counted else 0.0), len(judged) - counted


@pytest.mark.slow
@pytest.mark.shared("corpora/kcna-en-2024-jan-sep.json")
def test_automatic_names_are_precise_on_the_part_never_tuned_on() -> None:
    records = {r["link"]: r for r in json.loads(ARCHIVE.read_text(encoding="utf-8"))}
    judgements = yaml.safe_load(JUDGED.read_text(encoding="utf-8"))
    assert len(judgements["test"]) >= 60 and all(e["reason"] for e in judgements["test"])
    figures = {part: precision(records, judgements[part]) for part in ("tune", "test")}
    print(
        "\nautomatic people and organisations, precision: "
        + " · ".join(
            f"{part} {score:.2f} ({gone} judged values no longer given)"
            for part, (score, gone) in figures.items()
        )
    )
    for part, (score, _gone) in figures.items():
        assert score >= MEASURED[part] - 0.005, part
