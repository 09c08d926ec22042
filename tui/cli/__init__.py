"""The `briefing` command: a thin layer over `index.workspace.Workspace`.

Every subcommand does what the interface does with the same functions; the
only logic here is argument parsing and output (Rich tables or JSON). The
subcommands live in modules by concern: reading, notes, importing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from index import SORTS, BriefingError, QueryError, Workspace

from .analysis import add_story_commands
from .feeds import add_feed_commands
from .importing import cmd_import
from .notes import cmd_export, cmd_notes
from .output import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, bounded
from .reading import SEARCH_HELP, cmd_index, cmd_search, cmd_show, cmd_sources, cmd_themes


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return run_app(args)
    out = Console(highlight=False, soft_wrap=False)
    err = Console(stderr=True, highlight=False, soft_wrap=True)  # messages stay one line
    try:
        workspace = Workspace.open(args.content, args.data)
    except BriefingError as error:
        err.print(Text(f"briefing: {error.advice}"))
        return EXIT_FAILED
    if workspace.read_only:
        err.print(Text(f"briefing: read-only session: {workspace.read_only}; nothing is saved"))
    try:
        return int(args.handler(workspace, args, out, err))
    except BriefingError as error:  # the one root of what a user can cause: one line, no trace
        err.print(Text(f"briefing: {error.advice}"))
        return EXIT_USAGE if isinstance(error, QueryError) else EXIT_FAILED
    except OSError as error:
        err.print(Text(f"briefing: {error}"))
        return EXIT_FAILED
    except KeyboardInterrupt:  # Ctrl+C: what was done is kept (a fetch keeps what came)
        err.print(Text("briefing: interrupted; what was finished is kept"))
        return EXIT_INTERRUPTED
    finally:
        workspace.close()


def run_app(args: argparse.Namespace) -> int:
    """Without a subcommand: the interactive interface."""
    from ..app import BriefingApp  # imported here so the subcommands start fast

    try:
        workspace = Workspace.open(args.content, args.data)
    except BriefingError as error:
        Console(stderr=True, highlight=False, soft_wrap=True).print(Text(f"briefing: {error}"))
        return EXIT_FAILED
    try:
        BriefingApp(workspace).run()
    finally:
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
        "search",
        parents=[common],
        help="search the articles",
        description=SEARCH_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    search.add_argument("query", nargs="+", help="Whoosh query syntax (see below)")
    search.add_argument("--source", help="only articles from this source id")
    search.add_argument("--theme", help="only articles in this theme id")
    search.add_argument("--place", help="only articles about this place")
    search.add_argument("--sort", choices=SORTS, default="relevance")
    search.add_argument(
        "--limit", type=bounded(1, 100_000), default=20, help="hits to show (default 20)"
    )
    search.add_argument(
        "--literal",
        action="store_true",
        help="when nothing matches, show nothing rather than the results of a correction",
    )
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

    importing = commands.add_parser(
        "import",
        parents=[common],
        help="import articles: files, folders, archives, feeds",
        description="Import Markdown (our format), plain text, HTML pages, JSON or JSON Lines "
        "archives and RSS/Atom feeds into your library (or --into DIR). Duplicates (same "
        "URL or same text) are skipped; places, people, organisations and language are "
        "annotated automatically.",
    )
    importing.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    importing.add_argument("--source", metavar="ID", help="the source of every article")
    importing.add_argument("--into", metavar="DIR", help="a content folder to import into")
    importing.add_argument("--json", action="store_true", help="print the summary as JSON")
    importing.set_defaults(command="import", handler=cmd_import)

    add_feed_commands(commands, common)
    add_story_commands(commands, common)

    notes = commands.add_parser("notes", parents=[common], help="list your annotations")
    notes.add_argument("--article", metavar="ID", help="only this article's annotations")
    notes.add_argument("--tag", help="only annotations with this tag")
    notes.add_argument("--json", action="store_true", help="print JSON")
    notes.set_defaults(command="notes", handler=cmd_notes)

    export = commands.add_parser(
        "export",
        parents=[common],
        help="write your briefing (Markdown or W3C JSON-LD)",
        description="Write the briefing: per theme, each annotated article with its summary, "
        "your highlights as block quotes and your notes beneath.",
    )
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


if __name__ == "__main__":
    sys.exit(main())
