"""Reading article files: valid ones load, each kind of bad one gets a clear, located warning."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from index.content.articles import body_text, read_article
from index.content.body import escape_markdown, plain_text, words_text
from tests.conftest import SHARED
from tests.helpers import ARTICLE, write_article

KCNA = SHARED / "corpora" / "kcna-en-2024-jan-sep.json"

GOOD = ARTICLE.format(id="good", title="A good article", body="Some text.")


def load(tmp_path: Path, text: str | bytes):
    path = tmp_path / "articles" / "a.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return read_article(path)


def only_problem(loaded) -> str:
    assert loaded.article is None
    assert len(loaded.problems) == 1
    return str(loaded.problems[0])


def test_valid_article_loads_every_field(tmp_path: Path) -> None:
    loaded = load(
        tmp_path,
        """---
id: full
title: "Full: an article"
title_editorial: true
source: daily-nk
kind: news report
language: en
published: 2024-03-01
credits: [Jane Doe]
tags: [a, b]
themes: [inequality]
places: [Pyongyang]
people: [Kim Jong Un]
organizations: [KCNA]
summary: Short.
key_points:
  - claim: Something happened.
    quote: It happened.
---

It happened. Then more.
""",
    )
    assert loaded.problems == ()
    article = loaded.article
    assert article is not None
    assert article.title == "Full: an article"
    assert article.title_editorial
    assert article.published.isoformat() == "2024-03-01"
    assert article.places == ("Pyongyang",)
    assert article.key_points[0].quote == "It happened."


def test_malformed_front_matter_names_file_and_line(tmp_path: Path) -> None:
    message = only_problem(load(tmp_path, "---\nid: x\ntitle: [unclosed\nsource: y\n---\n\nBody\n"))
    assert "a.md:4:" in message or "a.md:3:" in message
    assert "invalid YAML" in message


def test_missing_required_field_is_reported(tmp_path: Path) -> None:
    message = only_problem(load(tmp_path, "---\nid: x\ntitle: T\n---\n\nBody\n"))
    assert "missing required field 'source'" in message
    assert "a.md:" in message


def test_non_utf8_bytes_report_the_line(tmp_path: Path) -> None:
    raw = GOOD.replace("Some text.", "Line one.\nBad BYTE here").encode("utf-8")
    message = only_problem(load(tmp_path, raw.replace(b"BYTE", b"\xff")))
    assert "a.md:9: not UTF-8: byte 0xff" in message


def test_empty_body_is_reported_with_its_line(tmp_path: Path) -> None:
    message = only_problem(load(tmp_path, ARTICLE.format(id="x", title="T", body="  ")))
    assert "the body is empty" in message
    assert "a.md:7:" in message


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("title: no", "'title' must be text, not true/false (quote it)"),
        ("title: [a, b]", "'title' must be text"),
        ("published: yesterday", "'published' must be an ISO date"),
        ("tags: {a: 1}", "'tags' must be a list"),
        ("id: Not A Slug", "id 'Not A Slug' must be lowercase"),
    ],
)
def test_bad_field_values_are_reported_at_their_line(
    tmp_path: Path, front: str, expected: str
) -> None:
    fields = {"id": "id: ok", "title": "title: T", "source": "source: s"}
    key = front.split(":")[0]
    fields[key] = front
    text = "---\n" + "\n".join(fields.values()) + "\n---\n\nBody.\n"
    message = only_problem(load(tmp_path, text))
    assert expected in message
    assert f"a.md:{2 + list(fields).index(key)}:" in message


def test_duplicate_keys_and_aliases_are_refused(tmp_path: Path) -> None:
    duplicate = only_problem(load(tmp_path, "---\nid: a\nid: b\ntitle: T\nsource: s\n---\n\nB\n"))
    assert "duplicate key 'id'" in duplicate
    alias = only_problem(load(tmp_path, "---\nid: a\ntitle: &t T\nsource: *t\n---\n\nB\n"))
    assert "aliases" in alias


def test_python_tags_are_refused(tmp_path: Path) -> None:
    message = only_problem(
        load(
            tmp_path,
            "---\nid: a\ntitle: !!python/object/apply:os.system [ls]\nsource: s\n---\n\nB\n",
        )
    )
    assert "invalid YAML" in message


def test_file_without_front_matter_is_reported(tmp_path: Path) -> None:
    message = only_problem(load(tmp_path, "Just text\n"))
    assert "no front matter" in message and "a.md:1:" in message


def test_unknown_field_and_missing_quote_warn_but_load(tmp_path: Path) -> None:
    loaded = load(
        tmp_path,
        "---\nid: a\ntitle: T\nsource: s\nthemse: [x]\nkey_points:\n"
        "  - claim: C\n    quote: Not in the text.\n---\n\nThe body.\n",
    )
    assert loaded.article is not None
    messages = [str(p) for p in loaded.problems]
    assert any("a.md:5: unknown field 'themse'" in m for m in messages)
    assert any("key point quote not in the body" in m for m in messages)


def test_control_sequences_are_stripped_from_every_field(tmp_path: Path) -> None:
    loaded = load(
        tmp_path,
        '---\nid: a\ntitle: "Evil \\e]52;c;aGk=\\a title"\nsource: s\ntags: ["x\\e[2Jy"]\n---\n\n'
        "Body \x1b[31mred\x1b[0m and \x9b1;1H C1 \x07bell.\n",
    )
    article = loaded.article
    assert article is not None
    assert article.title == "Evil  title"
    assert article.tags == ("xy",)
    assert "\x1b" not in article.body and "\x9b" not in article.body and "\x07" not in article.body
    assert "Body red and" in article.body


def test_markup_in_text_is_kept_literally(tmp_path: Path) -> None:
    loaded = load(
        tmp_path, ARTICLE.format(id="m", title="'[bold]x[/bold]'", body="[@click=app.quit]q[/]")
    )
    assert loaded.article is not None
    assert loaded.article.title == "[bold]x[/bold]"
    assert "[@click=app.quit]q[/]" in loaded.article.body


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    from index.content.files import article_files

    write_article(tmp_path, "good.md", GOOD)
    write_article(tmp_path, "bad.md", "---\nid: [\n---\n")
    write_article(tmp_path, ".hidden.md", GOOD)
    results = [read_article(path) for path in article_files([tmp_path])]
    assert [r.article.id for r in results if r.article] == ["good"]
    assert len([r for r in results if r.problems]) == 1


def test_body_text_is_the_plain_text_of_the_article_read_whole(corpus_dir: Path) -> None:
    paths = sorted((corpus_dir / "articles").glob("*.md"))
    assert paths
    for path in paths:
        article = read_article(path).article
        if article is not None:
            assert body_text(path) == plain_text(article.body)
    (corpus_dir / "no-front-matter.md").write_text("Just words.\n")
    assert body_text(corpus_dir / "no-front-matter.md") is None
    assert body_text(corpus_dir / "missing.md") is None


WORDS_CHANGED_BY_SYNTAX = [
    'See [the plan](http://example.org/plan "Plan") today.',
    "Tom &amp; Jerry, caf&#233; and &lt;b&gt;.",
    "snake\\_case and \\*stars\\*",
    "An _emphasised_ word and a__b__c.",
    "one*two*three and **bold**word",
    "Run `make test` or a`b`c.",
    "~~~ python\nprint(1)\n~~~",
    "1. first\n2) second\n   10. tenth",
    "> 1. quoted\n\n- 1) nested\n+ 3. x\n> > 9) z\n- - 1. deep\n\nfoo\n- 1. bar",
    "<b>raw</b> and <http://example.org/x>",
    "[ref]: http://example.org/ref\n\nA [ref] link.",
]
PLAIN_MARKDOWN = [
    "# Heading\n\nA paragraph, with punctuation: yes; no!\n\n> A quote.\n\n- an item\n+ another",
    "Setext heading\n==============\n\nText -- dashes --- and a 2024 date.\n\n---\n\nEnd.",
    "Line one\nline two  \nline three\n\n    indented code stays\n",
]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.mark.parametrize("markdown", WORDS_CHANGED_BY_SYNTAX + PLAIN_MARKDOWN)
def test_words_text_has_the_plain_texts_words_in_order(markdown: str) -> None:
    assert _words(words_text(markdown)) == _words(plain_text(markdown))


@pytest.mark.parametrize("markdown", PLAIN_MARKDOWN)
def test_words_text_skips_the_parse_when_nothing_changes_the_words(markdown: str) -> None:
    assert words_text(markdown) is markdown


@pytest.mark.shared("corpora/kcna-en-2024-jan-sep.json")
def test_words_text_on_the_kcna_wire_as_written_and_as_imported() -> None:
    """Every KCNA story, as a hand-written body and as the importer escapes it."""
    fast = 0
    texts = [record["story_text"] for record in json.loads(KCNA.read_text(encoding="utf-8"))]
    for text in texts:
        escaped = "\n\n".join(escape_markdown(part) for part in text.split("\n\n"))
        for body in (text, escaped):
            assert _words(words_text(body)) == _words(plain_text(body))
            fast += words_text(body) is body
    print(f"\nKCNA: {fast} of {2 * len(texts)} bodies compared without a parse")
    assert fast > len(texts) // 2
