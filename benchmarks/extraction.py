"""How well briefing finds the article in a web page: the article-extraction benchmark.

Runs `index.importing.pages.extract` — what `briefing import page.html` and
`briefing fetch` use — on the 102 real pages of
`../shared/corpora/article-extraction/` and scores the text it keeps (its
blocks, one per paragraph) against the hand-made ground truth the way that
benchmark does: shingles of 4 word tokens (`\\w+`), counted with multiplicity;
per page, true positives, false positives and false negatives normalised by
their sum; precision and recall averaged over pages; F1 of the two averages.

    .venv/bin/python -m benchmarks.extraction [--pages DIR] [--worst 5]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from index.importing.pages import extract

PAGES = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "article-extraction"
TOKEN = re.compile(r"\w+")
SHINGLE = 4


@dataclass(frozen=True)
class PageScore:
    key: str
    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return 0.0 if self.tp == self.fp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return 0.0 if self.tp == self.fn == 0 else self.tp / (self.tp + self.fn)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    pages: tuple[PageScore, ...]
    seconds: float


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text)
    count = max(1, len(tokens) - SHINGLE + 1)
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(count) if tokens[i : i + SHINGLE])


def score_page(key: str, truth: str, found: str) -> PageScore:
    expected, got = shingles(truth), shingles(found)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    return PageScore(key, tp / total, fp / total, fn / total) if total else PageScore(key, 0, 0, 0)


def extracted_text(html: str, url: str) -> str:
    return "\n\n".join(text for _kind, text in extract(html, url).blocks)


def run(pages: Path = PAGES) -> Score:
    truth = json.loads((pages / "ground-truth.json").read_text(encoding="utf-8"))
    scores = []
    started = time.perf_counter()
    for key, expected in sorted(truth.items()):
        raw = gzip.decompress((pages / "html" / f"{key}.html.gz").read_bytes())
        found = extracted_text(raw.decode("utf-8", "replace"), expected.get("url", ""))
        scores.append(score_page(key, expected.get("articleBody", ""), found))
    seconds = time.perf_counter() - started
    precision = statistics.mean(s.precision for s in scores if s.tp + s.fp > 0)
    recall = statistics.mean(s.recall for s in scores if s.tp + s.fn > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, tuple(scores), seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--worst", type=int, default=5, help="list the N lowest-scoring pages")
    args = parser.parse_args(argv)
    if not (args.pages / "ground-truth.json").is_file():
        print(f"no benchmark pages in {args.pages}", file=sys.stderr)
        return 1
    score = run(args.pages)
    each = 1000 * score.seconds / len(score.pages)
    print(
        f"{len(score.pages)} pages in {score.seconds:.1f} s ({each:.0f} ms a page): "
        f"precision {score.precision:.3f}  recall {score.recall:.3f}  F1 {score.f1:.3f}"
    )
    worst = sorted(score.pages, key=lambda s: min(s.precision, s.recall))[: args.worst]
    for page in worst:
        print(f"  {page.key[:16]}…  precision {page.precision:.2f}  recall {page.recall:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
