"""Keystroke to screen while typing a query: the real app on a pty at 120×40.

The app is started on a library (a content folder and a warm data dir made
by run.py), `/` focuses the search box, and a word is typed one key at a
time, in two ways:

- "wait": each key is sent once the previous prefix's results are on the
  screen; the latency is from the key to the screen showing that prefix's
  results (the status line reads `query “<prefix>” — N articles`);
- "80 ms": a key every 80 ms, as a quick typist; each key's latency is to the
  first screen showing results for its prefix or a longer one, and the last
  key's to the final results.

The word is typed twice per run: cold (just after start) and warm (after Esc
Esc cleared it). While waiting for each result, the app stamps each search's
stages (tui/trace.py), so each key's latency is also split into debounce
(key → its search starts), search, update (list, facets, status) and paint
(→ seen on the terminal): `stage_<name>_p50_ms` / `_p95_ms`. The screen is
read by pyte through the tests' pty driver; a key's time ends when the bytes
that show its results reach the terminal, so it includes painting and output,
as a person sees it, but not pyte's own parsing (a Python emulator, far slower
than the terminal a person uses).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.tui.pty_terminal import Terminal

WORDS = ("construction", "regional factories")
PACE = 0.08
TIMEOUT = 20.0


def _shown(terminal: Terminal) -> str | None:
    """The query whose results the status line shows, once they are shown (no ⟳)."""
    for line in terminal.screen.display[-3:]:
        found = re.search(r"query “([^”]*)”\s+—\s+[\d,]+ articles?", line)
        if found and "⟳" not in line:
            return found.group(1)
    return None


def _wait_for(terminal: Terminal, done: Any, deadline: float) -> float | None:
    """When the output that made `done()` true arrived (pyte, a slow emulator, not counted)."""
    began = time.monotonic()
    while time.monotonic() < deadline:
        if done():
            return _arrival(terminal, began)
        terminal.read_some(0.005)
    return _arrival(terminal, began) if done() else None


def _arrival(terminal: Terminal, since: float) -> float:
    """When the last output read arrived, if after `since`; else now."""
    return terminal.arrived if terminal.arrived >= since else time.monotonic()


def type_waiting(
    terminal: Terminal, word: str, trace: Path | None = None
) -> list[tuple[str, float, float]]:
    """Per key: its prefix, when it was sent and when that prefix's results were on screen.

    After a space the status line reads as for the prefix before it (the query
    is shown trimmed), so that key's results are known by the app's stamp
    (`trace`) and the output that follows it; without a trace it is not timed.
    """
    keys = []
    for end in range(1, len(word) + 1):
        prefix = word[:end]
        sent = time.monotonic()
        terminal.send(word[end - 1])
        if prefix.endswith(" "):
            if trace is None:
                terminal.read(0.5)
                continue

            def painted(p: str = prefix, since: float = sent) -> bool:
                updated = _updated_at(trace, p, since)
                return updated is not None and terminal.arrived > updated

            seen = _wait_for(terminal, painted, sent + TIMEOUT)
        else:
            seen = _wait_for(terminal, lambda p=prefix: _shown(terminal) == p, sent + TIMEOUT)
        if seen is not None:
            keys.append((prefix, sent, seen))
    return keys


def _updated_at(trace: Path, query: str, since: float) -> float | None:
    """When the screen was last updated for the first search of `query` started after `since`."""
    stamps = [json.loads(line) for line in trace.read_text().splitlines()]
    request = next(
        (
            s["request"]
            for s in stamps
            if s["stage"] == "started" and s["query"] == query and s["t"] >= since
        ),
        None,
    )
    return (
        next((s["t"] for s in stamps if s["stage"] == "updated" and s["request"] == request), None)
        if request is not None
        else None
    )


STAGES = ("debounce", "search", "update", "paint")


def stages(keys: list[tuple[str, float, float]], trace: Path) -> dict[str, list[float]]:
    """Each key's latency cut at the app's stamps (see tui/trace.py), ms per stage:
    key → search started → searched → screen updated → seen on the terminal."""
    stamps = [json.loads(line) for line in trace.read_text().splitlines()] if trace.exists() else []
    started = [(s["t"], s["request"], s["query"]) for s in stamps if s["stage"] == "started"]
    at = {(s["stage"], s["request"]): s["t"] for s in stamps if s["stage"] != "started"}
    found: dict[str, list[float]] = {stage: [] for stage in STAGES}
    for prefix, sent, seen in keys:
        first = next(((t, r) for t, r, query in started if query == prefix and t >= sent), None)
        if first is None:
            continue
        begun, request = first
        searched, updated = at.get(("searched", request)), at.get(("updated", request))
        if searched is None or updated is None or updated > seen:
            continue
        for stage, (a, b) in zip(
            STAGES,
            [(sent, begun), (begun, searched), (searched, updated), (updated, seen)],
            strict=True,
        ):
            found[stage].append((b - a) * 1000)
    return found


def type_paced(terminal: Terminal, word: str) -> tuple[list[float], float | None]:
    """Keys every PACE s: per key, ms to results for its prefix or a longer one; last key's."""
    sent: list[float] = []
    first_seen: dict[int, float] = {}
    start = time.monotonic()
    for end in range(1, len(word) + 1):
        due = start + (end - 1) * PACE
        while time.monotonic() < due:
            terminal.read_some(max(0.0, min(0.005, due - time.monotonic())))
            _note(terminal, word, first_seen)
        sent.append(time.monotonic())
        terminal.send(word[end - 1])
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and len(word) not in first_seen:
        terminal.read_some(0.005)
        _note(terminal, word, first_seen)
    per_key = []
    for end in range(1, len(word) + 1):
        later = [when for length, when in first_seen.items() if length >= end]
        if later:
            per_key.append((min(later) - sent[end - 1]) * 1000)
    last = first_seen.get(len(word))
    return per_key, (last - sent[-1]) * 1000 if last else None


def _note(terminal: Terminal, word: str, first_seen: dict[int, float]) -> None:
    shown = _shown(terminal)
    if shown and word.startswith(shown) and len(shown) not in first_seen:
        first_seen[len(shown)] = terminal.arrived or time.monotonic()


def _clear(terminal: Terminal) -> None:
    """An empty search box with the focus, once the screen shows no query's results."""
    terminal.send("\x1b")
    terminal.read(0.3)
    terminal.send("/")
    terminal.read(0.2)
    terminal.send("\x15")  # Ctrl+U: empty the box
    _wait_for(
        terminal,
        lambda: _shown(terminal) is None and _browsing(terminal),
        time.monotonic() + TIMEOUT,
    )
    terminal.read(0.5)


def _browsing(terminal: Terminal) -> bool:
    return any("All articles" in line and "⟳" not in line for line in terminal.screen.display[-3:])


def measure(corpus: Path, data: Path, runs: int = 2) -> dict[str, Any]:
    """Typing latencies for the library (p50/p95 in ms), cold and warm, both paces."""
    names = ("wait_cold", "wait_warm", "paced_cold", "paced_warm", "last_cold", "last_warm")
    results: dict[str, list[float]] = {name: [] for name in names}
    split: dict[str, list[float]] = {stage: [] for stage in STAGES}
    for _run in range(runs):
        for pace in ("wait", "paced"):
            trace = Path(tempfile.mkstemp(prefix="briefing-trace-")[1])
            os.environ["BRIEFING_TRACE"] = str(trace)
            terminal = Terminal(data, "--content", str(corpus))
            del os.environ["BRIEFING_TRACE"]
            waited: list[tuple[str, float, float]] = []
            try:
                terminal.read_until("articles", timeout=120)
                terminal.read(1.0)
                for word in WORDS:
                    for phase in ("cold", "warm"):
                        _clear(terminal)
                        if pace == "wait":
                            keys = type_waiting(terminal, word, trace)
                            waited += keys
                            results[f"wait_{phase}"] += [(b - a) * 1000 for _p, a, b in keys]
                        else:
                            per_key, last = type_paced(terminal, word)
                            results[f"paced_{phase}"] += per_key
                            if last is not None:
                                results[f"last_{phase}"].append(last)
                terminal.send("\x03")  # Ctrl+C: a `q` after Esc can land in the box as typed
                terminal.exit_code()
            finally:
                terminal.close()
            for stage, values in stages(waited, trace).items():
                split[stage] += values
            trace.unlink(missing_ok=True)
    summary: dict[str, Any] = {}
    for name, values in results.items():
        if values:
            summary[f"{name}_p50_ms"] = round(statistics.median(values), 1)
            summary[f"{name}_p95_ms"] = round(_p95(values), 1)
    each = results["wait_cold"] + results["wait_warm"]
    paced_last = results["last_cold"] + results["last_warm"]
    summary["typing_p50_ms"] = round(statistics.median(each), 1) if each else None
    summary["typing_p95_ms"] = round(_p95(each), 1) if each else None
    summary["last_key_p95_ms"] = round(_p95(paced_last), 1) if paced_last else None
    for stage, values in split.items():  # waiting for each result: where the time went
        if values:
            summary[f"stage_{stage}_p50_ms"] = round(statistics.median(values), 1)
            summary[f"stage_{stage}_p95_ms"] = round(_p95(values), 1)
    return summary


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("data", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(measure(args.corpus, args.data, args.runs), indent=1))
