"""Search behaviour over the fixture corpus: syntax, filters, snippets, facets, suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import Filters, SearchRequest
from index.engine.query import QueryError
from index.paths import DataPaths
from index.workspace import Workspace

from ..helpers import ARTICLE, write_article


def ids(
    workspace: Workspace,
    query: str,
    source: str | None = None,
    theme: str | None = None,
    place: str | None = None,
) -> set[str]:
    request = SearchRequest(Filters(query, source=source, theme=theme, place=place), limit=50)
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
    assert ids(corpus, "Pyongyang NOT homes") == {"pyongyang-korean"}
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


def test_a_dateline_is_not_a_mention_but_is_searchable(corpus: Workspace) -> None:
    """sinuiju-greenhouse opens "Pyongyang, February 10 (KCNA) --" and names it nowhere else."""
    assert "sinuiju-greenhouse" not in ids(corpus, "Pyongyang")
    assert "sinuiju-greenhouse" in ids(corpus, "dateline:Pyongyang")
    assert ids(corpus, "Pyongyang") == {"pyongyang-housing", "pyongyang-korean"}


def test_date_ranges(corpus: Workspace) -> None:
    assert ids(corpus, "date:2023") == {"chinese-investors-mine"}
    assert ids(corpus, "date:[2024-02 to 2024-04]") == {"sinuiju-greenhouse", "pyongyang-housing"}
    assert ids(corpus, "date:>2024-05") == {"provinces-left-behind", "pyongyang-korean"}
    assert ids(corpus, "date:2024-06-03") == {"provinces-left-behind"}


def test_filters_compose_as_an_intersection(corpus: Workspace) -> None:
    assert ids(corpus, "Pyongyang", source="kcna") == {"pyongyang-housing"}
    assert ids(corpus, "Pyongyang", source="kcna", theme="pyongyang-focus") == {"pyongyang-housing"}
    assert ids(corpus, "", theme="inequality", place="Hyesan") == {"provinces-left-behind"}


def test_curated_themes_win_over_queries(corpus: Workspace) -> None:
    # fisheries-no-date is curated as inequality; its text would not match the query.
    assert ids(corpus, "", theme="inequality") == {"provinces-left-behind", "fisheries-no-date"}
    assert ids(corpus, "theme:inequality") == {"provinces-left-behind", "fisheries-no-date"}
    assert ids(corpus, "", theme="china-ventures") == {"chinese-investors-mine"}


def test_hits_carry_fields_and_sort_by_date(corpus: Workspace) -> None:
    result = corpus.search(SearchRequest(Filters(), sort="date", limit=50))
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
    facets = corpus.search(SearchRequest(Filters("greenhouse OR Pyongyang"), limit=1)).facets
    assert facets.sources == {"kcna": 2, "yonhap": 1}
    assert facets.years == {"2024": 3}
    assert facets.themes["pyongyang-focus"] == 1
    # A dimension's own filter does not shrink its counts; other filters do.
    filtered = corpus.search(
        SearchRequest(Filters("greenhouse OR Pyongyang", source="kcna"), limit=1)
    )
    assert filtered.facets.sources == {"kcna": 2, "yonhap": 1}
    assert filtered.facets.years == {"2024": 2}


def test_everything_when_the_query_is_empty(corpus: Workspace) -> None:
    result = corpus.search("")
    assert result.total == 6
    assert result.facets.years == {"2024": 4, "2023": 1, "undated": 1}


def test_a_misspelt_query_shows_the_correction_s_results(corpus: Workspace) -> None:
    result = corpus.search("greenhuse")
    assert result.suggestion == "greenhouse" and result.shown_for == "greenhouse"
    assert [hit.id for hit in result.hits] == ["sinuiju-greenhouse"]
    literal = corpus.search(SearchRequest(Filters("greenhuse"), literal=True))
    assert literal.total == 0 and literal.suggestion == "greenhouse" and literal.shown_for is None
    assert corpus.search("greenhouse").suggestion is None
    typing = corpus.search(SearchRequest(Filters("greenh"), typing=True))
    assert typing.suggestion is None and [h.id for h in typing.hits] == ["sinuiju-greenhouse"]


def test_a_listed_name_typed_with_its_words_run_together_is_corrected_to_the_listing(
    corpus: Workspace,
) -> None:
    """variants.yaml lists "Kim Jong Un": "Kim Jongun" finds nothing, and is corrected to it."""
    result = corpus.search("Kim Jongun")
    assert result.shown_for == "Kim Jong Un" and result.total >= 1
    assert corpus.search("Kim Jong Un").suggestion is None
    assert corpus.search('"Kim Jongun"').shown_for != "Kim Jong Un"  # quotes are kept


def test_a_correction_is_offered_when_it_finds_clearly_more(
    corpus_dir: Path, tmp_path: Path
) -> None:
    """A word in one article (a typo there) next to a word in many: offered, not forced."""
    for number in range(12):
        text = ARTICLE.format(id=f"factory-{number}", title="Plant", body="A factory.")
        write_article(corpus_dir, f"factory-{number}.md", text)
    write_article(corpus_dir, "typo.md", ARTICLE.format(id="typo", title="T", body="A fyctory."))
    workspace = Workspace([corpus_dir], DataPaths(tmp_path / "data"))
    try:
        workspace.sync()
        result = workspace.search("fyctory")
        assert result.total == 1 and result.shown_for is None  # the literal query found one
        assert result.suggestion == "factory"
    finally:
        workspace.close()


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
    assert [text[s:e] for s, e in spans] == ["Kim Jong-un", "greenhouses", "farmers"]


def test_every_query_field_finds_what_its_filter_or_front_matter_says(corpus: Workspace) -> None:
    """Each field of the README's query table, on ids and on display names."""
    from index.content.articles import read_article
    from index.content.files import article_files

    articles = [a for p in article_files(corpus.content_dirs) if (a := read_article(p).article)]

    def having(test: object) -> set[str]:
        return {a.id for a in articles if test(a)}  # type: ignore[operator]

    for source in corpus.sources.values():
        by_filter = ids(corpus, "", source=source.id)
        assert by_filter == having(lambda a, s=source.id: a.source == s)
        assert ids(corpus, f"source:{source.id}") == by_filter
        assert ids(corpus, f'source:"{source.name}"') == by_filter
        assert ids(corpus, f"source:{source.id.upper()}") == by_filter
    for theme in corpus.themes.values():
        by_filter = ids(corpus, "", theme=theme.id)
        assert ids(corpus, f"theme:{theme.id}") == by_filter
        assert ids(corpus, f'theme:"{theme.name}"') == by_filter
    assert ids(corpus, 'kind:"news report"') == having(lambda a: a.kind == "news report")
    assert ids(corpus, 'kind:"News Report"') == ids(corpus, 'kind:"news report"')
    assert ids(corpus, "language:ko") == having(lambda a: a.language == "ko") != set()
    assert ids(corpus, "language:KO") == ids(corpus, "language:ko")
    assert ids(corpus, "year:2024") == having(lambda a: a.published and a.published.year == 2024)
    assert ids(corpus, "date:2024-03") == having(
        lambda a: a.published and (a.published.year, a.published.month) == (2024, 3)
    )
    for name, field in (
        ("place", "places"),
        ("person", "people"),
        ("org", "organizations"),
        ("tag", "tags"),
    ):
        values = {value for a in articles for value in getattr(a, field)}
        assert values or field == "organizations", field
        for value in values:
            expected = having(lambda a, f=field, v=value: v in getattr(a, f))
            assert ids(corpus, f'{name}:"{value}"') >= expected, (name, value)
            if name == "place":
                assert ids(corpus, "", place=value) >= expected
    assert ids(corpus, "title:greenhouse") == having(lambda a: "Greenhouse" in a.title)
    corpus.annotate(articles[0], None, "a remark about zanzibar", ("zebra",))
    assert ids(corpus, "note:zanzibar") == {articles[0].id}
    assert ids(corpus, "tag:zebra") == {articles[0].id}


def test_a_phrase_never_spans_two_values_of_a_field(corpus_dir: Path, tmp_path: Path) -> None:
    write_article(
        corpus_dir,
        "tagged.md",
        "---\nid: tagged\ntitle: Weather forecast\n"
        "source: kcna\ntags: [Latest News, Home News]\n---\n\nRain in the north.\n\n"
        "Home\n\nNews at nine.\n",
    )
    workspace = Workspace([corpus_dir], DataPaths(tmp_path / "data"))
    try:
        workspace.sync()
        assert "tagged" not in ids(workspace, '"news home"')  # the tags' values
        assert "tagged" not in ids(workspace, '"home news"') - ids(workspace, 'tag:"home news"')
        assert "tagged" not in ids(workspace, '"north home"')  # two paragraphs
        assert "tagged" in ids(workspace, '"news at nine"')
    finally:
        workspace.close()


def test_a_name_in_either_script_finds_both(corpus_dir: Path, tmp_path: Path) -> None:
    body = "김정은동지께서 연설하시였다. 김일성동지의 뜻을 이어."
    text = f"---\nid: speech-ko\ntitle: 연설\nsource: yonhap\nlanguage: ko\n---\n\n{body}\n"
    write_article(corpus_dir, "speech-ko.md", text)
    workspace = Workspace([corpus_dir], DataPaths(tmp_path / "data"))
    try:
        workspace.sync()
        assert ids(workspace, "김정은") == ids(workspace, "Kim Jong Un")
        assert "speech-ko" in ids(workspace, "Kim Jong Un")
        assert ids(workspace, "Kim Il Sung language:ko") == {"speech-ko"}
        assert ids(workspace, "평양") == ids(workspace, "Pyongyang")
    finally:
        workspace.close()


def test_phrase_matches_are_whole_phrases_and_korean_words_one_match(corpus: Workspace) -> None:
    text = "The planned city that rose from ashes. A city rose. 평양에서 평양"
    spans = corpus.match_spans(text, corpus.query_terms('"planned city that rose" 평양에서'))
    assert [text[s:e] for s, e in spans] == ["planned city that rose", "평양에서"]
    spans = corpus.match_spans(text, corpus.query_terms("city"))
    assert [text[s:e] for s, e in spans] == ["city", "city"]
    glued = "The respected ComradeKim Jong Un visited."
    spans = corpus.match_spans(glued, corpus.query_terms('"Kim Jong Un"'))
    assert [glued[s:e] for s, e in spans] == ["Kim Jong Un"]


def test_while_typing_the_last_word_is_a_prefix(corpus: Workspace) -> None:
    assert "sinuiju-greenhouse" in ids_typing(corpus, "gr")
    for typed in ("gre", "greenh", "greenhouse"):
        assert ids_typing(corpus, typed) == {"sinuiju-greenhouse"}, typed
    assert ids(corpus, "greenh") == set()  # finished: the word is exact
    assert ids_typing(corpus, "vegetable gr") == {"sinuiju-greenhouse"}


def test_a_word_typed_into_its_ending_still_finds_its_stem(corpus: Workspace) -> None:
    # "vegetable" is indexed as "veget": "vegeta…" is a prefix of no indexed word.
    for typed in ("veget", "vegeta", "vegetab", "vegetabl", "vegetable"):
        assert "sinuiju-greenhouse" in ids_typing(corpus, typed), typed


def ids_typing(workspace: Workspace, query: str) -> set[str]:
    request = SearchRequest(Filters(query), limit=50, typing=True)
    return {hit.id for hit in workspace.search(request).hits}


def test_a_single_typed_letter_waits_for_the_next_before_matching_as_a_prefix() -> None:
    from index.engine.as_typed import typed_prefix

    assert typed_prefix("regional f") == "regional"  # 'f*' is most of the vocabulary
    assert typed_prefix("c") == "c"
    assert typed_prefix("regional fl") == "regional (fl OR fl*)"
    assert typed_prefix("김") == "(김 OR 김*)"  # one Hangul syllable is a word already


def test_the_stems_a_typed_word_may_head_for_are_lower_case_words_only() -> None:
    from index.engine.as_typed import typed_prefix

    assert typed_prefix("REQUIREMENT") == (
        "(REQUIREMENT OR REQUIREMENT* OR require OR requirem OR requireme OR requiremen)"
    )  # "REQUIRE" would be an operator
    assert typed_prefix("flood 2024-03") == "flood (2024-03 OR 2024-03*)"
    assert typed_prefix("'rock'n'roll") == "('rock'n'roll OR 'rock'n'roll*)"
    assert typed_prefix("REQUIRE") == "REQUIRE"


def test_a_two_letter_prefix_matches_its_commonest_words_only(
    corpus_dir: Path, open_workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.engine.fast import ranking

    for n in range(3):
        coal = ARTICLE.format(id=f"coal-{n}", title="Coal", body="Coal from the mine.")
        write_article(corpus_dir, f"coal-{n}.md", coal)
    cobalt = ARTICLE.format(id="cobalt", title="Ore", body="Cobalt ore.")
    write_article(corpus_dir, "cobalt.md", cobalt)
    workspace = open_workspace(corpus_dir)
    monkeypatch.setattr(ranking, "SHORT_PREFIX_EXPANSIONS", 1)
    assert "cobalt" not in ids_typing(workspace, "co")  # only the commonest co- word
    assert {"coal-0", "coal-1", "coal-2"} <= ids_typing(workspace, "co")
    assert ids_typing(workspace, "cob") == {"cobalt"}  # three letters: every expansion
