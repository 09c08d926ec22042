"""What is emerging: the words and names whose share of articles rose in a recent window.

For a window (the last `days` days up to `until`) against a baseline (the
`baseline` days before it), each word (as the index analyses it, shown in
its most frequent written form) and each name (places, people,
organisations) is counted in articles, not occurrences, so one long article
cannot make a term. The significance is Dunning's log-likelihood ratio G²
over the 2×2 table (articles with and without the term, in the window and in
the baseline): it is large when a term's share rose by more than chance,
and small for one-off words. A term is listed only when it is in at least
MIN_ARTICLES articles of the window, its share rose, and G² is at least
MIN_G2 (p < 0.05); the list is ordered by G² (10.83 is p < 0.001, for one
degree of freedom).
Numbers, words of two letters and calendar words (months, weekdays: they
rise with every dateline) are left out. A name of several words is one term:
in an article that names "Choe Son Hui", "choe", "son" and "hui" are not
counted as words, and no word of a listed name is listed beside it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from ..models import Emerging

MIN_ARTICLES = 3
MIN_G2 = 3.84
"""Below this (p ≥ 0.05 for one degree of freedom) a rise is left out as chance."""
CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday today yesterday tomorrow week month year her his its".split()
)
"""Words that rise with the calendar (datelines, "on Tuesday"), not with events."""
NAME_FIELDS = ("places", "people", "organizations")
SHOWN = 30


def log_likelihood(a: int, b: int, recent: int, baseline: int) -> float:
    """G² for a term in `a` of `recent` articles and `b` of `baseline` articles."""
    cells = ((a, recent - a), (b, baseline - b))
    total = recent + baseline
    with_term = a + b
    g2 = 0.0
    for (present, absent), size in zip(cells, (recent, baseline), strict=True):
        for observed, column in ((present, with_term), (absent, total - with_term)):
            expected = size * column / total if total else 0
            if observed > 0 and expected > 0:
                g2 += observed * math.log(observed / expected)
    return 2 * g2


def emerging_terms(
    searcher: Any, until: dt.date, days: int, baseline_days: int, keep: Callable[[int], bool]
) -> list[Emerging]:
    """The rising terms among the articles `keep` accepts (document numbers)."""
    start = until - dt.timedelta(days=days - 1)
    base_start = start - dt.timedelta(days=baseline_days)
    analyzer = searcher.schema["body"].analyzer
    in_docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    """(kind, key) → the window's article ids with it; the baseline's counted apart."""
    base_counts: Counter[tuple[str, str]] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    dates: dict[str, dt.date] = {}
    recent = baseline = 0
    for docnum, fields in searcher.reader().iter_docs():
        published = fields.get("published")
        day = published.date() if published is not None else None
        if day is None or not base_start <= day <= until or not keep(docnum):
            continue
        keys = set()
        for text in (fields.get("title", ""), fields.get("body", "")):  # apart: datelines skipped
            for token in analyzer(text, chars=True):
                written = text[token.startchar : token.endchar].lower()
                if len(written) < 3 or written in CALENDAR or not written.isalpha():
                    continue
                keys.add(("word", token.text))
                forms[token.text][written] += 1
        for name_field in NAME_FIELDS:
            for name in str(fields.get(name_field) or "").split(", "):
                if name.strip():
                    keys.add(("name", name.strip()))
                    if " " in name.strip():  # its words are the name's, not words of their own
                        keys.difference_update(
                            ("word", token.text) for token in analyzer(name.strip())
                        )
        if day >= start:
            recent += 1
            dates[fields["id"]] = day
            for key in keys:
                in_docs[key].add(fields["id"])
        else:
            baseline += 1
            base_counts.update(keys)
    found = []
    for key, ids in in_docs.items():
        a, b = len(ids), base_counts[key]
        if a < MIN_ARTICLES or not recent or (baseline and a / recent <= b / baseline):
            continue
        kind, term = key
        shown = forms[term].most_common(1)[0][0] if kind == "word" else term
        ordered = tuple(sorted(ids, key=lambda i: (dates[i], i), reverse=True))
        found.append(
            Emerging(shown, kind, a, b, round(log_likelihood(a, b, recent, baseline), 2), ordered)
        )
    found = [item for item in found if item.score >= MIN_G2]
    name_words = {w.lower() for item in found if item.kind == "name" for w in item.term.split()}
    found = [item for item in found if item.kind == "name" or item.term not in name_words]
    found.sort(key=lambda e: (-e.score, e.term))
    return found[:SHOWN]
