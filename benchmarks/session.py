"""The search session's peak memory: a fresh process opens the index and runs the query set.

A module of its own so that the process imports what the product imports
and nothing else: `benchmarks.run` itself loads the rival engines and the
stories' NumPy and SciPy, 65 MB before a search, which this figure measured
too until it moved here. Prints one JSON object.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from index import Filters, SearchRequest

from .memory import peak_rss_mb
from .queries import QUERIES


def measure(corpus: Path, data: Path) -> dict[str, Any]:
    from index.workspace import Workspace

    workspace = Workspace.open(corpus, data)
    for query in QUERIES:
        workspace.search(
            SearchRequest(Filters(query.ours, source=query.source, theme=query.theme), limit=20)
        )
    workspace.close()
    return {"peak_rss_mb": round(peak_rss_mb(), 1)}


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2]))))
