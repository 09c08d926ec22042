"""The article in a real web page: F1 on the shared article-extraction pages (≥ 0.95).

Runs only when `../shared/corpora/article-extraction/` is present; prints the
figures (`pytest -s` shows them). The scoring is the benchmark's own, see
`benchmarks/extraction.py`.
"""

from __future__ import annotations

import pytest

from benchmarks.extraction import run, score_page

pytestmark = pytest.mark.slow


def test_the_scoring_counts_shingles_with_multiplicity() -> None:
    same = score_page("k", "one two three four five", "one two three four five")
    assert (same.precision, same.recall) == (1.0, 1.0)
    # The text twice: one of its five shingles is the truth's; the other four are extra.
    extra = score_page("k", "a b c d", "a b c d a b c d")
    assert extra.recall == 1.0 and extra.precision == pytest.approx(0.2)
    assert score_page("k", "a b c d e f", "").recall == 0.0


@pytest.mark.shared("corpora/article-extraction/ground-truth.json")
def test_the_extractor_finds_the_article_text_of_real_pages() -> None:
    score = run()
    print(
        f"\narticle extraction on {len(score.pages)} pages: precision {score.precision:.3f} "
        f"recall {score.recall:.3f} F1 {score.f1:.3f}"
    )
    assert len(score.pages) == 102
    assert score.f1 >= 0.95
