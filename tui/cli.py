"""The `briefing` command: a thin layer over `index.workspace.Workspace`.

Every subcommand does what the interface does with the same functions; the
only logic here is argument parsing and output (Rich tables or JSON).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from index.export import ExportFilters, annotations_jsonld, briefing_markdown
from index.indexer import IndexBusy, SyncReport
from index.models import Annotation, Problem, SearchHit, SearchResult
from index.query import QueryError
from index.search import SORTS
from index.storage import atomic_write_text
from index.workspace import Workspace

from .render import article_renderable, format_date, snippet_text, source_label, theme_names

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return run_app(args)
    out = Console(highlight=False, soft_wrap=False)
    err = Console(stderr=True, highlight=False)
    try:
        workspace = Workspace.open(args.content, args.data)
        return int(args.handler(workspace, args, out, err))
    except QueryError as error:
        err.print(Text(f"briefing: {error}"))
        return EXIT_USAGE
    except IndexBusy as error:
        err.print(Text(f"briefing: {error}; try again in a moment"))
        return EXIT_FAILED
    except OSError as error:
        err.print(Text(f"briefing: {error}"))
        return EXIT_FAILED


def run_app(args: argparse.Namespace) -> int:
    """Without a subcommand: the interactive interface."""
    from .app import BriefingApp  # imported here so the subcommands start fast

    workspace = Workspace.open(args.content, args.data)
    BriefingApp(workspace).run()
    workspace.close()
    return EXIT_OK


def add_location_options(parser: argparse.ArgumentParser, default: object) -> None:
    """--content and --data, accepted before or after the subcommand."""
    parser.add_argument(
        "--content",
        metavar="DIR",
        default=default,
        help="content folder to read (default: the bundled briefing; env BRIEFING_CONTENT)",
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=default,
        help="where the index and your data live (default: user data dir; env BRIEFING_DATA)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        description="Read, search and annotate a briefing of articles from the terminal.",
    )
    add_location_options(parser, default=None)
    parser.set_defaults(command=None)
    common = argparse.ArgumentParser(add_help=False)
    add_location_options(common, default=argparse.SUPPRESS)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    search = commands.add_parser(
        "search", parents=[common], help="search the articles", description=SEARCH_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    search.add_argument("query", nargs="+", help="Whoosh query syntax (see below)")
    search.add_argument("--source", help="only articles from this source id")
    search.add_argument("--theme", help="only articles in this theme id")
    search.add_argument("--place", help="only articles about this place")
    search.add_argument("--sort", choices=SORTS, default="relevance")
    search.add_argument("--limit", type=_positive, default=20, help="hits to show (default 20)")
    search.add_argument("--json", action="store_true", help="print one JSON object")
    search.set_defaults(command="search", handler=cmd_search)

    index = commands.add_parser("index", parents=[common], help="update the search index")
    index.add_argument("--rebuild", action="store_true", help="rebuild it from scratch")
    index.add_argument(
        "--strict", action="store_true", help="exit with status 1 if any content has a problem"
    )
    index.set_defaults(command="index", handler=cmd_index)

    show = commands.add_parser("show", parents=[common], help="print one article")
    show.add_argument("id", help="the article id (see `briefing search --json`)")
    show.set_defaults(command="show", handler=cmd_show)

    sources = commands.add_parser("sources", parents=[common], help="list sources with counts")
    sources.add_argument("--json", action="store_true", help="print JSON")
    sources.set_defaults(command="sources", handler=cmd_sources)

    notes = commands.add_parser("notes", parents=[common], help="list your annotations")
    notes.add_argument("--article", metavar="ID", help="only this article's annotations")
    notes.add_argument("--tag", help="only annotations with this tag")
    notes.add_argument("--json", action="store_true", help="print JSON")
    notes.set_defaults(command="notes", handler=cmd_notes)

    export = commands.add_parser(
        "export", parents=[common], help="write your briefing (Markdown or W3C JSON-LD)",
        description="Write the briefing: per theme, each annotated article with its summary, "
        "your highlights as block quotes and your notes beneath.",
    )  # fmt: skip
    export.add_argument("--theme", help="only articles in this theme id")
    export.add_argument("--source", help="only articles from this source id")
    export.add_argument("--query", default="", help="only articles matching this query")
    export.add_argument("--all", action="store_true", help="include articles you did not annotate")
    export.add_argument("--title", help="the briefing's title (default: Briefing)")
    export.add_argument("--format", choices=("markdown", "jsonld"), default="markdown")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    export.set_defaults(command="export", handler=cmd_export)

    themes = commands.add_parser("themes", parents=[common], help="list themes and their articles")
    themes.add_argument("--json", action="store_true", help="print JSON")
    themes.add_argument("--all", action="store_true", help="list every article of each theme")
    themes.set_defaults(command="themes", handler=cmd_themes)
    return parser


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


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


# -- commands -------------------------------------------------------------------------


def cmd_search(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    ensure_index(workspace, err)
    result = workspace.search(
        " ".join(args.query),
        source=args.source,
        theme=args.theme,
        place=args.place,
        sort=args.sort,
        limit=args.limit,
    )
    if args.json:
        print(json.dumps(search_json(result, workspace), ensure_ascii=False, indent=2))
        return EXIT_OK
    if result.hits:
        out.print(hits_table(result.hits, workspace, out.width))
    shown = len(result.hits)
    summary = plural(result.total)
    if shown < result.total:
        summary += f", showing {shown} (use --limit)"
    out.print(Text(summary, style="dim"))
    if result.suggestion:
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
    return EXIT_OK


def cmd_sources(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    ensure_index(workspace, err)
    counts = workspace.search("", limit=1, snippets=False).facets.sources
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
        result = workspace.search("", theme=theme.id, limit=limit, snippets=False)
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


def cmd_notes(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    ensure_index(workspace, err)
    rows = [
        (annotation, title)
        for annotation, title in workspace.all_notes()
        if (not args.article or annotation.article_id == args.article)
        and (not args.tag or args.tag.lower() in (t.lower() for t in annotation.tags))
    ]
    if args.json:
        print(json.dumps([note_json(a, title) for a, title in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        out.print(Text("No annotations yet: select a passage in the reader and press a.", "dim"))
        return EXIT_OK
    table = Table(expand=True, show_lines=True)
    table.add_column("Article", ratio=2)
    table.add_column("Passage", ratio=3)
    table.add_column("Note", ratio=3)
    table.add_column("Tags", ratio=1)
    table.add_column("Updated", no_wrap=True)
    for annotation, title in rows:
        quote = annotation.target.exact if annotation.target else "(whole article)"
        table.add_row(
            Text(title), Text(quote, style="italic"), Text(annotation.note),
            Text(", ".join(annotation.tags)), Text(annotation.updated[:16].replace("T", " ")),
        )  # fmt: skip
    out.print(table)
    out.print(Text(plural(len(rows), "annotation"), style="dim"))
    return EXIT_OK


def note_json(annotation: Annotation, title: str) -> dict[str, Any]:
    target = annotation.target
    return {
        "id": annotation.id,
        "article": annotation.article_id,
        "title": title,
        "note": annotation.note,
        "tags": list(annotation.tags),
        "created": annotation.created,
        "updated": annotation.updated,
        "quote": target.exact if target else None,
        "start": target.start if target else None,
        "end": target.end if target else None,
    }


def cmd_export(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    ensure_index(workspace, err)
    filters = ExportFilters(args.theme, args.source, args.query, args.all)
    if args.format == "jsonld":
        text = json.dumps(annotations_jsonld(workspace, filters), ensure_ascii=False, indent=2)
    else:
        text = briefing_markdown(workspace, filters, title=args.title)
    if not args.output:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return EXIT_OK
    path = Path(args.output).expanduser()
    atomic_write_text(path, text)
    err.print(Text(f"Wrote {path}"))
    return EXIT_OK


# -- shared output ------------------------------------------------------------------------


def ensure_index(workspace: Workspace, err: Console) -> None:
    """Bring the index up to date before answering, with a progress bar when it is slow."""
    if workspace.needs_update():
        sync_with_progress(workspace, err)
    print_problems(workspace.problems(), err)


def sync_with_progress(
    workspace: Workspace, err: Console, rebuild: bool = False, always: bool = False
) -> SyncReport:
    progress = Progress(
        TextColumn("Indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=not always,
        disable=not err.is_terminal,
    )
    with progress:
        task = progress.add_task("index", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return workspace.sync(rebuild=rebuild, progress=advance)


def plural(count: int, noun: str = "article") -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def print_problems(problems: Sequence[Problem], err: Console) -> None:
    for problem in problems:
        err.print(Text(f"warning: {problem}", style="yellow"), soft_wrap=True)


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
        },
        "suggestion": result.suggestion,
    }


if __name__ == "__main__":
    sys.exit(main())
