"""The project's gazetteer: complete against Open Admin Data, and finds places in text."""

from __future__ import annotations

import json
from typing import Any

import pytest

from index.content.gazetteer import gazetteer, romanisation_key
from tests.conftest import SHARED

ADMIN_DIVISIONS = SHARED / "corpora" / "nk-admin-divisions.json"
MOVED = {"Kangnam"}
"""Counties whose province changed in recent reforms; ours follows the current one."""


def shared_divisions() -> dict[str, Any]:
    return json.loads(ADMIN_DIVISIONS.read_text(encoding="utf-8"))


@pytest.mark.shared("corpora/nk-admin-divisions.json")
def test_every_province_of_the_reference_is_known() -> None:
    for province in shared_divisions()["provinces"]:
        places = gazetteer().lookup(province["name"])
        assert any(p.name == p.province == province["name"] for p in places)


@pytest.mark.shared("corpora/nk-admin-divisions.json")
def test_every_county_and_city_of_the_reference_is_known_in_its_province() -> None:
    missing, elsewhere = [], []
    for county in shared_divisions()["counties"]:
        name = county["name"].replace(" Dist.", "")
        places = gazetteer().lookup(name)
        if not places:
            missing.append(county["name"])
        elif name.split()[0] not in MOVED and not any(
            # A city that is itself a province-level unit (Rason, Nampo) counts too.
            p.province == county["province"] or p.name == p.province
            for p in places
        ):
            elsewhere.append((county["name"], county["province"], places))
    assert missing == []
    assert elsewhere == []


def test_romanisations_meet() -> None:
    assert romanisation_key("Chaeryong") == romanisation_key("Jaeryong")
    assert romanisation_key("Kabsan") == romanisation_key("Kap'san") == romanisation_key("Kapsan")
    assert romanisation_key("Sinpho") == romanisation_key("Sinpo")


def test_finds_places_in_order_with_their_kind() -> None:
    text = (
        "At Tokhyon Mine in Uiju county, North Pyongan province, work is underway. In "
        "Pyongyang's Hyonjesan district a plant was built. Anak is not matched alone, "
        "but Anak County is. 함경북도 청진에서."
    )
    found = gazetteer().find(text)
    assert [p.name for p in found] == [
        "Uiju County",
        "North Pyongan",
        "Pyongyang",
        "Hyongjesan District",
        "Anak County",
        "North Hamgyong",
        "Chongjin",
    ]
    assert found[0].province == "North Pyongan" and found[0].kind == "county"


def test_ordinary_words_are_not_places() -> None:
    text = "The Sun rose. Ichon said no. A Taean-class idea. Junk food. Kim met him at Anju."
    assert [p.name for p in gazetteer().find(text)] == ["Anju"]


def test_a_shared_name_resolves_to_the_province_the_text_names() -> None:
    south = gazetteer().find("Work began in Unsan County, South Pyongan Province.")
    north = gazetteer().find("Work began in Unsan County, North Pyongan Province.")
    assert [p.province for p in south] == ["South Pyongan", "South Pyongan"]
    assert [p.province for p in north] == ["North Pyongan", "North Pyongan"]
