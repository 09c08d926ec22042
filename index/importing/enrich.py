"""Automatic annotation of imported articles: places, people, organisations, language.

Simple, documented rules, so a user can predict (and correct) what they give:

- Places: every place of the project's gazetteer named in the title or text
  (see `index.gazetteer`), plus the province of each city or county found; a
  dateline ("Pyongyang, February 1 (KCNA) --") does not count.
- People: (1) Korean names: a common Korean surname followed by a two-syllable
  given name, written as two words or hyphenated ("Kim Jong Un", "Choe Ryong
  Hae", "Pak Thae-song"), every part a possible romanised Korean syllable (so
  text run together, "Kim Jong Unwas", is not taken for a name);
  (2) any two or three capitalised words right after a title such as
  President, Premier, Minister, Chairman, Marshal, Ambassador or leader
  ("President Xi Jinping").
- Organisations: (1) a list of well-known bodies (Workers' Party of Korea,
  Supreme People's Assembly, KCNA, United Nations…); (2) capitalised phrases
  ending in an organisational word (Committee, Ministry, Department, Party,
  Army, Association, Union, Agency, Company, Enterprise, University…), such as
  "Organization and Guidance Department" or "Ministry of Foreign Affairs".
- Language: the script most letters are in (Hangul → ko, kana → ja,
  Han → zh, Cyrillic → ru), else en.

Everything found is marked in the article's `automatic:` list, so curated
values are never overwritten by a later import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..content.gazetteer import gazetteer

KOREAN_SURNAMES = (
    "Kim Ri Pak Choe Jo Jang Kang Han O Yun Ryu Hong So Sin Hwang Jong Mun Ho Kwon Song "
    "Yang Chae Paek Ro Nam Ju Son Jon Ko An Im Yu Ryom Hyon Jin Wi Cha Thae Rim Ma Tong Pyon "
    "Chon Kye Sim Myong Yom Ok"
).split()
_KOREAN_NAME = re.compile(
    rf"\b(?:{'|'.join(KOREAN_SURNAMES)}) (?:[A-Z][a-z]{{1,5}} [A-Z][a-z]{{1,5}}"
    rf"|[A-Z][a-z]{{1,5}}-[a-z]{{1,5}})\b"
)
_ROMANISED_SYLLABLE = re.compile(
    r"^(?:kk|tt|pp|ss|jj|ch|ph|th|kh|ry|ny|hw|kw|gw|[bcdghjklmnprstwy])?"
    r"(?:ae|ai|eo|eu|oe|ui|wa|wae|we|wi|ya|yae|ye|yeo|yo|yu|[aeiou])"
    r"(?:ng|[nmlrkptgbds])?$"
)
TITLES = (
    "President",
    "Premier",
    "Prime Minister",
    "Minister",
    "Vice-Minister",
    "Chairman",
    "Chairwoman",
    "Marshal",
    "General Secretary",
    "Secretary",
    "Ambassador",
    "Comrade",
    "leader",
    "Leader",
    "Chancellor",
    "King",
    "Queen",
    "Senator",
    "Governor",
    "Director",
)
_CAP = r"[A-Z][\w'-]+"
_TITLE = "|".join(sorted(TITLES, key=len, reverse=True))
_TITLED = re.compile(rf"\b(?:(?:{_TITLE})[ -]+)+({_CAP}(?: {_CAP}){{1,2}})")
"""Names after one title or a chain of them ("Great Leader Comrade Kim Il Sung")."""
_POSSESSIVE = re.compile(r"['’]s?$")
TITLE_WORDS = frozenset(word for title in TITLES for word in title.split()) | {
    "General", "Great", "Dear", "Respected", "Supreme", "Vice", "First", "Deputy", "Mr", "Mrs",
    "Ms", "Dr", "Professor", "Honorary", "Acting", "Foreign", "Defence", "Defense", "Party",
}  # fmt: skip
"""Words of titles and honorifics: never a person's name, nor the first word of one."""
KNOWN_ORGANIZATIONS = (
    "Workers' Party of Korea",
    "WPK",
    "Supreme People's Assembly",
    "Central Committee",
    "Political Bureau",
    "Central Military Commission",
    "State Affairs Commission",
    "Korean People's Army",
    "KPA",
    "Cabinet",
    "KCNA",
    "Korean Central News Agency",
    "Rodong Sinmun",
    "United Nations",
    "UN Security Council",
    "UN",
    "IAEA",
    "Organization and Guidance Department",
    "Daily NK",
    "Yonhap",
)
_KNOWN = re.compile(
    r"\b(?:"
    + "|".join(re.escape(n) for n in sorted(KNOWN_ORGANIZATIONS, key=len, reverse=True))
    + r")\b"
)
ORGANIZATION_WORDS = (
    "Committee",
    "Commission",
    "Ministry",
    "Department",
    "Party",
    "Army",
    "Association",
    "Union",
    "Federation",
    "Agency",
    "Corporation",
    "Company",
    "Enterprise",
    "Institute",
    "University",
    "Bank",
    "Council",
    "Assembly",
    "League",
    "Office",
    "Bureau",
    "Academy",
    "Complex",
    "Factory",
    "Mine",
    "Works",
    "Farm",
    "Organization",
    "Organisation",
    "Forces",
)
_CONNECTORS = r"(?:of|and|for|the|on|'s)"
_ORGANIZATION = re.compile(
    rf"\b((?:{_CAP} (?:{_CONNECTORS} )*)*?{_CAP} (?:{'|'.join(ORGANIZATION_WORDS)})"
    rf"(?: of(?: the)?(?: {_CAP})+)?)"
)
_DATELINE = re.compile(r"(?m)^[A-Z][\w' -]{1,40}, [A-Z][a-z]+\.? \d{1,2} \([^)]{1,30}\) ?[-—–]+ ?")
_LEADING_NOISE = re.compile(r"^(?:The|A|An|This|That|In|At|On|By|For|From|With)\s")
_LETTER = re.compile(r"[^\W\d_]")
SCRIPTS = (
    ("ko", re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
)


def known_names(variants: Iterable[Iterable[str]] = ()) -> list[str]:
    """Every name the rules know: the gazetteer's places, well-known bodies, and `variants`."""
    names = [place.name for place in gazetteer().places]
    names += KNOWN_ORGANIZATIONS
    names += [name for group in variants for name in group]
    return names


def detect_language(text: str) -> str:
    """The language of `text` by script: ko, ja, zh, ru, or en for Latin script."""
    sample = text[:20_000]
    if sample.isascii():
        return "en"
    letters = len(_LETTER.findall(sample)) or 1
    for language, pattern in SCRIPTS:
        if len(pattern.findall(sample)) / letters > 0.2:
            return language
    return "en"


def find_places(text: str) -> list[str]:
    """Gazetteer places named in the text, each followed by its province.

    A news agency's dateline ("Pyongyang, February 1 (KCNA) --") says where the
    report was filed, not what it is about, so it is not counted.
    """
    names: list[str] = []
    for place in gazetteer().find(_DATELINE.sub(" ", text)):
        for name in (place.name, place.province):
            if name not in names:
                names.append(name)
    return names


def find_people(text: str) -> list[str]:
    """People named in the text, without possessives, titles or honorifics ("Kim Jong Un's",
    "Comrade Kim Il Sung", "General Secretary" are "Kim Jong Un", "Kim Il Sung", no one)."""
    found = [
        " ".join(part.capitalize() for part in re.split(r"[\s-]", match.group()))
        for match in _KOREAN_NAME.finditer(text)
        if all(
            _ROMANISED_SYLLABLE.match(part) for part in re.split(r"[\s-]", match.group().lower())
        )
    ]
    for match in _TITLED.finditer(text):
        name = _person(match.group(1))
        if name and not _is_organization_phrase(name):
            found.append(name)
    return _unique(_drop_parts(found))


def _person(name: str) -> str:
    """A captured name without its possessive and leading title words; "" if none is left
    or what is left is one word of a title."""
    words = [_POSSESSIVE.sub("", word) for word in name.split()]
    while words and words[0] in TITLE_WORDS:
        words.pop(0)
    if len(words) < 2:
        return ""  # a lone surname after a title ("General Guterres") is too little to file
    if any(word in TITLE_WORDS for word in words):
        return ""  # "Kim Minister": a title inside is a run-on, not a name
    return " ".join(words)


def find_organizations(text: str) -> list[str]:
    """Bodies named in the text. A dateline's agency ("Pyongyang, July 1 (KCNA) --") says
    who filed the report, not what it is about, so it is not counted (like its city)."""
    text = _DATELINE.sub(" ", text)
    named = {match.group() for match in _KNOWN.finditer(text)}
    found = [name for name in KNOWN_ORGANIZATIONS if name in named]
    for match in _ORGANIZATION.finditer(text):
        phrase = _organization(match.group(1))
        if phrase:
            found.append(phrase)
    return _unique(_drop_parts(found))


_NOT_A_BODY = frozenset({
    "Press", "Statement", "Officials", "Official", "Members", "Member", "Delegation", "Speech",
    "Letter", "Message", "Greetings", "Congratulatory", "Talk", "Report", "Relations",
    "Spokesman", "Spokeswoman", "Spokesperson", "Affairs", "Organizational",
})  # fmt: skip
_OCCASION = re.compile(r"^.*?\b(?:Meeting|Session|Conference|Plenary|Congress)\b.*? of (?:the )?")
"""The head of "Ninth Plenary Meeting of the Eighth Central Committee …": an occasion."""
"""Words that start a phrase about a body, not its name ("Press Statement of …")."""


def _organization(phrase: str) -> str:
    """A captured phrase as an organisation's name, or "" when it is not one."""
    phrase = _LEADING_NOISE.sub("", phrase).strip().rstrip("-–—")
    phrase = _OCCASION.sub("", phrase)  # the body the occasion was of
    words = phrase.split()
    while words and words[0] in _NOT_A_BODY:  # "Press Statement of the …": the body follows
        words = words[1:]
        while words and words[0] in ("of", "the", "and", "for"):
            words = words[1:]
    if len(words) < 2 or words[-2] == "Vice":  # "Vice Department" is half a title
        return ""
    name = " ".join(words)
    if re.search(r"[a-z][A-Z]", name.replace("Mc", "")):  # text run together: "InternationalKim"
        return ""
    return name


def _is_organization_phrase(name: str) -> bool:
    return name.split()[-1] in ORGANIZATION_WORDS


def _drop_parts(names: Iterable[str]) -> list[str]:
    """Drop names that are only part of a longer name found ("Kim Jong" in "Kim Jong Un")."""
    names = list(names)
    return [n for n in names if not any(n != other and f" {n} " in f" {other} " for other in names)]


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(name for name in names if name))
