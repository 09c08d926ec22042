"""Where the time goes: a cProfile of the index build and of the query set, by module.

The targets that are not met need an explanation, not a guess, so the runner
profiles the same code it timed: a full build of the first articles of the
corpus (cost per article hardly depends on N) and one pass over the query set
on the full index. Time is attributed to the module whose own code ran
(cProfile's tottime), with C functions such as `zlib.compress` counted for the
module that called them: "whoosh.codec.whoosh3" is Whoosh encoding postings,
"index.engine.analysis" is briefing's tokenizer and stemmer. The function list shows
the C functions on their own.
"""

from __future__ import annotations

import cProfile
import pstats
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from index import Filters, SearchRequest

from .queries import QUERIES

ROOT = Path(__file__).resolve().parent.parent
BUILD_SAMPLE = 2000
SHOWN = 8


def module_of(filename: str) -> str:
    """A short module name for a profiled code location."""
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins"
    path = Path(filename)
    parts = path.with_suffix("").parts
    for package in ("whoosh", "yaml"):
        if package in parts:
            return ".".join(parts[len(parts) - parts[::-1].index(package) - 1 :])
    try:
        return ".".join(path.resolve().relative_to(ROOT).with_suffix("").parts)
    except ValueError:
        return path.stem  # the standard library


def breakdown(profiler: cProfile.Profile) -> dict[str, Any]:
    """The profiled total, and the modules and functions that spent it."""
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    by_module: Counter[str] = Counter()
    by_function: Counter[str] = Counter()
    for (filename, _line, name), (_calls, _primitive, own, _cumulative, callers) in stats.items():
        module = module_of(filename)
        by_function[f"{module}:{name}" if module != "builtins" else name] += own
        if module != "builtins" or not callers:
            by_module[module] += own
            continue
        for caller, (_c, _p, own_from_caller, _cum) in callers.items():
            by_module[module_of(caller[0])] += own_from_caller  # C code counts for its caller
    total = sum(by_module.values()) or 1.0
    by_package: Counter[str] = Counter()
    for module, seconds in by_module.items():
        package = module.split(".")[0]
        by_package[package if package in ("whoosh", "index", "yaml") else "standard library"] += (
            seconds
        )

    def rows(counter: Counter[str]) -> list[dict[str, Any]]:
        return [
            {"name": name, "s": round(seconds, 3), "share": round(seconds / total, 3)}
            for name, seconds in counter.most_common(SHOWN)
        ]

    return {
        "total_s": round(total, 3),
        "packages": rows(by_package),
        "modules": rows(by_module),
        "functions": rows(by_function),
    }


def sample_corpus(corpus: Path, folder: Path, count: int) -> Path:
    """A content folder with the first `count` articles of `corpus` (hard links, no copying)."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "articles").mkdir(parents=True)
    for name in ("sources.yaml", "themes.yaml", "variants.yaml"):
        if (corpus / name).exists():
            shutil.copy(corpus / name, folder / name)
    for path in sorted((corpus / "articles").iterdir())[:count]:
        (folder / "articles" / path.name).hardlink_to(path)
    return folder


def profile(count: int, work: Path) -> dict[str, Any]:
    """Profile a build of up to BUILD_SAMPLE articles, and the query set on the index of N."""
    from index.paths import DataPaths
    from index.workspace import Workspace

    sample = min(count, BUILD_SAMPLE)
    folder = sample_corpus(work / f"corpus-{count}", work / f"profile-corpus-{count}", sample)
    data = DataPaths(work / f"profile-data-{count}")
    if data.root.exists():
        shutil.rmtree(data.root)
    small = Workspace([folder], data)
    profiler = cProfile.Profile()
    profiler.runcall(small.sync, rebuild=True)
    build = breakdown(profiler)
    small.close()

    full = Workspace([work / f"corpus-{count}"], DataPaths(work / f"data-{count}"))
    engine = full.engine()

    profiler = cProfile.Profile()
    for query in QUERIES:  # as timed: cold engine caches, facet sets already built
        engine.clear_caches()
        full.search(SearchRequest(Filters("rebuild the facet sets"), limit=1, snippets=False))
        profiler.enable()
        full.search(
            SearchRequest(Filters(query.ours, source=query.source, theme=query.theme), limit=20)
        )
        profiler.disable()
    search = breakdown(profiler)
    full.close()
    return {"build_articles": sample, "build": build, "search_articles": count, "search": search}
