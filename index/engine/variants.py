"""Expanding a name in a query to every spelling of it (`content/variants.yaml`).

Names of people and places reach English in several romanisations (Kim Jong Un,
Kim Chong Un; Pyongyang, 평양). Before a query is parsed, every run of plain words
or quoted phrase that spells a listed name is replaced by an OR of all the
spellings in its group. Comparison ignores case, accents, apostrophes and
hyphens, as the index does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .analysis import normalise_name
from .lexer import is_plain_word, lexemes

_EXPANDABLE_FIELDS = frozenset(
    {
        "title",
        "summary",
        "body",
        "context",
        "places",
        "place",
        "people",
        "person",
        "organizations",
        "org",
        "organization",
        "tags",
        "tag",
        "notes",
        "note",
    }
)


class VariantExpander:
    """Rewrites a query string so that each listed name matches all its spellings."""

    def __init__(self, groups: Iterable[Sequence[str]]) -> None:
        self._groups: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._joined: dict[str, str] = {}
        """A listed name with its spaces taken out ("kimyojong") → the group's first spelling."""
        self._longest = 1
        for group in groups:
            spellings = tuple(dict.fromkeys(name.strip() for name in group if name.strip()))
            for spelling in spellings:
                key = tuple(normalise_name(spelling).split())
                if key:
                    self._groups.setdefault(key, spellings)
                    self._longest = max(self._longest, len(key))
                    self._joined.setdefault("".join(key), spellings[0])

    @property
    def key(self) -> str:
        """Changes whenever the groups change (for caches of what they expand to)."""
        return repr(sorted(self._groups.items()))

    def respaced(self, query: str) -> str | None:
        """`query` with a listed name that was typed with its words run together or split
        otherwise ("Kim Yojong") written as listed ("Kim Yo Jong"); None if there is none."""
        words = query.split()
        if any(not word.isalnum() or word.isupper() for word in words):
            return None  # quotes, fields, operators, negation: the query's syntax is kept
        for size in range(min(len(words), self._longest + 1), 1, -1):
            for start in range(len(words) - size + 1):
                run = words[start : start + size]
                joined = "".join(normalise_name(" ".join(run)).split())
                listed = self._joined.get(joined)
                if listed and tuple(normalise_name(" ".join(run)).split()) not in self._groups:
                    return " ".join([*words[:start], listed, *words[start + size :]])
        return None

    def spellings(self, name: str) -> tuple[str, ...]:
        """All spellings of `name` (itself alone when it is not listed)."""
        return self._groups.get(tuple(normalise_name(name).split()), (name,))

    def expand(self, query: str) -> str:
        if not self._groups:
            return query
        parts = list(lexemes(query))
        out: list[str] = []
        i = 0
        while i < len(parts):
            kind, text = parts[i]
            if kind == "field" and i + 1 < len(parts):
                next_kind, next_text = parts[i + 1]
                field = text[:-1].lower()
                if next_kind in ("word", "phrase"):
                    expandable = field in _EXPANDABLE_FIELDS
                    replacement = self._replacement([next_text.strip('"')]) if expandable else None
                    out.append(text + (replacement or next_text))  # source:kcna stays as typed
                    i += 2
                    continue
            if kind == "phrase" and text.endswith('"') and len(text) > 1:
                out.append(self._replacement([text[1:-1]]) or text)
                i += 1
                continue
            if kind == "word" and is_plain_word(text):
                run_end = i
                words: list[str] = []
                while run_end < len(parts):
                    k, t = parts[run_end]
                    if k == "word" and is_plain_word(t):
                        words.append(t)
                    elif k != "space":
                        break
                    run_end += 1
                out.append(self._expand_run(words))
                i = run_end
                continue
            out.append(text)
            i += 1
        return "".join(out)

    def _expand_run(self, words: list[str]) -> str:
        tokens = [normalise_name(word).split() for word in words]
        out: list[str] = []
        i = 0
        while i < len(words):
            for length in range(min(self._longest, len(words) - i), 0, -1):
                key = tuple(token for word in tokens[i : i + length] for token in word)
                if key in self._groups:
                    out.append(self._group_query(self._groups[key]))
                    i += length
                    break
            else:
                out.append(words[i])
                i += 1
        return " ".join(out) + " "

    def _replacement(self, words: list[str]) -> str | None:
        key = tuple(normalise_name(" ".join(words)).split())
        group = self._groups.get(key)
        return self._group_query(group) if group else None

    @staticmethod
    def _group_query(spellings: Sequence[str]) -> str:
        quoted = ('"' + spelling.replace('"', "") + '"' for spelling in spellings)
        return "(" + " OR ".join(quoted) + ")"
