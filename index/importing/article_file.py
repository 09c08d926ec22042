"""The article file an import writes: YAML front matter, then the body in Markdown.

The front matter holds what the record gave (title, source, date, URL,
summary, credits, tags, the file it came from) and what a program filled in
(language, places, people, organisations), which `automatic:` lists so a
reader can tell the two apart.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..content.body import escape_markdown
from ..models import Source
from .enrich import detect_language, find_organizations, find_people, find_places
from .incoming import Incoming


def front_matter(
    article_id: str, source: Source, incoming: Incoming
) -> tuple[dict[str, Any], list[str]]:
    """The article's front matter, and the fields of it a program filled in."""
    everything = f"{incoming.title}\n{incoming.text}"
    automatic: list[str] = []
    front: dict[str, Any] = {"id": article_id, "title": incoming.title}
    if incoming.title_from_text:
        front["title_editorial"] = True
        automatic.append("title")
    front["source"] = source.id
    if incoming.kind:
        front["kind"] = incoming.kind
    language = incoming.language or detect_language(everything)
    if not incoming.language:
        automatic.append("language")
    front["language"] = language
    if incoming.published:
        front["published"] = incoming.published.isoformat()
    else:
        front["date_note"] = "The imported file gives no date."
    for name, value in (("url", incoming.url), ("summary", incoming.summary)):
        if value:
            front[name] = value
    for name, values in (("credits", incoming.credits), ("tags", incoming.tags)):
        if values:
            front[name] = list(dict.fromkeys(values))
    for name, finder in (
        ("places", find_places),
        ("people", find_people),
        ("organizations", find_organizations),
    ):
        found = finder(everything)
        if found:
            front[name] = found
            automatic.append(name)
    front["original"] = incoming.origin
    return front, automatic


def body_markdown(blocks: list[tuple[str, str]]) -> str:
    """The (kind, text) blocks as Markdown: headings, italic captions, paragraphs."""
    return "\n\n".join(_block_markdown(kind, text) for kind, text in blocks)


def article_text(front: dict[str, Any], body: str) -> str:
    """A whole article file: the front matter between `---` lines, then the body."""
    return "---\n" + _dump(front) + "---\n\n" + body


def _block_markdown(kind: str, text: str) -> str:
    escaped = escape_markdown(text)
    if kind == "heading":
        return f"## {escaped}"
    if kind == "caption":
        return f"*{escaped}*"
    return escaped


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100)
