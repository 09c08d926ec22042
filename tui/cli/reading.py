"""Reading commands: search, show, index, sources, themes."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from index import Filters, SearchRequest, Workspace
from index.models import SearchHit, SearchResult

from ..render import (
    article_renderable,
    format_date,
    snippet_text,
    source_label,
    theme_names,
    timeline_chart,
)
from .output import (
    EXIT_FAILED,
    EXIT_OK,
    ensure_index,
    plural,
    print_problems,
    sync_with_progress,
)

SEARCH_HELP = """\
Search the articles. The query uses Whoosh syntax:
  regional factories          both words (stemmed: factory, factories)
  "joint venture"             the phrase
  venture*                    words starting with venture
  china OR chinese, NOT kcna  boolean operators in capitals
  place:"North Pyongan"       a field: title, body, summary, place, person, org,
                              tag, theme, source, kind, language, year, date
  date:2024-03, date:[2024-01 to 2024-06], date:>2024-06
Names match their other spellings (content/variants.yaml): Kim Chong Un finds Kim Jong Un."""


def cmd_search(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    ensure_index(workspace, err)
    result = workspace.search(
        SearchRequest(
            Filters(" ".join(args.query), source=args.source, theme=args.theme, place=args.place),
            sort=args.sort,
            limit=args.limit,
            literal=args.literal,
        )
    )
    if args.json:
        print(json.dumps(search_json(result, workspace), ensure_ascii=False, indent=2))
        return EXIT_OK
    if result.shown_for is not None:
        out.print(
            Text.assemble(
                "Nothing matches “",
                result.query,
                "”; showing results for “",
                (result.shown_for, "bold"),
                "” (--literal for the query as typed)",
            )
        )
    if result.hits:
        out.print(hits_table(result.hits, workspace, out.width))
    shown = len(result.hits)
    summary = plural(result.total)
    if shown < result.total:
        summary += f", showing {shown} (use --limit)"
    out.print(Text(summary, style="dim"))
    if result.suggestion and result.shown_for is None:
        out.print(Text.assemble("Did you mean: ", (result.suggestion, "bold"), "?"))
    return EXIT_OK


def cmd_index(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    report = sync_with_progress(workspace, err, rebuild=args.rebuild, always=True)
    kind = "Rebuilt" if report.rebuilt else "Updated"
    out.print(
        Text(
            f"{kind} the index in {report.seconds:.2f} s: {plural(report.total)} "
            f"({len(report.added)} added, {len(report.updated)} updated, "
            f"{len(report.removed)} removed, {report.unchanged} unchanged)"
        )
    )
    problems = workspace.problems()
    print_problems(problems, err)
    if problems:
        out.print(Text(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in content"))
    return EXIT_FAILED if args.strict and problems else EXIT_OK


def cmd_show(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    ensure_index(workspace, err)
    loaded = workspace.load_article(args.id)
    if loaded is None or loaded.article is None:
        err.print(Text(f"briefing: no article with id {args.id!r}"))
        if loaded:
            print_problems(loaded.problems, err)
        return EXIT_FAILED
    article = loaded.article
    out.print(article_renderable(article, workspace.source(article.source), workspace.themes))
    story = workspace.story_of(article.id)
    if story is not None:
        others = [hit for hit in story.articles if hit.id != article.id]
        sources = [workspace.source(s).name for s in story.sources if s != article.source]
        also = f"Also covered by {', '.join(sources)}" if sources else "Same story"
        out.print(Text(f"\n{also} (`briefing stories`):", style="bold"))
        for hit in others:
            source = workspace.source(hit.source)
            out.print(
                Text(
                    f"  {format_date(hit.published)}  {source.label} ({source.grade})  "
                    f"{hit.title}  [{hit.id}]"
                )
            )
    return EXIT_OK


def cmd_sources(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    ensure_index(workspace, err)
    counts = workspace.search(SearchRequest(Filters(), limit=1, snippets=False)).facets.sources
    ids = list(workspace.sources) + sorted(set(counts) - set(workspace.sources))
    rows = [(workspace.source(source_id), counts.get(source_id, 0)) for source_id in ids]
    if args.json:
        data = [
            {
                "id": source.id,
                "name": source.name,
                "kind": source.kind,
                "languages": list(source.languages),
                "homepage": source.homepage,
                "grade": source.grade,
                "rationale": source.rationale,
                "articles": count,
            }
            for source, count in rows
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    table = Table(title="Sources", title_justify="left", expand=True)
    table.add_column("Source", ratio=2, min_width=14)
    table.add_column("Kind", ratio=1, min_width=10)
    table.add_column("Grade", no_wrap=True)
    table.add_column("Articles", justify="right", no_wrap=True)
    table.add_column("Why this grade", ratio=4, min_width=20)
    for source, count in rows:
        name = Text(source.name)
        name.append(f"\n{source.id}", style="dim")
        table.add_row(
            name, Text(source.kind), Text(source.grade), Text(str(count)), Text(source.rationale)
        )
    out.print(table)
    return EXIT_OK


def cmd_themes(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    ensure_index(workspace, err)
    listed = None if (args.all or args.json) else 10
    data = []
    for theme in workspace.themes.values():
        limit = listed or max(1, workspace.engine().article_count)
        result = workspace.search(
            SearchRequest(Filters(theme=theme.id), limit=limit, snippets=False)
        )
        data.append((theme, result))
    if args.json:
        payload = [
            {
                "id": theme.id,
                "name": theme.name,
                "description": theme.description,
                "query": theme.query,
                "articles": result.total,
                "hits": [{"id": hit.id, "title": hit.title} for hit in result.hits],
            }
            for theme, result in data
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    for theme, result in data:
        out.print(Text.assemble((theme.name, "bold"), f"  {theme.id} · {plural(result.total)}"))
        if theme.description:
            out.print(Text(theme.description, style="dim"))
        request = SearchRequest(Filters(theme=theme.id), limit=1, snippets=False)
        timeline = workspace.timeline(request, periods=max(10, out.width - 16))
        if timeline.periods:
            chart = timeline_chart(timeline, lambda s: workspace.source(s).label, out.width, 3)
            out.print(chart)
        for hit in result.hits:
            line = Text("  • ")
            line.append(hit.title)
            line.append(f"  {workspace.source(hit.source).name}, {format_date(hit.published)}")
            out.print(line)
        if len(result.hits) < result.total:
            out.print(Text(f"  … and {result.total - len(result.hits)} more (use --all)"))
        out.print()
    print_problems(workspace.problems(), err)
    return EXIT_OK


WIDE_TABLE = 110
"""Below this many columns, source, date and themes go under the title instead."""


def hits_table(hits: Sequence[SearchHit], workspace: Workspace, width: int) -> Table:
    """Rank, title, source, date, themes and snippet; narrow terminals stack the middle ones."""
    wide = width >= WIDE_TABLE
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Title", ratio=3)
    if wide:
        table.add_column("Source", ratio=1)
        table.add_column("Date", no_wrap=True)
        table.add_column("Themes", ratio=1)
    table.add_column("Snippet", ratio=5 if wide else 4)
    for rank, hit in enumerate(hits, 1):
        snippet = snippet_text(hit.snippets[0]) if hit.snippets else Text("")
        details = [
            source_label(workspace.source(hit.source)),
            format_date(hit.published),
            theme_names(hit.themes, workspace.themes),
        ]
        title = Text(hit.title, style="bold")
        if wide:
            table.add_row(Text(str(rank)), title, *(Text(d) for d in details), snippet)
        else:
            title.append("\n" + " · ".join(d for d in details if d), style="dim")
            table.add_row(Text(str(rank)), title, snippet)
    return table


def search_json(result: SearchResult, workspace: Workspace) -> dict[str, Any]:
    return {
        "query": result.query,
        "total": result.total,
        "hits": [
            {
                "rank": rank,
                "id": hit.id,
                "title": hit.title,
                "source": hit.source,
                "source_name": workspace.source(hit.source).name,
                "grade": workspace.source(hit.source).grade,
                "published": hit.published.isoformat() if hit.published else None,
                "themes": list(hit.themes),
                "also_in": list(hit.also_in),
                "score": round(hit.score, 4),
                "snippets": [
                    {"text": s.text, "start": s.start, "matches": [list(m) for m in s.matches]}
                    for s in hit.snippets
                ],
            }
            for rank, hit in enumerate(result.hits, 1)
        ],
        "facets": {
            "source": result.facets.sources,
            "theme": result.facets.themes,
            "year": result.facets.years,
            "place": result.facets.places,
        },
        "suggestion": result.suggestion,
        "shown_for": result.shown_for,
    }
