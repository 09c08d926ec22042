"""Search behaviour over the fixture corpus: syntax, filters, snippets, facets, suggestions."""

from __future__ import annotations

import pytest

from index import SearchRequest
from index.engine.query import QueryError
from index.workspace import Workspace


def ids(
    workspace: Workspace,
    query: str,
    source: str | None = None,
    theme: str | None = None,
    place: str | None = None,
) -> set[str]:
    request = SearchRequest(query, source, theme, place, limit=50)
    return {hit.id for hit in workspace.search(request).hits}


def test_words_are_stemmed_and_combined_with_and(corpus: Workspace) -> None:
    assert ids(corpus, "vegetable farms") == {"sinuiju-greenhouse"}
    assert ids(corpus, "vegetable housing") == set()


def test_phrase_requires_adjacent_words(corpus: Workspace) -> None:
    assert ids(corpus, '"joint venture"') == {"chinese-investors-mine"}
    assert ids(corpus, '"venture joint"') == set()


def test_prefix_matches_word_starts(corpus: Workspace) -> None:
    assert ids(corpus, "greenh*") == {"sinuiju-greenhouse"}


def test_boolean_operators(corpus: Workspace) -> None:
    assert ids(corpus, "Pyongyang NOT homes") == {"sinuiju-greenhouse", "pyongyang-korean"}
    assert ids(corpus, "greenhouse OR excavators") == {
        "sinuiju-greenhouse",
        "chinese-investors-mine",
    }


def test_field_queries_use_singular_aliases(corpus: Workspace) -> None:
    assert ids(corpus, "place:Hyesan") == {"provinces-left-behind"}
    assert ids(corpus, 'place:"north pyongan"') == {"sinuiju-greenhouse"}
    assert ids(corpus, "title:greenhouse") == {"sinuiju-greenhouse"}
    assert ids(corpus, "source:yonhap") == {"pyongyang-korean", "fisheries-no-date"}
    assert ids(corpus, "tag:housing") == {"pyongyang-housing"}


def test_date_ranges(corpus: Workspace) -> None:
    assert ids(corpus, "date:2023") == {"chinese-investors-mine"}
    assert ids(corpus, "date:[2024-02 to 2024-04]") == {"sinuiju-greenhouse", "pyongyang-housing"}
    assert ids(corpus, "date:>2024-05") == {"provinces-left-behind", "pyongyang-korean"}
    assert ids(corpus, "date:2024-06-03") == {"provinces-left-behind"}


def test_filters_compose_as_an_intersection(corpus: Workspace) -> None:
    assert ids(corpus, "Pyongyang", source="kcna") == {"sinuiju-greenhouse", "pyongyang-housing"}
    assert ids(corpus, "Pyongyang", source="kcna", theme="pyongyang-focus") == {"pyongyang-housing"}
    assert ids(corpus, "", theme="inequality", place="Hyesan") == {"provinces-left-behind"}


def test_curated_themes_win_over_queries(corpus: Workspace) -> None:
    # fisheries-no-date is curated as inequality; its text would not match the query.
    assert ids(corpus, "", theme="inequality") == {"provinces-left-behind", "fisheries-no-date"}
    assert ids(corpus, "theme:inequality") == {"provinces-left-behind", "fisheries-no-date"}
    assert ids(corpus, "", theme="china-ventures") == {"chinese-investors-mine"}


def test_hits_carry_fields_and_sort_by_date(corpus: Workspace) -> None:
    result = corpus.search(SearchRequest("", sort="date", limit=50))
    dates = [hit.published for hit in result.hits if hit.published]
    assert dates == sorted(dates, reverse=True)
    assert result.hits[-1].id == "fisheries-no-date"
    hit = next(h for h in result.hits if h.id == "pyongyang-housing")
    assert hit.source == "kcna" and hit.themes == ("pyongyang-focus",)
    assert hit.published is not None and hit.published.isoformat() == "2024-04-15"


def test_snippets_give_match_offsets_not_markup(corpus: Workspace) -> None:
    hit = corpus.search("excavators").hits[0]
    snippet = hit.snippets[0]
    assert "<" not in snippet.text
    assert [snippet.text[s:e] for s, e in snippet.matches] == ["excavators"]
    article = corpus.article(hit.id)
    assert article is not None
    from index.content.body import plain_text

    body = plain_text(article.body)
    window = body[snippet.start : snippet.start + len(snippet.text)]
    assert window.replace("\n", " ") == snippet.text


def test_facets_count_the_whole_result_set(corpus: Workspace) -> None:
    facets = corpus.search(SearchRequest("Pyongyang", limit=1)).facets
    assert facets.sources == {"kcna": 2, "yonhap": 1}
    assert facets.years == {"2024": 3}
    assert facets.themes["pyongyang-focus"] == 1
    # A dimension's own filter does not shrink its counts; other filters do.
    filtered = corpus.search(SearchRequest("Pyongyang", source="kcna", limit=1)).facets
    assert filtered.sources == {"kcna": 2, "yonhap": 1}
    assert filtered.years == {"2024": 2}


def test_everything_when_the_query_is_empty(corpus: Workspace) -> None:
    result = corpus.search("")
    assert result.total == 6
    assert result.facets.years == {"2024": 4, "2023": 1, "undated": 1}


def test_spelling_suggestion_when_little_is_found(corpus: Workspace) -> None:
    result = corpus.search("greenhuse")
    assert result.total == 0
    assert result.suggestion == "greenhouse"
    assert corpus.search("greenhouse").suggestion is None


def test_more_like_this_finds_related_articles(corpus: Workspace) -> None:
    related = [hit.id for hit in corpus.related("pyongyang-housing", limit=3)]
    assert related and "pyongyang-housing" not in related


def test_korean_bigrams_match_inside_words(corpus: Workspace) -> None:
    assert ids(corpus, "평양") >= {"pyongyang-korean"}
    assert ids(corpus, "살림집") == {"pyongyang-korean"}
    assert ids(corpus, "격차") == {"pyongyang-korean"}


def test_name_variants_match_each_other(corpus: Workspace) -> None:
    assert ids(corpus, "Kim Jong Un") == {"sinuiju-greenhouse"}  # the text says Kim Chong-un
    assert ids(corpus, '"Kim Jong-un"') == {"sinuiju-greenhouse"}
    assert "sinuiju-greenhouse" in ids(corpus, "Sinŭiju")
    assert ids(corpus, "평양") == ids(corpus, "Pyongyang") | {"pyongyang-korean"}


@pytest.mark.parametrize(
    "query",
    ["NOT NOT a", "a AND", "date:[garbage to 2024]", "plase:x", "theme:nothing", "date:2024-13"],
)
def test_malformed_queries_raise_a_clear_error(corpus: Workspace, query: str) -> None:
    with pytest.raises(QueryError) as raised:
        corpus.search(query)
    assert str(raised.value)
    assert "Traceback" not in str(raised.value)


def test_unclosed_parenthesis_is_forgiven(corpus: Workspace) -> None:
    assert ids(corpus, "(greenhouse") == {"sinuiju-greenhouse"}


def test_match_spans_for_reader_highlighting(corpus: Workspace) -> None:
    text = "Kim Jong-un praised greenhouses and farmers."
    spans = corpus.match_spans(text, corpus.query_terms("greenhouse farm* Kim Chong Un"))
    assert [text[s:e] for s, e in spans] == ["Kim", "Jong", "un", "greenhouses", "farmers"]
