"""A small lexer for Whoosh query syntax, for the rewrites done before parsing."""

from __future__ import annotations

import re
from collections.abc import Iterator

_LEXEME = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<phrase>"[^"]*"?)
    | (?P<field>[A-Za-z_]+:(?=\S))
    | (?P<range>[\[{][^\]}]*[\]}]?)
    | (?P<paren>[()])
    | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "TO"})
_SYNTAX_CHARS = re.compile(r"[*?~^:\[\]{}]")


def lexemes(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) pairs covering `text`: space, phrase, field, range, paren or word."""
    for match in _LEXEME.finditer(text):
        yield match.lastgroup or "word", match.group()


def is_plain_word(word: str) -> bool:
    """A word lexeme that is neither an operator nor carries syntax (prefix*, fuzzy~, boost^)."""
    return word not in OPERATORS and not _SYNTAX_CHARS.search(word)


def field_names(text: str) -> list[str]:
    """The field prefixes used in a query (`place:` → "place"), lower-cased."""
    return [text[:-1].lower() for kind, text in lexemes(text) if kind == "field"]


def close_parentheses(text: str) -> str:
    """Append the `)` a half-typed query is missing; drop `)` that close nothing."""
    depth = 0
    out = []
    for kind, part in lexemes(text):
        if kind == "paren" and part == "(":
            depth += 1
        elif kind == "paren" and part == ")":
            if depth == 0:
                continue
            depth -= 1
        out.append(part)
    return "".join(out) + ")" * depth
