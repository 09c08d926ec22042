"""Keeping up with changes: a sync that finds nothing, a note until it is found, an import.

    python -m benchmarks.updates CORPUS DATA     # a content folder and its built data dir

- `sync_nochange_ms`: median of five updates with nothing changed, after one
  that records the folders' stamps, two seconds after the last change (the
  steady state of an open library; newer stamps are not trusted);
- `note_findable_ms`: median of three notes, each from saving it to a search
  for its words finding the article (re-indexing it, refreshing the searcher,
  carrying the facet sets over), as the app does after `a`;
- `import_first_s`: the library's first `briefing import` (five records): it
  reads every article once to learn what is already there, for
  de-duplication (`importing.known`, a cache kept for the next imports);
- `import_thousand_s`: then `briefing import` of a 1,000-record archive into the
  library beside the corpus, de-duplication and index update included, in a
  process of its own. The imported articles stay: run this last.

Prints one JSON object; run.py puts it in RESULTS.md.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from index import Filters, SearchRequest
from index.content.files import SETTLED_NS
from tests.helpers import BRIEFING

from .archive_import import write_archive

WORDS = ("zymurgy", "quixotry", "xylograph")
"""Words no generated article has, one per note."""
IMPORTED = 1000


def measure(corpus: Path, data: Path) -> dict[str, Any]:
    from index.workspace import Workspace

    workspace = Workspace.open(corpus, data)
    time.sleep(SETTLED_NS / 1e9)  # a library unchanged for a moment (see scanning.scan)
    workspace.sync()
    workspace.search("")  # the facet sets, as after the app's first screen
    nochange = []
    for _ in range(5):
        started = time.perf_counter()
        report = workspace.sync()
        nochange.append((time.perf_counter() - started) * 1000)
        assert not report.changed, report
    findable = []
    for number, word in enumerate(WORDS):
        hit = workspace.search(SearchRequest(Filters(), limit=1, offset=number)).hits[0]
        article = workspace.article(hit.id)
        assert article is not None
        started = time.perf_counter()
        workspace.annotate(article, None, f"Compare with the {word} report.", ())
        found = workspace.search(SearchRequest(Filters(word), limit=20))
        findable.append((time.perf_counter() - started) * 1000)
        assert [h.id for h in found.hits] == [hit.id], found
    workspace.close()
    return {
        "sync_nochange_ms": round(statistics.median(nochange), 1),
        "note_findable_ms": round(statistics.median(findable), 1),
        **import_thousand(corpus, data),
    }


def import_thousand(corpus: Path, data: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        first = Path(scratch) / "first.jsonl"
        write_archive(first, 5, copies=False, seed=77, prefix="first")
        first_s, _said = _import(corpus, data, first)
        time.sleep(SETTLED_NS / 1e9)
        archive = Path(scratch) / "archive.jsonl"
        write_archive(archive, IMPORTED, copies=False, seed=4242, prefix="imported")
        seconds, said = _import(corpus, data, archive)
    return {
        "import_first_s": round(first_s, 2),
        "import_thousand_s": round(seconds, 2),
        "import_thousand_said": said,
    }


def _import(corpus: Path, data: Path, archive: Path) -> tuple[float, list[str]]:
    """Seconds `briefing import` took in a process of its own, and its last line."""
    started = time.perf_counter()
    done = subprocess.run(
        [*BRIEFING, "--content", str(corpus), "--data", str(data), "import", str(archive)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return time.perf_counter() - started, done.stdout.strip().splitlines()[-1:]


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2]))))
