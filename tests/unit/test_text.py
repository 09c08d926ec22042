"""The sanitiser, the body's plain text, and query rewriting."""

from __future__ import annotations

import pytest

from index.content.body import parse_body
from index.engine.analysis import normalise_name
from index.engine.lexer import close_parentheses
from index.engine.variants import VariantExpander
from index.sanitize import clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain text", "plain text"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("osc52 \x1b]52;c;aGk=\x07done", "osc52 done"),
        ("osc8 \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "osc8 link"),
        ("clear\x1b[2J\x1b[Hscreen", "clearscreen"),
        ("c1 \x9b31m csi and \x85 nel", "c1  csi and  nel"),
        ("mojibake â€\x9d quote stays", "mojibake â€ quote stays"),
        ("esc\x1b\nnext line", "esc\nnext line"),
        ("bidi \u202eevil\u202c and \u2067iso\u2069", "bidi evil and iso"),
        ("zero\u200bwidth\ufeff but zwj \u200d kept", "zerowidth but zwj \u200d kept"),
        ("del\x7f and nul\x00", "del and nul"),
        ("crlf\r\nline\rend", "crlf\nline\nend"),
        ("unterminated \x1b]0;title\nnext", "unterminated \nnext"),
        ("[bold]markup[/bold] stays", "[bold]markup[/bold] stays"),
    ],
)
def test_clean_text_removes_escape_sequences_whole(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_plain_text_joins_blocks_and_keeps_offsets() -> None:
    doc = parse_body(
        "*A caption (Photo)*\n\n## Heading\n\n"
        "Para with **bold** and [link](http://x).\n\n- one\n- two\n"
    )
    assert [b.kind for b in doc.blocks] == ["caption", "heading", "paragraph", "item", "item"]
    assert doc.text.split("\n\n")[2] == "Para with bold and link."
    for block in doc.blocks:
        assert doc.text[block.start : block.end] == block.text
    paragraph = doc.blocks[2]
    assert [(paragraph.text[s.start : s.end], s.style) for s in paragraph.spans] == [
        ("bold", "strong"),
        ("link", "link"),
    ]


def test_html_in_a_body_stays_literal_text() -> None:
    assert parse_body("<script>alert(1)</script>\n").text == "<script>alert(1)</script>"


def test_names_normalise_case_accents_apostrophes_and_hyphens() -> None:
    assert normalise_name("P'yŏngyang") == normalise_name("Pyongyang") == "pyongyang"
    assert normalise_name("Kim Jong-un") == "kim jong un"


def test_variants_expand_words_phrases_and_fields() -> None:
    expander = VariantExpander([["Kim Jong Un", "Kim Chong Un"], ["Pyongyang", "평양"]])
    assert expander.expand("kim jong-un visits") == '("Kim Jong Un" OR "Kim Chong Un") visits '
    assert expander.expand('"Kim Chong-un"') == '("Kim Jong Un" OR "Kim Chong Un")'
    assert expander.expand("place:평양") == 'place:("Pyongyang" OR "평양")'
    assert expander.expand("pyong* AND title:x") == "pyong* AND title:x"


def test_close_parentheses_balances_half_typed_queries() -> None:
    assert close_parentheses("(a OR (b") == "(a OR (b))"
    assert close_parentheses("a) b") == "a b"
    assert close_parentheses('"(" x') == '"(" x'
