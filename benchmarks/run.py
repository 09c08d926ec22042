"""Measure briefing at archive scale, beside SQLite FTS5, and write the results.

    python -m benchmarks.run                   # N = 2,000, 20,000 and 100,000
    python -m benchmarks.run --sizes 200       # a quick run

Each size is measured in its own process (so peak memory is that size's
alone): generate the corpus, build the index from the content files, change
one article and add a hundred, run the query set (first page of 20 hits with
snippets and facet counts), start the app headless on the warm index, and do
the same build and queries with SQLite FTS5. Then, once, the profile and the
keystroke latency with huge articles open (keys.py). Results go to
`benchmarks/results.json` and `benchmarks/RESULTS.md`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from index import Filters, SearchRequest

from . import fts5, keys, profile, stories, tantivy_search, typing_latency, updates
from .generate import documents, write_corpus
from .memory import peak_rss_mb
from .queries import QUERIES, Query

HERE = Path(__file__).resolve().parent
REPEATS = 3
# (size, measure, "<=" or ">=", bound): the targets of issue 15, on a 2-core machine
# (the build target is twice the 166 articles/s measured before it).
TARGETS = [
    (20000, "typing_p95_ms", "<=", 100),
    (20000, "last_key_p95_ms", "<=", 150),
    (20000, "search_p95_ratio_ours_over_fts5", "<=", 1.0),
    (20000, "startup_s", "<=", 1.0),
    (20000, "update_one_ms", "<=", 150),
    (20000, "sync_nochange_ms", "<=", 50),
    (20000, "note_findable_ms", "<=", 200),
    (20000, "import_thousand_s", "<=", 8),
    (20000, "build_articles_per_s", ">=", 332),
    (100000, "typing_p95_ms", "<=", 250),
    (100000, "search_p95_ratio_ours_over_fts5", "<=", 1.5),
    (100000, "startup_s", "<=", 1.5),
    (100000, "session_peak_rss_mb", "<=", 300),
]
STORIES_UP_TO = 20000
"""Stories are timed up to this size (the first grouping reads every article's text)."""
PROFILED_SIZE = 20000  # the profile is taken at the measured size nearest this


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def query_latencies(search: Callable[[Query], object]) -> list[float]:
    """Milliseconds of each of REPEATS runs of every query of the set."""
    latencies = []
    for query in QUERIES:
        for _ in range(REPEATS):
            started = time.perf_counter()
            search(query)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def measure(count: int, work: Path) -> dict[str, Any]:
    """Everything for one corpus size. briefing itself is measured in a child process."""
    corpus = write_corpus(documents(count, archive=True), work / f"corpus-{count}")
    gc.collect()
    child = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--ours", str(count), "--work", str(work)],
        check=True,
        capture_output=True,
        text=True,
        cwd=HERE.parent,
    )
    ours = json.loads(child.stdout.strip().splitlines()[-1])
    themes = {
        doc: set(ids)
        for doc, ids in json.loads((work / f"themes-{count}.json").read_text()).items()
    }

    docs = documents(count, archive=True)
    database = work / f"fts5-{count}.sqlite"
    fts_build_s = fts5.build(docs, database, themes)
    db = sqlite3.connect(database)
    fts_latencies = query_latencies(partial(fts5.search, db))
    db.close()

    tantivy_dir = work / f"tantivy-{count}"
    tantivy_build_s = tantivy_search.build(docs, tantivy_dir, themes)
    handle = tantivy_search.open(tantivy_dir)
    tantivy_latencies = query_latencies(partial(tantivy_search.search, handle))
    del handle
    shutil.rmtree(tantivy_dir, ignore_errors=True)

    startup = [startup_seconds(corpus, work / f"data-{count}") for _ in range(REPEATS)]
    session = subprocess.run(
        [sys.executable, "-m", "benchmarks.session", str(corpus), str(work / f"data-{count}")],
        check=True,
        capture_output=True,
        text=True,
        cwd=HERE.parent,
    )
    session_rss = json.loads(session.stdout.strip().splitlines()[-1])["peak_rss_mb"]
    typing = typing_latency.measure(corpus, work / f"data-{count}", runs=1)
    grouping = stories.measure(corpus, work / f"data-{count}") if count <= STORIES_UP_TO else {}
    keeping_up = updates.measure(corpus, work / f"data-{count}")  # last: it imports 1,000
    fts_p95 = percentile(fts_latencies, 0.95)
    tantivy_p95 = percentile(tantivy_latencies, 0.95)
    return {
        "articles": count,
        "build_articles_per_s": ours["build_articles_per_s"],
        "build_s": ours["build_s"],
        "fts5_build_articles_per_s": round(count / fts_build_s, 1),
        "build_ratio_ours_over_fts5": round(fts_build_s / ours["build_s"], 3),
        "update_one_ms": ours["update_one_ms"],
        "add_hundred_ms": ours["add_hundred_ms"],
        "search_p50_ms": ours["search_p50_ms"],
        "search_p95_ms": ours["search_p95_ms"],
        "fts5_search_p50_ms": round(percentile(fts_latencies, 0.5), 2),
        "fts5_search_p95_ms": round(fts_p95, 2),
        "search_p95_ratio_ours_over_fts5": round(ours["search_p95_ms"] / max(0.001, fts_p95), 2),
        "tantivy_build_articles_per_s": round(count / tantivy_build_s, 1),
        "tantivy_search_p50_ms": round(percentile(tantivy_latencies, 0.5), 2),
        "tantivy_search_p95_ms": round(tantivy_p95, 2),
        "search_p95_ratio_ours_over_tantivy": round(
            ours["search_p95_ms"] / max(0.001, tantivy_p95), 2
        ),
        "startup_s": round(statistics.median(startup), 3),
        "peak_rss_mb": ours["peak_rss_mb"],
        "build_peak_rss_mb": ours["build_peak_rss_mb"],
        "session_peak_rss_mb": session_rss,
        **typing,
        **grouping,
        **keeping_up,
        "queries": len(QUERIES),
        "per_query_median_ms": ours["per_query_median_ms"],
    }


def measure_ours(count: int, work: Path) -> dict[str, Any]:
    """briefing alone, on the corpus already written: this process's peak memory is its own."""
    from index.paths import DataPaths
    from index.workspace import Workspace

    corpus = work / f"corpus-{count}"
    data = DataPaths(work / f"data-{count}")
    if data.root.exists():
        shutil.rmtree(data.root)
    workspace = Workspace([corpus, data.library_dir], data)  # the folders the app reads

    started = time.perf_counter()
    workspace.sync(rebuild=True)
    build_s = time.perf_counter() - started
    build_rss = peak_rss_mb()

    workspace.sync()  # records the folders' stamps, now older than the build (scanning.scan)
    changed = corpus / "articles" / f"bench-{count // 2:06d}.md"
    changed.write_text(changed.read_text() + "\nA sentence added for the benchmark.\n")
    started = time.perf_counter()
    report = workspace.sync()
    update_one_ms = (time.perf_counter() - started) * 1000
    assert report.updated == [changed.stem], report

    extra_folder = work / f"extra-{count}"
    extra = documents(100, seed=7, archive=True)
    write_corpus([replace(doc, id=f"extra-{doc.id}") for doc in extra], extra_folder)
    for path in (extra_folder / "articles").iterdir():
        path.rename(corpus / "articles" / path.name)
    started = time.perf_counter()
    report = workspace.sync()
    add_hundred_ms = (time.perf_counter() - started) * 1000
    assert len(report.added) == 100, report

    engine = workspace.engine()
    latencies: list[float] = []
    per_query: dict[str, float] = {}
    for query in QUERIES:
        times = []
        for _ in range(REPEATS):
            engine.clear_caches()
            workspace.search(
                SearchRequest(Filters("rebuild the facet sets"), limit=1, snippets=False)
            )
            started = time.perf_counter()
            workspace.search(
                SearchRequest(Filters(query.ours, source=query.source, theme=query.theme), limit=20)
            )
            times.append((time.perf_counter() - started) * 1000)
        latencies += times
        per_query[f"{query.kind}: {query.ours or '(browse)'}"] = statistics.median(times)
    search_rss = peak_rss_mb()

    members: dict[str, list[str]] = {}
    total = count + 100
    for theme in workspace.themes:
        for hit in workspace.search(
            SearchRequest(Filters(theme=theme), limit=total, snippets=False)
        ).hits:
            members.setdefault(hit.id, []).append(theme)
    (work / f"themes-{count}.json").write_text(json.dumps(members))
    workspace.close()
    # Back to N articles, so the start-up measure opens the corpus that was built.
    for path in (corpus / "articles").glob("extra-*.md"):
        path.unlink()
    return {
        "build_articles_per_s": round(count / build_s, 1),
        "build_s": round(build_s, 2),
        "update_one_ms": round(update_one_ms, 1),
        "add_hundred_ms": round(add_hundred_ms, 1),
        "search_p50_ms": round(percentile(latencies, 0.5), 2),
        "search_p95_ms": round(percentile(latencies, 0.95), 2),
        "peak_rss_mb": round(max(build_rss, search_rss), 1),
        "build_peak_rss_mb": round(build_rss, 1),
        "per_query_median_ms": {k: round(v, 2) for k, v in per_query.items()},
    }


STARTUP_SCRIPT = """
import sys
import time
from index import SearchRequest
from index.workspace import Workspace
from tui.app import BriefingApp
from tui.screens.main import MainScreen


class FirstScreen(BriefingApp):
    def on_mount(self):
        self.set_interval(0.005, self.check)

    def check(self):
        screen = self.screen
        if isinstance(screen, MainScreen) and screen.search.result and screen.search.result.hits:
            print(time.monotonic())  # the first screen with results: what is measured
            self.exit()


workspace = Workspace.open(sys.argv[1], sys.argv[2])
FirstScreen(workspace).run(headless=True, size=(120, 40))
"""


def startup_seconds(corpus: Path, data: Path) -> float:
    """Process start to the first screen with results, on a warm index (headless).

    The app prints the moment its first results are on screen (the system-wide
    monotonic clock), so the process's exit, not part of starting, is left out.
    """
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", STARTUP_SCRIPT, str(corpus), str(data)],
        check=True,
        cwd=HERE.parent,
        timeout=120,
        capture_output=True,
        text=True,
        env={**os.environ, "BRIEFING_DATA": str(data)},
    )
    return float(done.stdout.split()[-1]) - started


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def markdown(results: dict[str, Any]) -> str:
    sizes = [str(n) for n in sorted(int(k) for k in results["sizes"])]
    rows = [
        ("Full build (articles/s)", "build_articles_per_s"),
        ("FTS5 build (articles/s)", "fts5_build_articles_per_s"),
        ("Build speed, ours / FTS5", "build_ratio_ours_over_fts5"),
        ("Update after changing 1 article (ms)", "update_one_ms"),
        ("Update after adding 100 articles (ms)", "add_hundred_ms"),
        ("Update with nothing changed (ms)", "sync_nochange_ms"),
        ("Saved note until a search finds it (ms)", "note_findable_ms"),
        (
            "The library's first `briefing import`, 5 records: every article read once (s)",
            "import_first_s",
        ),
        (
            "`briefing import` of 1,000 records into the library, after that (s)",
            "import_thousand_s",
        ),
        ("Search p50 (ms)", "search_p50_ms"),
        ("Search p95 (ms)", "search_p95_ms"),
        ("FTS5 search p50 (ms)", "fts5_search_p50_ms"),
        ("FTS5 search p95 (ms)", "fts5_search_p95_ms"),
        ("Search p95, ours / FTS5", "search_p95_ratio_ours_over_fts5"),
        ("tantivy build (articles/s)", "tantivy_build_articles_per_s"),
        ("tantivy search p50 (ms)", "tantivy_search_p50_ms"),
        ("tantivy search p95 (ms)", "tantivy_search_p95_ms"),
        ("Search p95, ours / tantivy", "search_p95_ratio_ours_over_tantivy"),
        ("Typing: key → its prefix's results, p50 (ms)", "typing_p50_ms"),
        ("Typing: key → its prefix's results, p95 (ms)", "typing_p95_ms"),
        ("Typing at 80 ms a key: key → results, p50 cold / warm (ms)", "paced_cold_p50_ms"),
        ("Typing at 80 ms a key: last key → final results, p95 (ms)", "last_key_p95_ms"),
        ("Typing stage: key → its search starts, p50 / p95 (ms)", "stage_debounce"),
        ("Typing stage: the search, p50 / p95 (ms)", "stage_search"),
        ("Typing stage: list, facets and status updated, p50 / p95 (ms)", "stage_update"),
        ("Typing stage: painted and seen on the terminal, p50 / p95 (ms)", "stage_paint"),
        ("Start to first screen, warm index (s)", "startup_s"),
        ("Stories: first grouping, every signature made (s)", "stories_first_s"),
        ("Stories: again, nothing changed (s)", "stories_again_s"),
        ("Stories: after importing 100 articles (s)", "stories_after_100_s"),
        ("Build peak memory (MB)", "build_peak_rss_mb"),
        (
            "Search session peak memory: start + 25 queries, fresh process (MB)",
            "session_peak_rss_mb",
        ),
    ]
    m = results["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, SQLite {m['sqlite']}; "
        f"run {m['date']}.",
        "",
        "Produced by `make bench` (`python -m benchmarks.run`); see benchmarks/README.md.",
        "",
        "| measure | " + " | ".join(f"N = {int(n):,}" for n in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for label, key in rows:
        values = [_figure(results["sizes"][n], key) for n in sizes]
        lines.append(
            f"| {label} | "
            + " | ".join(f"{v:,}" if isinstance(v, int | float) else str(v) for v in values)
            + " |"
        )
    lines += targets_table(results, dict(rows))
    lines += ["", "## Search latency per query", "", "Median of 3 cold runs, ms.", ""]
    lines.append("| query | " + " | ".join(f"N = {int(n):,}" for n in sizes) + " |")
    lines.append("|---|" + "---:|" * len(sizes))
    first = results["sizes"][sizes[0]]["per_query_median_ms"]
    for query in first:
        values = [results["sizes"][n]["per_query_median_ms"].get(query, "") for n in sizes]
        lines.append(f"| `{query}` | " + " | ".join(str(v) for v in values) + " |")
    if "keys" in results:
        lines += keys.keys_section(results["keys"])
    if "profile" in results:
        lines += profile_section(results["profile"])
    return "\n".join(lines) + "\n"


def _figure(figures: dict[str, Any], key: str) -> Any:
    """A measure's value; for a typing stage, "p50 / p95"."""
    if key.startswith("stage_"):
        pair = [figures.get(f"{key}_{p}_ms") for p in ("p50", "p95")]
        return " / ".join(f"{v:,}" for v in pair) if None not in pair else ""
    return figures.get(key, "")


def targets_table(results: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """Each target beside the figure measured for it, where that size was run."""
    lines = [
        "",
        "## Targets",
        "",
        "| N | measure | target | measured | |",
        "|---:|---|---:|---:|---|",
    ]
    names = {key: label for label, key in labels.items()}
    for size, key, direction, bound in results["targets"]:
        figures = results["sizes"].get(str(size))
        if figures is None or key not in figures:
            continue
        value = figures[key]
        met = value <= bound if direction == "<=" else value >= bound
        sign = "≤" if direction == "<=" else "≥"
        lines.append(
            f"| {size:,} | {names.get(key, key)} | {sign} {bound:,} | {value:,} | "
            f"{'met' if met else 'not met'} |"
        )
    return lines


def profile_section(profile: dict[str, Any]) -> list[str]:
    """The profile's shares as tables: where build and search time goes."""
    lines = [
        "",
        "## Profile",
        "",
        "Own time by package, module and function under cProfile (which slows everything "
        "down, so shares matter, not seconds); C functions count for the module that "
        "called them. See benchmarks/profile.py.",
    ]
    parts = [
        ("build", f"Full build of {profile['build_articles']:,} articles"),
        ("search", f"The query set once, on {profile['search_articles']:,} articles"),
    ]
    for part, title in parts:
        lines += ["", f"### {title} ({profile[part]['total_s']} s profiled)"]
        for table in ("packages", "modules", "functions"):
            lines += ["", f"| {table[:-1]} | share |", "|---|---:|"]
            lines += [f"| `{row['name']}` | {row['share']:.0%} |" for row in profile[part][table]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000, 100000])
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--ours", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--profile", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.profile:
        print(json.dumps(profile.profile(args.profile, args.work)))
        return 0
    if args.ours:
        print(json.dumps(measure_ours(args.ours, args.work)))
        return 0
    if args.one:
        print(json.dumps(measure(args.one, args.work)))
        return 0
    results: dict[str, Any] = {"machine": machine(), "sizes": {}, "targets": TARGETS}
    for count in args.sizes:
        print(f"measuring N = {count:,}…", file=sys.stderr, flush=True)
        output = subprocess.run(
            [sys.executable, "-m", "benchmarks.run", "--one", str(count), "--work", str(args.work)],
            check=True,
            capture_output=True,
            text=True,
            cwd=HERE.parent,
        )
        results["sizes"][str(count)] = json.loads(output.stdout.strip().splitlines()[-1])
        print(json.dumps(results["sizes"][str(count)], indent=1), file=sys.stderr)
    profiled = min(args.sizes, key=lambda n: abs(n - PROFILED_SIZE))
    print(f"profiling at N = {profiled:,}…", file=sys.stderr, flush=True)
    output = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--profile",
            str(profiled),
            "--work",
            str(args.work),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=HERE.parent,
    )
    results["profile"] = json.loads(output.stdout.strip().splitlines()[-1])
    print("measuring keystrokes with huge articles open…", file=sys.stderr, flush=True)
    results["keys"] = keys.measure()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "RESULTS.md").write_text(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
