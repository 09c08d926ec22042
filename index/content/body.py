"""An article body as a sequence of text blocks over one plain text.

The Markdown body is parsed once into blocks (headings, paragraphs, the photo
caption, quotes, list items, code). Their text, joined by blank lines, is the
article's *plain text*: what is indexed, what snippet offsets and annotation
offsets refer to, and what the reader shows, so a character offset means the
same thing everywhere. Raw HTML is not interpreted; it stays literal text.
Markdown decodes character references (`&#x202E;`, `&amp;`), so every piece
of text passes the sanitiser again after decoding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..sanitize import clean_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

BLOCK_SEPARATOR = "\n\n"

_PARSER: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    """The Markdown parser, made on first use (importing it is not free at start-up)."""
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        _PARSER = MarkdownIt("commonmark", {"html": False})
    return _PARSER


_INLINE_STYLES = {"em": "em", "strong": "strong", "link": "link", "s": "strike"}


@dataclass(frozen=True)
class Span:
    """Inline styling over block text: `start`/`end` are offsets within the block."""

    start: int
    end: int
    style: str


@dataclass(frozen=True)
class Block:
    """One block of the body. `start` is its offset in the document's plain text."""

    kind: str
    """heading, paragraph, caption, quote, item or code."""
    text: str
    start: int
    level: int = 0
    """Heading level, or list nesting depth for items."""
    marker: str = ""
    """List marker for items ("•", "1." …)."""
    spans: tuple[Span, ...] = ()

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    text: str


@lru_cache(maxsize=128)
def parse_body(markdown: str) -> Document:
    """Parse a Markdown body into blocks and their plain text."""
    builder = _DocumentBuilder()
    builder.feed(_parser().parse(markdown))
    return builder.document()


_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&~])")
_LINE_START = re.compile(r"^(\s*)([#>+=|-]|\d+[.)](?=\s|$)|[*_-](?=[*_\s-]*$))")


def escape_markdown(text: str) -> str:
    """`text` as one Markdown paragraph whose plain text is exactly `text`.

    Newlines become spaces; characters Markdown would read as syntax are escaped.
    """
    line = " ".join(text.split())
    line = _INLINE_SPECIAL.sub(r"\\\1", line)
    match = _LINE_START.match(line)
    if match:
        marker = match.group(2)
        # Escape the marker's punctuation: "\#", "\-", and "1\." for list numbers.
        cut = match.end(2) - 1 if marker[0].isdigit() else match.end(1)
        line = line[:cut] + "\\" + line[cut:]
    return line


def plain_text(markdown: str) -> str:
    """The plain text of a Markdown body (see the module docstring)."""
    return parse_body(markdown).text


_LIST_NUMBER = re.compile(r"\n[ \t>+-]*\d+[.)](?=\s|$)")
"""A list number starting a line, or after the markers of quotes and bullets ("> 1.",
"- 1)"), searched after a newline put first: a literal prefix makes the search a fast
scan, where `^` with MULTILINE tries every position."""
_WORD_SYNTAX = re.compile(r"[\\`*_\[\]<&~]")
"""With list numbers, the Markdown that can add, drop or join word characters: links and
their targets, HTML and character references, escapes, emphasis (`_` is a word character;
`a*b*` is one word), code, fences and their info strings."""


def words_text(markdown: str) -> str:
    """A text with the same words, in the same order, as `plain_text(markdown)`.

    The Markdown itself when none of it is syntax that changes the words
    (headings' `#`, quotes' `>`, bullets and blank lines only remove
    punctuation): comparing texts word by word then needs no parse, which is
    most of the cost of checking an import against a known article.
    """
    if _WORD_SYNTAX.search(markdown) or _LIST_NUMBER.search("\n" + markdown):
        return plain_text(markdown)
    return markdown


class _DocumentBuilder:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.offset = 0
        self.quote_depth = 0
        self.lists: list[list[int | str]] = []  # per open list: [kind, next number]

    def feed(self, tokens: list[Token]) -> None:
        pending_kind, level, marker = "paragraph", 0, ""
        for token in tokens:
            kind = token.type
            if kind == "blockquote_open":
                self.quote_depth += 1
            elif kind == "blockquote_close":
                self.quote_depth -= 1
            elif kind in ("bullet_list_open", "ordered_list_open"):
                start = int(token.attrGet("start") or 1)
                self.lists.append(["bullet" if kind == "bullet_list_open" else "ordered", start])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open":
                marker = self._next_marker()
            elif kind == "heading_open":
                pending_kind, level = "heading", int(token.tag[1:])
            elif kind == "paragraph_open":
                pending_kind, level = self._paragraph_kind(), len(self.lists)
            elif kind == "inline":
                text, spans = _inline_text(token.children or [])
                if pending_kind == "paragraph" and _is_caption(token.children or []):
                    pending_kind, spans = "caption", ()
                self._add(
                    pending_kind, text, level, marker if pending_kind == "item" else "", spans
                )
                marker = ""
            elif kind in ("fence", "code_block"):
                self._add("code", clean_text(token.content).rstrip("\n"), 0, "", ())

    def _next_marker(self) -> str:
        current = self.lists[-1]
        if current[0] == "bullet":
            return "•"
        number = int(current[1])
        current[1] = number + 1
        return f"{number}."

    def _paragraph_kind(self) -> str:
        if self.lists:
            return "item"
        return "quote" if self.quote_depth else "paragraph"

    def _add(self, kind: str, text: str, level: int, marker: str, spans: tuple[Span, ...]) -> None:
        if not text.strip():
            return
        if self.blocks:
            self.offset += len(BLOCK_SEPARATOR)
        self.blocks.append(Block(kind, text, self.offset, level, marker, spans))
        self.offset += len(text)

    def document(self) -> Document:
        text = BLOCK_SEPARATOR.join(block.text for block in self.blocks)
        return Document(tuple(self.blocks), text)


def _is_caption(children: list[Token]) -> bool:
    """A paragraph that is wholly emphasised (`*…*`) is a photo caption."""
    meaningful = [c for c in children if not (c.type == "text" and not c.content.strip())]
    return (
        len(meaningful) >= 3
        and meaningful[0].type == "em_open"
        and meaningful[-1].type == "em_close"
        and not any(c.type == "em_open" for c in meaningful[1:-1])
    )


def _inline_text(children: list[Token]) -> tuple[str, tuple[Span, ...]]:
    parts: list[str] = []
    length = 0
    open_spans: dict[str, list[int]] = {}
    spans: list[Span] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
            content = clean_text(child.content)  # entities are decoded by now: &#x202E; too
            if kind == "code_inline":
                spans.append(Span(length, length + len(content), "code"))
            parts.append(content)
            length += len(content)
        elif kind == "softbreak":
            parts.append(" ")
            length += 1
        elif kind == "hardbreak":
            parts.append("\n")
            length += 1
        elif kind == "image":
            alt = clean_text(child.content or "".join(c.content for c in child.children or []))
            parts.append(alt)
            length += len(alt)
        elif kind.endswith("_open") and kind[:-5] in _INLINE_STYLES:
            open_spans.setdefault(kind[:-5], []).append(length)
        elif kind.endswith("_close") and open_spans.get(kind[:-6]):
            start = open_spans[kind[:-6]].pop()
            if length > start:
                spans.append(Span(start, length, _INLINE_STYLES[kind[:-6]]))
    return "".join(parts), tuple(sorted(spans, key=lambda span: span.start))
