"""The analyst's commands: `stories` (one event across sources), `emerging`, `timeline`."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from rich.console import Console
from rich.text import Text

from index import Filters, SearchRequest, Workspace
from index.models import Story

from ..render import format_date, story_span, timeline_chart
from .output import EXIT_OK, bounded, day, ensure_index, plural


def cmd_stories(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    ensure_index(workspace, err)
    stories = workspace.stories(args.theme, args.since)
    if args.json:
        print(
            json.dumps(
                [story_json(story, workspace) for story in stories], ensure_ascii=False, indent=2
            )
        )
        return EXIT_OK
    if not stories:
        out.print(Text("No story is told by two articles or more here."))
        return EXIT_OK
    count = len(stories)
    out.print(Text(f"{count} stor{'y' if count == 1 else 'ies'}", style="bold"))
    for story in stories[: args.limit]:
        out.print()
        out.print(story_lines(story, workspace))
    if len(stories) > args.limit:
        out.print(Text(f"\n…and {len(stories) - args.limit} more (--limit, --json)", style="dim"))
    return EXIT_OK


def story_lines(story: Story, workspace: Workspace) -> Text:
    """A story's headline, span and sources, then one line per article."""
    span = story_span(story)
    text = Text(story.title, style="bold")
    names = ", ".join(workspace.source(s).name for s in story.sources)
    text.append(f"\n{span} · {plural(len(story.articles))} · {names}", style="dim")
    for hit in story.articles:
        source = workspace.source(hit.source)
        text.append(f"\n  {format_date(hit.published)}  {source.label} ({source.grade})  ")
        text.append(hit.title)
        text.append(f"  [{hit.id}]", style="dim")
    return text


def story_json(story: Story, workspace: Workspace) -> dict[str, object]:
    return {
        "id": story.id,
        "title": story.title,
        "first": story.first.isoformat() if story.first else None,
        "last": story.last.isoformat() if story.last else None,
        "sources": list(story.sources),
        "articles": [
            {
                "id": hit.id,
                "title": hit.title,
                "source": hit.source,
                "grade": workspace.source(hit.source).grade,
                "published": hit.published.isoformat() if hit.published else None,
            }
            for hit in story.articles
        ],
    }


def cmd_emerging(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    ensure_index(workspace, err)
    until = args.until or dt.date.today()
    found = workspace.emerging(args.days, until, args.baseline, args.theme, args.query or "")
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "term": e.term,
                        "kind": e.kind,
                        "recent": e.recent,
                        "baseline": e.baseline,
                        "g2": e.score,
                        "articles": list(e.articles),
                    }
                    for e in found
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    start = until - dt.timedelta(days=args.days - 1)
    out.print(
        Text(
            f"Rising from {start} to {until}, against the {args.baseline} days before "
            "(articles with the term, now / before; G², log-likelihood):",
            style="bold",
        )
    )
    if not found:
        out.print(
            Text(
                "Nothing rose: no term is in 3 articles or more of the window and "
                "more often than before.",
                style="dim",
            )
        )
    for item in found:
        out.print(
            Text(f"  {item.term:<36} {item.recent:>4} / {item.baseline:<5} G² {item.score:>7.1f}")
        )
    if found:
        out.print(
            Text(
                f"\nbriefing search '\"{found[0].term}\"' shows the articles of a term.",
                style="dim",
            )
        )
    return EXIT_OK


def cmd_timeline(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    ensure_index(workspace, err)
    chosen = Filters(" ".join(args.query), source=args.source, theme=args.theme)
    request = SearchRequest(chosen, limit=1, snippets=False)
    timeline = workspace.timeline(request, args.by, periods=max(10, out.width - 16))
    if args.json:
        print(
            json.dumps(
                {
                    "unit": timeline.unit,
                    "periods": [day.isoformat() for day in timeline.periods],
                    "sources": timeline.counts,
                },
                indent=2,
            )
        )
        return EXIT_OK
    what = " ".join(args.query) or "every article"
    if args.theme:
        what += f" in {workspace.themes[args.theme].name}" if args.theme in workspace.themes else ""
    out.print(Text(f"{what}: {sum(timeline.totals)} dated articles", style="bold"))
    out.print(timeline_chart(timeline, lambda s: workspace.source(s).label, out.width))
    return EXIT_OK


def add_story_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> None:
    stories = commands.add_parser(
        "stories",
        parents=[common],
        help="events told by several articles, across sources",
        description="Group the articles that report one event (across sources and a few days; "
        "copies found on import are the strongest link) and list the stories, newest first.",
    )
    stories.add_argument("--theme", help="only stories with an article in this theme id")
    stories.add_argument(
        "--since",
        type=day,
        metavar="DATE",
        help="only stories whose last article is on or after DATE",
    )
    stories.add_argument(
        "--limit", type=bounded(1, 100_000), default=30, help="stories to print (default 30)"
    )
    stories.add_argument("--json", action="store_true", help="print JSON (every story)")
    stories.set_defaults(command="stories", handler=cmd_stories)

    emerging = commands.add_parser(
        "emerging",
        parents=[common],
        help="words and names rising in the last days",
        description="The words and names in more articles of the last --days days (up to "
        "--until, default today) than of the --baseline days before, by log-likelihood (G²); "
        "a term must be in 3 articles of the window. Study an archive by naming its last day.",
    )
    emerging.add_argument("--theme", help="only articles in this theme id")
    emerging.add_argument("--query", help="only articles matching this query")
    emerging.add_argument(
        "--days", type=bounded(1, 3660), default=14, help="the window (default 14)"
    )
    emerging.add_argument(
        "--baseline",
        type=bounded(1, 36600),
        default=90,
        metavar="DAYS",
        help="the days before it compared with (default 90)",
    )
    emerging.add_argument(
        "--until", type=day, metavar="DATE", help="the window's last day (default today)"
    )
    emerging.add_argument("--json", action="store_true", help="print JSON")
    emerging.set_defaults(command="emerging", handler=cmd_emerging)

    timeline = commands.add_parser(
        "timeline",
        parents=[common],
        help="a query's articles per day, week or month, by source",
        description="Draw a query's (or a theme's) articles over time, a row per source, with "
        "the dates beneath. The unit is the finest that fits the terminal, or --by.",
    )
    timeline.add_argument("query", nargs="*", help="a query (default: every article)")
    timeline.add_argument("--theme", help="only articles in this theme id")
    timeline.add_argument("--source", help="only articles from this source id")
    timeline.add_argument("--by", choices=("day", "week", "month"), help="the unit")
    timeline.add_argument("--json", action="store_true", help="print the counts as JSON")
    timeline.set_defaults(command="timeline", handler=cmd_timeline)
