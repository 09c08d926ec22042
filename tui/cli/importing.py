"""`briefing import`: bring files, archives and feeds into the library."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from index import Workspace

if TYPE_CHECKING:
    from index import ImportReport

from .output import EXIT_FAILED, EXIT_OK, plural, sync_with_progress


def cmd_import(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    paths = [Path(p).expanduser() for p in args.paths]
    into = Path(args.into).expanduser().resolve() if args.into else None
    progress = Progress(
        TextColumn("Importing {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with progress:
        task = progress.add_task("", total=None)

        def advance(done: int, total: int, name: str) -> None:
            progress.update(task, completed=done, total=total, description=name)

        report = workspace.import_files(paths, into=into, source=args.source, progress=advance)
    if report.imported and (into is None or into in workspace.content_dirs):
        sync_with_progress(workspace, err)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print_report(report, into or workspace.data.library_dir, workspace, out, err)
    return EXIT_FAILED if report.failed else EXIT_OK


def print_report(
    report: ImportReport, target: Path, workspace: Workspace, out: Console, err: Console
) -> None:
    out.print(
        Text(
            f"Imported {plural(len(report.imported))} from {plural(report.files, 'file')} "
            f"into {target}: {report.duplicates} duplicate{'' if report.duplicates == 1 else 's'}"
            f" skipped, {report.skipped} record{'' if report.skipped == 1 else 's'} without "
            f"text skipped, {(report.failed and len(report.failed)) or 0} failed."
        )
    )
    if report.imported == [] and report.duplicates and not report.failed:
        out.print(Text("Nothing new: every article was already in your briefing.", style="dim"))
    if report.new_sources:
        names = ", ".join(workspace.source(s).name for s in report.new_sources)
        out.print(Text(f"New sources, graded unrated until you rate them in "
                       f"{target / 'sources.yaml'}: {names}"))  # fmt: skip
    for path, reason in report.failed:
        err.print(Text(f"failed: {path}: {reason}", style="yellow"), soft_wrap=True)
