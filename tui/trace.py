"""When each search's stages happened, for the typing benchmark (`BRIEFING_TRACE=<file>`).

benchmarks/typing_latency.py runs the app with the variable set and splits
each key's latency into its stages: from the key to the search starting (the
wait behind a search already running), the search itself (worker thread),
the screen's update (list, facets, status line), and the painting that
follows, which it sees on the pseudo-terminal. Each stamp is one JSON line:
stage, search number, query and `time.monotonic()`. Without the variable
nothing is written.
"""

from __future__ import annotations

import json
import os
import time


def stamp(stage: str, request: int, query: str = "") -> None:
    """Note that a search reached `stage` ("started", "searched", "updated") now."""
    path = os.environ.get("BRIEFING_TRACE")
    if not path:
        return
    line = json.dumps({"stage": stage, "request": request, "query": query, "t": time.monotonic()})
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
