"""Importing a large archive: a steady rate and flat memory, or duplicates in seconds.

    python -m benchmarks.archive_import --records 1000000            # distinct records
    python -m benchmarks.archive_import --records 1000000 --copies   # one story, repeated

Writes a JSON Lines archive of generated records (real sentences, see
generate.py), then in a fresh process (so its memory is the import's alone)
imports it into a fresh folder with the library writer the `briefing import`
command uses (no index build: that is measured by run.py), sampling the rate
and the process's memory every SAMPLE_EVERY records.
Prints one JSON object; `RESULTS.md` quotes it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from index import ImportStatus
from index.importing.library import Importer

from .generate import documents
from .memory import peak_rss_mb

SAMPLE_EVERY = 50_000


def write_archive(
    path: Path, records: int, copies: bool, seed: int = 20240101, prefix: str = ""
) -> None:
    """A JSON Lines archive of generated records (`prefix` keeps their links apart)."""
    with path.open("w", encoding="utf-8") as handle:
        one = None
        for document in documents(1 if copies else records, seed=seed, archive=True):
            one = document
            if not copies:
                handle.write(json.dumps(_record(document, prefix)) + "\n")
        if copies and one is not None:
            line = json.dumps(_record(one, prefix)) + "\n"
            handle.writelines(line for _ in range(records))


def _record(document: Any, prefix: str = "") -> dict[str, str]:
    return {
        "headline": document.title,
        "story_text": document.body,
        "date_str": document.published,
        "link": f"https://example.org/{prefix}{document.id}",
        "topic": "News",
    }


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure(archive: Path, records: int, copies: bool) -> dict[str, Any]:
    """Import `archive` into a fresh folder, sampling rate and memory (run in its own process)."""
    work = Path(tempfile.mkdtemp(prefix="briefing-archive-import-"))
    try:
        samples: list[dict[str, float]] = []
        last = {"done": 0}

        def progress(status: ImportStatus) -> None:
            done = status.imported + status.duplicates
            if done - last["done"] >= SAMPLE_EVERY:
                last["done"] = done
                samples.append(
                    {
                        "records": done,
                        "seconds": round(status.seconds, 1),
                        "rss_mb": round(rss_mb(), 1),
                    }
                )

        started = time.perf_counter()
        report = Importer(work / "library", []).run([archive], progress)
        seconds = time.perf_counter() - started
        rates = [
            (b["records"] - a["records"]) / max(1e-9, b["seconds"] - a["seconds"])
            for a, b in itertools.pairwise(samples)
        ]
        return {
            "records": records,
            "copies": copies,
            "archive_mb": round(archive.stat().st_size / (1 << 20), 1),
            "imported": len(report.imported),
            "duplicates": report.duplicates,
            "seconds": round(seconds, 1),
            "records_per_s": round(records / seconds, 1),
            "rate_first_last": [round(rates[0], 1), round(rates[-1], 1)] if rates else None,
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "samples": samples,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--copies", action="store_true", help="one story, repeated")
    parser.add_argument("--archive", type=Path, help=argparse.SUPPRESS)  # the child's
    args = parser.parse_args()
    if args.archive is not None:
        print(json.dumps(measure(args.archive, args.records, args.copies), indent=1))
        return
    work = Path(tempfile.mkdtemp(prefix="briefing-archive-"))
    try:
        archive = work / "archive.jsonl"
        write_archive(archive, args.records, args.copies)  # here: its memory is not measured
        copies = ["--copies"] if args.copies else []
        command = [
            sys.executable,
            "-m",
            "benchmarks.archive_import",
            "--archive",
            str(archive),
            "--records",
            str(args.records),
            *copies,
        ]
        subprocess.run(command, check=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
