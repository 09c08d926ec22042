"""Stories at archive scale: the first grouping, one with nothing new, and one after 100 imports.

    python -m benchmarks.stories CORPUS DATA     # a content folder and its built data dir

The first run reads every article's stored text to make its signature; later
runs read only new or changed articles (signatures are cached by text
digest) and find the links again through the inverted index of names.
Prints one JSON object of seconds; run.py puts it in RESULTS.md.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from .generate import documents, write_corpus


def measure(corpus: Path, data: Path) -> dict[str, Any]:
    from index.workspace import Workspace

    workspace = Workspace.open(corpus, data)
    workspace.sync()
    workspace.data.stories_cache.unlink(missing_ok=True)
    timings: dict[str, Any] = {}
    started = time.perf_counter()
    found = workspace.stories()
    timings["stories_first_s"] = round(time.perf_counter() - started, 2)
    timings["stories"] = len(found)
    started = time.perf_counter()
    workspace.stories()
    timings["stories_again_s"] = round(time.perf_counter() - started, 2)
    extra = corpus.parent / "stories-extra"
    added = documents(100, seed=11, archive=True)
    write_corpus([replace(d, id=f"story-extra-{d.id}") for d in added], extra)
    for path in (extra / "articles").iterdir():
        path.rename(corpus / "articles" / path.name)
    workspace.sync()
    started = time.perf_counter()
    workspace.stories()
    timings["stories_after_100_s"] = round(time.perf_counter() - started, 2)
    workspace.close()
    for path in (corpus / "articles").glob("story-extra-*.md"):
        path.unlink()
    shutil.rmtree(extra, ignore_errors=True)
    return timings


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2]))))
