"""`briefing import`: bring files, archives and feeds into the library."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.text import Text

from index import Workspace, clean_text

if TYPE_CHECKING:
    from index import ImportReport, ImportStatus

from .output import EXIT_FAILED, EXIT_OK, plural, sync_with_progress


def cmd_import(workspace: Workspace, args: argparse.Namespace, out: Console, err: Console) -> int:
    paths = [Path(p).expanduser() for p in args.paths]
    into = Path(args.into).expanduser().resolve() if args.into else None
    progress = Progress(
        TextColumn("Importing {task.description}"),
        BarColumn(),
        TextColumn("{task.fields[line]}"),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with progress:
        task = progress.add_task("", total=None, line="")

        def advance(status: ImportStatus) -> None:
            progress.update(
                task,
                completed=status.bytes_done,
                total=status.bytes_total or None,
                description=status.name,
                line=import_line(status),
            )

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
            f"into {clean_text(str(target))}: {report.duplicates} "
            f"duplicate{'' if report.duplicates == 1 else 's'}"
            f" skipped, {report.skipped} record{'' if report.skipped == 1 else 's'} without "
            f"text skipped, {(report.failed and len(report.failed)) or 0} failed."
        )
    )
    if report.imported == [] and report.duplicates and not report.failed:
        out.print(Text("Nothing new: every article was already in your briefing.", style="dim"))
    if report.same_story:
        out.print(
            Text(
                f"{plural(len(report.same_story))} linked to the same story told by "
                "an article already there (same_as: in their front matter)."
            )
        )
    if report.new_sources:
        names = ", ".join(workspace.source(s).name for s in report.new_sources)
        out.print(
            Text(
                f"New sources, graded unrated until you rate them in "
                f"{clean_text(str(target / 'sources.yaml'))}: {names}"
            )
        )
    for path, notice in report.notices:
        err.print(Text(f"note: {path}: {notice}", style="dim"), soft_wrap=True)
    for path, reason in report.failed:
        err.print(Text(f"failed: {path}: {reason}", style="yellow"), soft_wrap=True)


def import_line(status: ImportStatus) -> str:
    """ "file 2/5 · 12,345 records · 2,100/s · ETA 0:10" for the progress line."""
    parts = [f"file {min(status.files_done + 1, status.files)}/{status.files}"]
    parts.append(f"{status.records:,} record{'' if status.records == 1 else 's'}")
    parts.append(f"{status.imported:,} new, {status.duplicates:,} duplicates")
    if status.seconds > 0.5:
        rate = (status.imported + status.duplicates) / status.seconds
        parts.append(f"{rate:,.0f}/s")
        if status.bytes_total and status.bytes_done:
            left = status.seconds * (status.bytes_total - status.bytes_done) / status.bytes_done
            parts.append(f"ETA {int(left // 60)}:{int(left % 60):02d}")
    return " · ".join(parts)
