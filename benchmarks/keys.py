"""Keystroke latency in the Reader with a huge article open, on a real pseudo-terminal.

The app runs on a pty at 120×40 with one article open: a 1 MB line with no
break, or 50,000 paragraphs. Each Reader key is pressed REPEATS times; the
latency is from writing the key to the first byte the app writes back (its
redraw). Esc includes Textual's wait to tell a lone Esc from an escape
sequence. The target (issue 7) is 100 ms per key.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LAUNCH = "import sys; from tui.cli import main; sys.exit(main())"
REPEATS = 5
KEYS = {"j": "j", "k": "k", "space": " ", "b": "b", "G": "G", "g": "g", "J": "J", "K": "K"}
ARTICLES = {
    "1 MB line": " ".join(f"word{n % 997}" for n in range(125_000)),
    "50,000 paragraphs": "\n\n".join(f"Paragraph {n} about the county." for n in range(50_000)),
}
SOURCES = "- id: s\n  name: Source\n  kind: independent outlet\n  grade: C\n  rationale: x\n"


def _read(master: int, timeout: float) -> tuple[bytes, float | None]:
    """Output within `timeout` (stopping at a pause after some), and when it began."""
    got, first = b"", None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        wait = 0.05 if got else deadline - time.monotonic()
        ready, _, _ = select.select([master], [], [], max(0.0, min(wait, 0.2)))
        if not ready:
            if got:
                break
            continue
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:
            break
        first = first or time.monotonic()
        got += chunk
    return got, first


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
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
        app = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, "--content", str(content), "--data", str(data)],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=root,
        )  # fmt: skip
        os.close(slave)
        try:
            seen = b""
            deadline = time.monotonic() + 120
            while marker not in seen and time.monotonic() < deadline:
                seen += _read(master, 1.0)[0]
            os.write(master, b"4")  # the Reader
            _read(master, 1.0)
            latencies: dict[str, list[float]] = {name: [] for name in KEYS}
            for _ in range(REPEATS):
                for name, key in KEYS.items():
                    sent = time.monotonic()
                    os.write(master, key.encode())
                    _out, first = _read(master, 5.0)
                    if first is not None:
                        latencies[name].append((first - sent) * 1000)
            os.write(master, b"q")
            app.wait(timeout=20)
        finally:
            if app.poll() is None:
                app.kill()
                app.wait()
            os.close(master)
    return {name: round(statistics.median(v), 1) for name, v in latencies.items() if v}


def measure() -> dict[str, Any]:
    markers = {"1 MB line": b"word5", "50,000 paragraphs": b"Paragraph 1 "}
    return {name: measure_article(body, markers[name]) for name, body in ARTICLES.items()}


def keys_section(keys: dict[str, Any]) -> list[str]:
    """RESULTS.md's table of keystroke latencies."""
    articles = list(keys)
    lines = [
        "", "## Keystrokes with a huge article open", "",
        f"Median of {REPEATS} presses, ms from the key to the app's first redraw byte, "
        "on a pseudo-terminal at 120×40 (see benchmarks/keys.py). Target: 100 ms.", "",
        "| key | " + " | ".join(articles) + " |",
        "|---|" + "---:|" * len(articles),
    ]  # fmt: skip
    for name in KEYS:
        lines.append(f"| `{name}` | " + " | ".join(str(keys[a].get(name, "")) for a in articles)
                     + " |")  # fmt: skip
    return lines
