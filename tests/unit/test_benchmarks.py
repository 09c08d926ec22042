"""The benchmark harness still runs (a small N); its timings are never asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).parents[2]
KEYS = {
    "build_articles_per_s",
    "fts5_build_articles_per_s",
    "update_one_ms",
    "add_hundred_ms",
    "search_p50_ms",
    "search_p95_ms",
    "fts5_search_p95_ms",
    "startup_s",
    "peak_rss_mb",
    "tantivy_search_p95_ms",
    "typing_p50_ms",
    "typing_p95_ms",
    "last_key_p95_ms",
    "session_peak_rss_mb",
    "build_peak_rss_mb",
    "sync_nochange_ms",
    "note_findable_ms",
    "import_first_s",
    "import_thousand_s",
    "stage_search_p50_ms",
    "stage_paint_p50_ms",
}


def test_benchmark_harness_runs_at_small_scale(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--sizes",
            "200",
            "--work",
            str(tmp_path / "w"),
            "--out",
            str(tmp_path / "out"),
        ],
        check=True,
        cwd=PROJECT,
        capture_output=True,
        timeout=600,
    )
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    measured = results["sizes"]["200"]
    assert set(measured) >= KEYS
    assert all(measured[key] > 0 for key in KEYS)
    assert results["machine"]["cores"] >= 1
    table = (tmp_path / "out" / "RESULTS.md").read_text()
    assert "N = 200" in table and "FTS5 search p95" in table and "tantivy search p95" in table
    assert "Typing stage: the search, p50 / p95 (ms)" in table
    shares = [row["share"] for row in results["profile"]["build"]["packages"]]
    assert 0.95 <= sum(shares) <= 1.05
    assert "## Profile" in table and "`whoosh`" in table
    assert "## Keystrokes with a huge article open" in table
    assert all(latency > 0 for article in results["keys"].values() for latency in article.values())
    assert {"j", "G"} <= set(results["keys"]["50,000 paragraphs"])
