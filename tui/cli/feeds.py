"""`briefing feeds …` (subscriptions) and `briefing fetch` (bring in what is new)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from index import Workspace, clean_text

if TYPE_CHECKING:
    from index import Feed, FeedState, FetchReport, FetchStatus

from ..render import fetch_line
from .importing import print_report
from .output import EXIT_FAILED, EXIT_OK, plural, sync_with_progress


def add_feed_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> None:
    """`feeds add/list/remove/import/export` and `fetch`."""
    feeds = commands.add_parser(
        "feeds",
        parents=[common],
        help="the feeds you follow: add, list, remove, OPML",
        description="Follow feeds (RSS, Atom, JSON Feed). They are kept in feeds.yaml in your "
        "library; `briefing fetch` brings in what is new.",
    )
    feeds.set_defaults(command="feeds", handler=cmd_feeds_list, json=False)
    actions = feeds.add_subparsers(title="actions", metavar="ACTION")
    add = actions.add_parser("add", parents=[common], help="follow a feed, or a page's feed")
    add.add_argument("url", help="a feed's URL, or a page that names its feed")
    add.add_argument("--source", metavar="ID", help="the source of its articles")
    add.add_argument(
        "--full-text",
        choices=("auto", "on", "off"),
        default="auto",
        help="fetch each item's page for its text: auto (when the item is a summary), on, off",
    )
    add.add_argument(
        "--interval",
        type=_minutes,
        default=60,
        metavar="MINUTES",
        help="minutes between fetches (default 60)",
    )
    add.set_defaults(handler=cmd_feeds_add)
    listing = actions.add_parser("list", parents=[common], help="each feed's last fetch")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_feeds_list)
    remove = actions.add_parser("remove", parents=[common], help="stop following a feed")
    remove.add_argument("id", help="the feed's id (see `briefing feeds list`)")
    remove.set_defaults(handler=cmd_feeds_remove)
    moved = "follow a feed at the other host its server moved it to"
    accept = actions.add_parser("accept", parents=[common], help=moved)
    accept.add_argument("id", help="the feed's id (`briefing feeds list` shows “moved to …?”)")
    accept.set_defaults(handler=cmd_feeds_accept)
    opml_in = actions.add_parser("import", parents=[common], help="follow an OPML file's feeds")
    opml_in.add_argument("file", metavar="FILE.opml")
    opml_in.set_defaults(handler=cmd_feeds_import)
    opml_out = actions.add_parser("export", parents=[common], help="write the feeds as OPML")
    opml_out.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    opml_out.set_defaults(handler=cmd_feeds_export)

    fetch = commands.add_parser(
        "fetch",
        parents=[common],
        help="bring in what is new from the feeds you follow",
        description="Fetch every due feed (each at most once per its interval, default hourly) "
        "and import its new items, with full text when the feed gives a summary.",
    )
    fetch.add_argument("--feed", metavar="ID", help="only this feed")
    fetch.add_argument(
        "--force",
        action="store_true",
        help="fetch feeds not due yet (a server's Retry-After and back-off after "
        "failures still hold)",
    )
    fetch.add_argument("--json", action="store_true", help="print the outcome as JSON")
    fetch.set_defaults(command="fetch", handler=cmd_fetch)


def _minutes(value: str) -> int:
    number = int(value)
    if number < 5:
        raise argparse.ArgumentTypeError("at least 5 minutes")
    return number


def cmd_feeds_add(
    workspace: Workspace, args: argparse.Namespace, out: Console, err: Console
) -> int:
    full_text = {"on": True, "off": False, "auto": None}[args.full_text]
    added = workspace.following().add(args.url, args.source, full_text, args.interval)
    feed = added.feed
    found = f" (announced by {clean_text(added.found_on)})" if added.found_on else ""
    out.print(
        Text(
            f"Following {feed.id}: {feed.title or feed.url} — {added.kind}, "
            f"{plural(added.items, 'item')} now{found}. `briefing fetch` brings them in."
        )
    )
    return EXIT_OK


def cmd_feeds_list(
    workspace: Workspace, args: argparse.Namespace, out: Console, err: Console
) -> int:
    states, problems = workspace.following().states()
    for problem in problems:
        err.print(Text(f"warning: {problem}", style="yellow"), soft_wrap=True)
    if args.json:
        print(
            json.dumps(
                [feed_json(feed, state) for feed, state in states], ensure_ascii=False, indent=2
            )
        )
        return EXIT_OK
    if not states:
        out.print(
            Text(
                "No feeds yet: `briefing feeds add URL` follows one (a feed, or a page "
                "that names its feed)."
            )
        )
        return EXIT_OK
    table = Table(box=None, pad_edge=False)
    for column in ("feed", "last fetch", "status", "new", "next due"):
        table.add_column(column, no_wrap=column != "status")
    now = time.time()
    for feed, state in states:
        status = state.status or "never fetched"
        if state.error:
            status += f": {state.error}"
        if state.failures:
            status += f" ({plural(state.failures, 'failure')} in a row)"
        if state.moved_to:
            status += f"; moved to {state.moved_to}? `briefing feeds accept {feed.id}`"
        table.add_row(
            Text(f"{feed.id}\n{feed.url}"),
            Text(_when(state.last_fetch)),
            Text(status),
            Text(str(state.new_items)),
            Text(_due(state, now)),
        )
    out.print(table)
    return EXIT_OK


def cmd_feeds_accept(
    workspace: Workspace, args: argparse.Namespace, out: Console, err: Console
) -> int:
    url = workspace.following().accept_move(args.id)
    out.print(Text(f"Following {args.id} at {url} from now on."))
    return EXIT_OK


def cmd_feeds_remove(
    workspace: Workspace, args: argparse.Namespace, out: Console, err: Console
) -> int:
    workspace.following().remove(args.id)
    out.print(Text(f"No longer following {args.id}; its articles stay in your library."))
    return EXIT_OK


def cmd_feeds_import(
    workspace: Workspace, args: argparse.Namespace, out: Console, err: Console
) -> int:
    added, skipped = workspace.following().import_opml(Path(args.file).expanduser())
    out.print(
        Text(
            f"Following {plural(len(added), 'new feed')} from "
            f"{clean_text(args.file)}; {len(skipped)} not added."
        )
    )
    for line in skipped:
        err.print(Text(f"skipped: {line}", style="yellow"), soft_wrap=True)
    return EXIT_OK


def cmd_feeds_export(
    workspace: Workspace, args: argparse.Namespace, out: Console, err: Console
) -> int:
    text = workspace.following().export_opml()
    if args.output:
        Path(args.output).expanduser().write_text(text, encoding="utf-8")
        err.print(Text(f"Wrote {clean_text(args.output)}"))
    else:
        print(text, end="")
    return EXIT_OK


def cmd_fetch(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    def tell(status: FetchStatus) -> None:
        if err.is_terminal and status.total:
            err.print(Text(fetch_line(status)), end="\r")

    report = workspace.fetch(args.feed, args.force, progress=tell)
    if report.new:
        sync_with_progress(workspace, err)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print_fetch(report, workspace, out, err)
    return EXIT_FAILED if report.count("failed") else EXIT_OK


def print_fetch(report: FetchReport, workspace: Workspace, out: Console, err: Console) -> None:
    for problem in report.problems:
        err.print(Text(f"warning: {problem}", style="yellow"), soft_wrap=True)
    fetched = [f for f in report.feeds if f.status != "waiting"]
    if not report.feeds:
        out.print(Text("No feeds to fetch: `briefing feeds add URL` follows one."))
        return
    parts = [f"{plural(len(report.new), 'new article')} from {plural(len(fetched), 'feed')}"]
    for status in ("not modified", "nothing new", "failed", "waiting"):
        if report.count(status):
            parts.append(f"{report.count(status)} {status}")
    if not report.new and fetched:
        parts[0] = "Nothing new"
    out.print(Text(" · ".join(parts) + "."))
    now = time.time()
    for outcome in report.feeds:
        if outcome.status == "new":
            out.print(Text(f"  {outcome.feed.id}: {plural(len(outcome.new), 'new article')}"))
        elif outcome.status == "failed":
            err.print(
                Text(
                    f"failed: {outcome.feed.id} ({clean_text(outcome.feed.url)}): "
                    f"{outcome.error}; next try {_in(outcome.waits_until, now)}",
                    style="yellow",
                ),
                soft_wrap=True,
            )
        elif outcome.status == "waiting":
            err.print(
                Text(
                    f"waiting: {outcome.feed.id}: {outcome.error}, until "
                    f"{_in(outcome.waits_until, now)}",
                    style="dim",
                ),
                soft_wrap=True,
            )
        if outcome.moved_to:
            out.print(
                Text(
                    f"  {outcome.feed.id} moved for good to {clean_text(outcome.moved_to)}"
                    " (feeds.yaml updated)"
                )
            )
        for notice in outcome.notices:
            err.print(Text(f"note: {notice}", style="dim"), soft_wrap=True)
    if report.imports.imported or report.imports.failed:
        print_report(report.imports, workspace.data.library_dir, workspace, out, err)


def feed_json(feed: Feed, state: FeedState) -> dict[str, object]:
    return {
        **feed.to_yaml(),
        "last_fetch": _iso(state.last_fetch),
        "status": state.status or None,
        "error": state.error or None,
        "failures": state.failures,
        "new_items": state.new_items,
        "total_items": state.total_items,
        "next_due": _iso(_next(state)),
        "etag": state.etag or None,
        "last_modified": state.last_modified or None,
    }


def _next(state: FeedState) -> float:
    return max(state.next_due, state.backoff_until, state.retry_until)


def _due(state: FeedState, now: float) -> str:
    waiting = state.waits_for(now)
    if waiting is None:
        return "now"
    until, why = waiting
    return f"{_in(until, now)}" + ("" if why == "not due yet" else f" ({why})")


def _when(moment: float) -> str:
    if not moment:
        return "never"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(moment))


def _in(moment: float, now: float) -> str:
    seconds = max(0, int(moment - now))
    if seconds < 120:
        return f"in {seconds} s"
    if seconds < 7200:
        return f"in {seconds // 60} min"
    return f"in {seconds // 3600} h {seconds % 3600 // 60} min"


def _iso(moment: float) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment)) if moment else None
