"""Writing the briefing: the user's highlights and notes as Markdown or W3C JSON-LD.

The Markdown briefing opens with its title and date, then goes theme by theme
(in `themes.yaml` order): each article once, under the first of its themes,
with its source and grade, date and summary, then the user's highlights as
block quotes in reading order with their notes beneath. Articles in no theme
come last. By default only annotated articles are included; `include_all`
adds every article that matches the filters.

The JSON-LD export is an AnnotationCollection of W3C Web Annotations, each
targeting its article with a TextQuoteSelector and a TextPositionSelector.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .models import Anchored, Article, ArticleNotes, SearchHit, SearchRequest

if TYPE_CHECKING:
    from .workspace import Workspace

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
OTHER_ARTICLES = "Other articles"


@dataclass(frozen=True)
class ExportFilters:
    theme: str | None = None
    source: str | None = None
    query: str = ""
    include_all: bool = False


@dataclass(frozen=True)
class _Entry:
    hit: SearchHit
    article: Article
    notes: ArticleNotes


def collect(workspace: Workspace, filters: ExportFilters) -> list[_Entry]:
    """Articles matching the filters (annotated ones only, unless include_all), newest first."""
    engine = workspace.engine()
    result = workspace.search(
        SearchRequest(
            filters.query,
            source=filters.source,
            theme=filters.theme,
            sort="date",
            limit=max(1, engine.article_count),
            snippets=False,
        )
    )
    annotated = set(workspace.notes.article_ids())
    entries = []
    for hit in result.hits:
        if not filters.include_all and hit.id not in annotated:
            continue
        article = workspace.article(hit.id)
        if article is None:
            continue
        notes = workspace.article_notes(article)
        if notes.items or filters.include_all:
            entries.append(_Entry(hit, article, notes))
    return entries


def briefing_markdown(
    workspace: Workspace,
    filters: ExportFilters,
    title: str | None = None,
    today: dt.date | None = None,
) -> str:
    entries = collect(workspace, filters)
    themes = workspace.themes
    heading = title or (
        f"Briefing: {themes[filters.theme].name}" if filters.theme in themes else "Briefing"
    )
    lines = [f"# {heading}", "", f"_{_describe(workspace, filters, len(entries), today)}_", ""]
    groups: dict[str, list[_Entry]] = {theme_id: [] for theme_id in themes}
    others: list[_Entry] = []
    for entry in entries:
        placed = [t for t in entry.hit.themes if t in groups]
        if filters.theme in groups and filters.theme in entry.hit.themes:
            placed = [filters.theme]
        (groups[placed[0]] if placed else others).append(entry)
    sections = [(themes[t].name, items) for t, items in groups.items() if items]
    if others:
        sections.append((OTHER_ARTICLES, others))
    if not sections:
        lines.append("No annotated articles match. Annotate passages with `a` in the reader,")
        lines.append("or export every matching article with `--all`.")
    for name, items in sections:
        lines += [f"## {name}", ""]
        for entry in items:
            lines += _article_markdown(workspace, entry, name)
    return "\n".join(lines).rstrip() + "\n"


def _describe(
    workspace: Workspace, filters: ExportFilters, count: int, today: dt.date | None
) -> str:
    parts = [f"Prepared {(today or dt.date.today()).isoformat()}"]
    parts.append(f"{count} article{'' if count == 1 else 's'}")
    if filters.query:
        parts.append(f"query “{filters.query}”")
    if filters.source:
        parts.append(f"source {workspace.source(filters.source).name}")
    return " · ".join(parts)


def _article_markdown(workspace: Workspace, entry: _Entry, section: str) -> list[str]:
    article = entry.article
    source = workspace.source(article.source)
    date = article.published.isoformat() if article.published else "undated"
    meta = [f"{source.name} (grade {source.grade})", date]
    if article.kind:
        meta.append(article.kind)
    if article.url:
        meta.append(article.url)
    lines = [f"### {_one_line(article.title)}", "", " · ".join(meta)]
    also = [
        workspace.themes[t].name
        for t in entry.hit.themes
        if t in workspace.themes and workspace.themes[t].name != section
    ]
    if also:
        lines.append(f"Also in: {', '.join(also)}")
    lines.append("")
    if article.summary:
        lines += [f"**Summary.** {_one_line(article.summary)}", ""]
    for item in entry.notes.items:
        lines += _annotation_markdown(item)
    return lines


def _annotation_markdown(item: Anchored) -> list[str]:
    annotation = item.annotation
    lines: list[str] = []
    if item.status == "article":
        lines.append("**Note on the article.**")
    else:
        quote = annotation.target.exact if annotation.target else ""
        if item.status == "orphaned":
            lines.append("> _(this passage is no longer in the article's text)_")
        lines += [f"> {line}" if line else ">" for line in quote.splitlines()]
    lines.append("")
    if annotation.note:
        lines += [*annotation.note.splitlines(), ""]
    if annotation.tags:
        lines += [f"_Tags: {', '.join(annotation.tags)}_", ""]
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- W3C Web Annotation -----------------------------------------------------------------------


def annotations_jsonld(
    workspace: Workspace, filters: ExportFilters, today: dt.date | None = None
) -> dict[str, Any]:
    """An AnnotationCollection of every annotation on the matching articles."""
    items = [
        _annotation_jsonld(item, entry.article)
        for entry in collect(workspace, filters)
        for item in entry.notes.items
    ]
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": f"urn:briefing:export:{(today or dt.date.today()).isoformat()}",
        "type": "AnnotationCollection",
        "label": "briefing annotations",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def article_iri(article: Article) -> str:
    return article.url or f"urn:briefing:article:{article.id}"


def _annotation_jsonld(item: Anchored, article: Article) -> dict[str, Any]:
    annotation = item.annotation
    bodies: list[dict[str, Any]] = []
    if annotation.note:
        bodies.append(
            {"type": "TextualBody", "value": annotation.note, "format": "text/plain",
             "purpose": "commenting"}
        )  # fmt: skip
    bodies += [
        {"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in annotation.tags
    ]
    target: dict[str, Any] | str
    if annotation.target is None:
        target = article_iri(article)
    else:
        selector = annotation.target
        target = {
            "source": article_iri(article),
            "selector": [
                {"type": "TextQuoteSelector", "exact": selector.exact, "prefix": selector.prefix,
                 "suffix": selector.suffix},
                {"type": "TextPositionSelector", "start": selector.start, "end": selector.end},
            ],
        }  # fmt: skip
    data: dict[str, Any] = {
        "@context": ANNOTATION_CONTEXT,
        "id": f"urn:uuid:{annotation.id}",
        "type": "Annotation",
        "motivation": "commenting" if annotation.note else "highlighting",
        "created": annotation.created,
        "modified": annotation.updated,
        "target": target,
    }
    if bodies:
        data["body"] = bodies
    return data
