"""The project's gazetteer of North Korean places, for placing imported articles.

Names are matched by a romanisation key that folds the differences between
McCune-Reischauer, the DPRK's own system and Revised Romanization (aspirate
digraphs, Ch/J, voiced and voiceless stops, L/R, doubled letters), so "Kabsan",
"Kapsan" and "Kap'san" are one county. In English text only capitalised words
are considered, and names listed under `needs_suffix` (English words, South
Korean namesakes) only when followed by "County", "City", "District" or
"Province". A suffix also says which kind of place is meant ("Hwasong
District" is never Hwasong County).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

SUFFIXES = {"county": "County", "city": "City", "district": "District", "province": "Province"}
_FOLDS = (
    ("ph", "p"),
    ("th", "t"),
    ("kh", "k"),
    ("ch", "j"),
    ("b", "p"),
    ("d", "t"),
    ("g", "k"),
    ("l", "r"),
    ("ry", "r"),
)
_POSSESSIVE = re.compile(r"['’]s$")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CAPITALISED = re.compile(r"[A-Z][\w'’ŏŭ-]*(?:[\s-]+[A-Z][\w'’ŏŭ-]*)*")


@dataclass(frozen=True)
class Place:
    """A province-level unit or one of its cities, counties or districts."""

    name: str
    """The display name: "North Pyongan", "Sinuiju", "Uiju County", "Moranbong District"."""
    kind: str
    province: str
    """The province-level unit it belongs to (itself for provinces)."""


@lru_cache(maxsize=65_536)
def romanisation_key(name: str) -> str:
    """A key equal for the common romanisations of one Korean place name."""
    decomposed = unicodedata.normalize("NFKD", name.lower())  # ŏ → o + breve, dropped below
    key = "".join(ch for ch in decomposed if "a" <= ch <= "z")
    for before, after in _FOLDS:
        key = key.replace(before, after)
    return re.sub(r"(.)\1+", r"\1", key)


class Gazetteer:
    def __init__(self, entries: list[dict[str, Any]], needs_suffix: Iterable[str] = ()) -> None:
        self.places: list[Place] = []
        self._by_key: dict[str, list[Place]] = {}
        self._hangul: dict[str, Place] = {}
        self._needs_suffix = {romanisation_key(name) for name in needs_suffix}
        for entry in entries:
            province = Place(entry["name"], entry["kind"], entry["name"])
            self._add(province, [entry["name"], *entry.get("variants", [])])
            for kind, label in (
                ("cities", "city"),
                ("counties", "county"),
                ("districts", "district"),
            ):
                for spellings in entry.get(kind, []):
                    name, *others = spellings.split("|")
                    shown = name if kind == "cities" else f"{name} {label.capitalize()}"
                    self._add(Place(shown, label, entry["name"]), [name, *others])

    def _add(self, place: Place, names: list[str]) -> None:
        self.places.append(place)
        for name in names:
            if _HANGUL.search(name):
                self._hangul.setdefault(name, place)
            else:
                candidates = self._by_key.setdefault(romanisation_key(name), [])
                if place not in candidates:
                    candidates.append(place)

    def lookup(self, name: str) -> list[Place]:
        """Every place a name (with or without County/City/Province) may stand for."""
        words = name.split()
        if len(words) > 1 and words[-1].lower() in SUFFIXES:
            words = words[:-1]
        if name in self._hangul:
            return [self._hangul[name]]
        return list(self._by_key.get(romanisation_key(" ".join(words)), []))

    def find(self, text: str) -> list[Place]:
        """Places named in `text`, in order of first mention, each once.

        A name shared by several places (two counties called Unsan) resolves to
        the one whose province the text also names, else the first listed.
        """
        found: list[tuple[int, list[Place]]] = []
        for match in _CAPITALISED.finditer(text):
            words = [_POSSESSIVE.sub("", word) for word in re.split(r"[\s-]+", match.group())]
            following = text[match.end() : match.end() + 12].split()
            suffix = following[0].lower().strip(".,;:") if following else ""
            found.extend(self._in_phrase(words, suffix, match.start()))
        for name, place in self._hangul.items():
            at = text.find(name)
            if at >= 0:
                found.append((at, [place]))
        provinces = {c[0].name for _at, c in found if len(c) == 1 and c[0].name == c[0].province}
        placed: dict[str, tuple[int, Place]] = {}
        for at, candidates in sorted(found, key=lambda pair: pair[0]):
            place = next((c for c in candidates if c.province in provinces), candidates[0])
            placed.setdefault(place.name, (at, place))
        return [place for _at, place in sorted(placed.values(), key=lambda pair: pair[0])]

    def _in_phrase(
        self, words: list[str], suffix: str, offset: int
    ) -> list[tuple[int, list[Place]]]:
        """Longest matches first inside a run of capitalised words."""
        matches = []
        i = 0
        while i < len(words):
            for length in range(min(3, len(words) - i), 0, -1):
                candidate = words[i : i + length]
                if candidate[-1].lower() in SUFFIXES and length > 1:
                    continue
                key = romanisation_key(" ".join(candidate))
                last = i + length == len(words)
                following = suffix if last else words[i + length].lower()
                has_suffix = following in SUFFIXES
                places = [
                    place
                    for place in self._by_key.get(key, [])
                    if not has_suffix or _fits(place, following)
                ]
                if places and (has_suffix or key not in self._needs_suffix):
                    matches.append((offset + i, places))
                    i += length
                    break
            else:
                i += 1
        return matches


def _fits(place: Place, suffix: str) -> bool:
    """Whether "County", "City", "District" or "Province" after a name can describe `place`."""
    if suffix == "province":
        return place.name == place.province
    if suffix == "city":
        return place.kind in ("city", "capital city", "special city")
    return place.kind == suffix


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    text = (
        resources.files("index.content").joinpath("data/gazetteer.yaml").read_text(encoding="utf-8")
    )
    data = yaml.safe_load(text)
    return Gazetteer(data["places"], data.get("needs_suffix", []))
