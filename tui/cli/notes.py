"""Notes commands: list annotations, export the briefing."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from index import (
    ExportScope,
    Filters,
    Workspace,
    annotations_jsonld,
    atomic_write_text,
    briefing_markdown,
)
from index.models import Annotation

from .output import EXIT_OK, ensure_index, plural


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
            Text(title),
            Text(quote, style="italic"),
            Text(annotation.note),
            Text(", ".join(annotation.tags)),
            Text(annotation.updated[:16].replace("T", " ")),
        )
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
    filters = ExportScope(
        Filters(query=args.query, source=args.source, theme=args.theme), include_all=args.all
    )
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
