"""Keystroke latency in the Reader with a huge article open, on a real pseudo-terminal.

The app runs on a pty at 120×40 with one article open: a 1 MB line with no
break, or 50,000 paragraphs. Each Reader key is pressed REPEATS times; the
latency is from writing the key to the first byte the app writes back (its
redraw), through the same pty driver as tests/tui. The target (issue 7) is
100 ms per key.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.tui.pty_terminal import Terminal

REPEATS = 5
KEYS = {"j": "j", "k": "k", "space": " ", "b": "b", "G": "G", "g": "g", "J": "J", "K": "K"}
ARTICLES = {
    "1 MB line": " ".join(f"word{n % 997}" for n in range(125_000)),
    "50,000 paragraphs": "\n\n".join(f"Paragraph {n} about the county." for n in range(50_000)),
}
SOURCES = "- id: s\n  name: Source\n  kind: independent outlet\n  grade: C\n  rationale: x\n"


def measure_article(body: str, marker: bytes) -> dict[str, float]:
    """Median latency (ms) per key, with the article open in the Reader."""
    with tempfile.TemporaryDirectory(prefix="briefing-keys-") as root:
        content, data = Path(root, "content"), Path(root, "data")
        (content / "articles").mkdir(parents=True)
        (content / "sources.yaml").write_text(SOURCES)
        (content / "articles" / "huge.md").write_text(
            f"---\nid: huge\ntitle: Huge\nsource: s\n---\n\n{body}\n", encoding="utf-8"
        )
        data.mkdir(mode=0o700)
        (data / "state.yaml").write_text("open_article: huge\n")
        terminal = Terminal(data, "--content", str(content))  # the tests' pty driver
        try:
            terminal.read_until(marker, timeout=120)
            terminal.send("4")  # the Reader
            terminal.read(1.0)
            latencies: dict[str, list[float]] = {name: [] for name in KEYS}
            for _ in range(REPEATS):
                for name, key in KEYS.items():
                    sent = time.monotonic()
                    terminal.send(key)
                    if terminal.read(5.0):
                        latencies[name].append((terminal.first_output - sent) * 1000)
            terminal.send("q")
            terminal.exit_code()
        finally:
            terminal.close()
    return {name: round(statistics.median(v), 1) for name, v in latencies.items() if v}


def measure() -> dict[str, Any]:
    markers = {"1 MB line": b"word5", "50,000 paragraphs": b"Paragraph 1 "}
    return {name: measure_article(body, markers[name]) for name, body in ARTICLES.items()}


def keys_section(keys: dict[str, Any]) -> list[str]:
    """RESULTS.md's table of keystroke latencies."""
    articles = list(keys)
    lines = [
        "",
        "## Keystrokes with a huge article open",
        "",
        f"Median of {REPEATS} presses, ms from the key to the app's first redraw byte, "
        "on a pseudo-terminal at 120×40 (see benchmarks/keys.py). Target: 100 ms.",
        "",
        "| key | " + " | ".join(articles) + " |",
        "|---|" + "---:|" * len(articles),
    ]
    for name in KEYS:
        lines.append(
            f"| `{name}` | " + " | ".join(str(keys[a].get(name, "")) for a in articles) + " |"
        )
    return lines
