"""Writing the briefing: the user's highlights and notes as Markdown or W3C JSON-LD.

The Markdown briefing opens with its title and date, then goes theme by theme
(in `themes.yaml` order): each article once, under the first of its themes,
with its source and grade, date and summary, then the user's highlights as
block quotes in reading order with their notes beneath. Articles in no theme
come last. Articles that report one event (`engine.stories`) are grouped
under it: "Story: …" with every source that reported it, its grade and date,
then each exported article of the story with its highlights and notes. By
default only annotated articles are included; `include_all` adds every
article that matches the filters. The filters are the reader's own `Filters`
(query, source, theme, year, place, unread only), so an export from the app
covers exactly the list on screen.

The JSON-LD export is an AnnotationCollection of W3C Web Annotations, each
targeting its article with a TextQuoteSelector and a TextPositionSelector.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .content.body import escape_markdown
from .models import Anchored, Article, ArticleNotes, Filters, SearchHit, SearchRequest, Story

if TYPE_CHECKING:
    from .workspace import Workspace

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
OTHER_ARTICLES = "Other articles"


@dataclass(frozen=True)
class _Entry:
    hit: SearchHit
    article: Article
    notes: ArticleNotes


@dataclass(frozen=True)
class ExportScope:
    """What an export covers: the filters, and whether unannotated articles come too."""

    filters: Filters = field(default_factory=Filters)
    include_all: bool = False
    read: frozenset[str] = frozenset()
    """The articles read, left out when the filters ask for unread ones only."""


def collect(workspace: Workspace, scope: ExportScope) -> list[_Entry]:
    """Articles in the scope (annotated ones only, unless include_all), newest first."""
    engine = workspace.engine()
    hide = scope.filters.hidden(scope.read)
    limit = max(1, engine.article_count)
    request = SearchRequest(scope.filters, hide, sort="date", limit=limit, snippets=False)
    result = workspace.search(request)
    annotated = set(workspace.notes.article_ids())
    entries = []
    for hit in result.hits:
        if not scope.include_all and hit.id not in annotated:
            continue
        article = workspace.article(hit.id)
        if article is None:
            continue
        notes = workspace.article_notes(article)
        if notes.items or scope.include_all:
            entries.append(_Entry(hit, article, notes))
    return entries


def briefing_markdown(
    workspace: Workspace,
    scope: ExportScope,
    title: str | None = None,
    today: dt.date | None = None,
) -> str:
    entries = collect(workspace, scope)
    filters = scope.filters
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
    story_of = {hit.id: story for story in workspace.stories() for hit in story.articles}
    for name, items in sections:
        lines += [f"## {name}", ""]
        told: set[str] = set()
        for entry in items:
            story = story_of.get(entry.article.id)
            if story is None:
                lines += _article_markdown(workspace, entry, name)
            elif story.id not in told:
                told.add(story.id)
                members = [e for e in items if story_of.get(e.article.id) is story]
                lines += _story_markdown(workspace, story, members, name)
    return "\n".join(lines).rstrip() + "\n"


def _story_markdown(
    workspace: Workspace, story: Story, entries: list[_Entry], section: str
) -> list[str]:
    """One event: who reported it, when, with what grade; then each exported article."""
    lines = [f"### Story: {_inline(story.title)}", ""]
    for hit in story.articles:
        source = workspace.source(hit.source)
        date = hit.published.isoformat() if hit.published else "undated"
        lines.append(
            f"- {_inline(source.name)} (grade {source.grade}), {date}: {_inline(hit.title)}"
        )
    lines.append("")
    for entry in entries:
        lines += _article_markdown(workspace, entry, section, level="####")
    return lines


def _describe(workspace: Workspace, filters: Filters, count: int, today: dt.date | None) -> str:
    parts = [f"Prepared {(today or dt.date.today()).isoformat()}"]
    parts.append(f"{count} article{'' if count == 1 else 's'}")
    if filters.query.strip():
        parts.append(f"query “{filters.query.strip()}”")
    if filters.source:
        parts.append(f"source {workspace.source(filters.source).name}")
    if filters.year:
        parts.append(f"year {filters.year}")
    if filters.place:
        parts.append(f"place {filters.place}")
    if filters.unread_only:
        parts.append("unread only")
    return " · ".join(parts)


def _article_markdown(
    workspace: Workspace, entry: _Entry, section: str, level: str = "###"
) -> list[str]:
    article = entry.article
    source = workspace.source(article.source)
    date = article.published.isoformat() if article.published else "undated"
    meta = [f"{_inline(source.name)} (grade {source.grade})", date]
    if article.kind:
        meta.append(_inline(article.kind))
    if _web_link(article.url):
        meta.append(f"<{article.url}>")
    lines = [f"{level} {_inline(article.title)}", "", " · ".join(meta)]
    also = [
        workspace.themes[t].name
        for t in entry.hit.themes
        if t in workspace.themes and workspace.themes[t].name != section
    ]
    if also:
        lines.append(f"Also in: {', '.join(also)}")
    lines.append("")
    if article.summary:
        lines += [f"**Summary.** {_inline(article.summary)}", ""]
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


def _inline(text: str) -> str:
    """Untrusted text (titles, summaries, names) as Markdown that shows it as written: no
    HTML, link or emphasis of its own can come through."""
    return escape_markdown(text)


def _web_link(url: str) -> bool:
    """Only http(s) links are written (never `javascript:`, `data:` or `file:`), and only
    whole ones (nothing that would end the <…> around them)."""
    return url.startswith(("http://", "https://")) and not any(c in url for c in "<> \n")


# -- W3C Web Annotation -----------------------------------------------------------------------


def annotations_jsonld(
    workspace: Workspace, scope: ExportScope, today: dt.date | None = None
) -> dict[str, Any]:
    """An AnnotationCollection of every annotation on the matching articles."""
    items = [
        _annotation_jsonld(item, entry.article)
        for entry in collect(workspace, scope)
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
    return article.url if _web_link(article.url) else f"urn:briefing:article:{article.id}"


def _annotation_jsonld(item: Anchored, article: Article) -> dict[str, Any]:
    annotation = item.annotation
    bodies: list[dict[str, Any]] = []
    if annotation.note:
        bodies.append(
            {
                "type": "TextualBody",
                "value": annotation.note,
                "format": "text/plain",
                "purpose": "commenting",
            }
        )
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
                {
                    "type": "TextQuoteSelector",
                    "exact": selector.exact,
                    "prefix": selector.prefix,
                    "suffix": selector.suffix,
                },
                {"type": "TextPositionSelector", "start": selector.start, "end": selector.end},
            ],
        }
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
