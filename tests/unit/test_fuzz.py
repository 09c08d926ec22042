"""Property tests: any input gives an answer or our own clear error, never a crash.

Example counts are bounded (see SETTINGS) so the whole file runs in seconds;
set BRIEFING_FUZZ_EXAMPLES for a longer hunt. Hypothesis keeps failing
examples in .hypothesis/ and replays them first.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from index import Filters, SearchRequest
from index.content.articles import article_from_bytes
from index.engine.query import QueryError
from index.importing.library import Importer
from index.models import SearchResult
from index.paths import DataPaths
from index.userdata.anchoring import anchor, make_target
from index.userdata.notes import new_annotation
from index.workspace import Workspace

from ..conftest import FIXTURE_CORPUS, TESTS

SETTINGS = settings(
    max_examples=int(os.environ.get("BRIEFING_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
IMPORT_SAMPLES = TESTS / "data" / "import"

QUERY_TOKENS = [
    "AND",
    "OR",
    "NOT",
    "ANDNOT",
    "ANDMAYBE",
    "TO",
    "to",
    "(",
    ")",
    '"',
    "'",
    "*",
    "?",
    "~",
    "~2",
    "^",
    "^2",
    "\\",
    ":",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    ">=",
    "=",
    "-",
    "+",
    "/",
    "title:",
    "date:",
    "date:[",
    "date:>",
    "place:",
    "tag:",
    "theme:",
    "note:",
    "body:",
    "source:",
    "year:",
    "id:",
    "2024",
    "2024-03",
    "2024-13-40",
    "pyongyang",
    "China",
    "Kim",
    "Jong",
    "Un",
    "ventures",
    "평양",
    "開城",
    "inequality",
    "pyongyang-focus",
]
queries = st.one_of(
    st.lists(st.sampled_from(QUERY_TOKENS), max_size=8).map(" ".join),
    st.lists(st.sampled_from(QUERY_TOKENS), max_size=8).map("".join),
    st.text(max_size=40),
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(FIXTURE_CORPUS, root / "corpus")
    opened = Workspace([root / "corpus"], DataPaths(root / "data"))
    opened.sync()
    yield opened
    opened.close()


def answer(workspace: Workspace, text: str, sort: str = "relevance") -> SearchResult | str:
    """The result of a search, or the message of the QueryError it raised."""
    try:
        return workspace.search(SearchRequest(Filters(text), sort=sort))
    except QueryError as error:
        return str(error)


@SETTINGS
@given(text=queries, sort=st.sampled_from(["relevance", "newest"]))
def test_any_query_gives_results_or_a_query_error(
    workspace: Workspace, text: str, sort: str
) -> None:
    outcome = answer(workspace, text, sort)
    if isinstance(outcome, str):
        assert outcome, "a query error must say what is wrong"
    else:
        assert outcome.total >= len(outcome.hits)


def test_whoosh_parser_crashes_are_guarded(workspace: Workspace) -> None:
    """Whoosh's own parser raises IndexError on `NOT NOT a`; we answer instead."""
    assert answer(workspace, "NOT NOT pyongyang") == answer(workspace, "pyongyang") or isinstance(
        answer(workspace, "NOT NOT pyongyang"), str
    )
    for text in ("NOT", "a AND", 'title:"', "date:[2024 to", "^2"):
        outcome = answer(workspace, text)
        assert isinstance(outcome, SearchResult) or "cannot" in outcome or "incomplete" in outcome


# -- files ---------------------------------------------------------------------------------

SEED_ARTICLE = (FIXTURE_CORPUS / "articles").glob("*.md").__next__().read_bytes()


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """`original` with a few random bytes inserted, deleted, replaced, or cut short."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "truncate"]))
        chunk = draw(st.binary(min_size=1, max_size=8))
        if action == "insert":
            data[at:at] = chunk
        elif action == "delete":
            del data[at : at + len(chunk)]
        elif action == "replace":
            data[at : at + len(chunk)] = chunk
        else:
            del data[at:]
    return bytes(data)


@SETTINGS
@given(raw=st.one_of(st.binary(max_size=400), mutated(SEED_ARTICLE)))
def test_any_article_file_loads_or_names_its_problems(raw: bytes) -> None:
    loaded = article_from_bytes(raw, Path("articles/fuzzed.md"))
    assert loaded.article is not None or loaded.problems, "a file that fails says why"
    for problem in loaded.problems:
        assert problem.message and str(problem.path).endswith("fuzzed.md")


IMPORT_FILES = sorted(p for p in IMPORT_SAMPLES.iterdir() if p.stat().st_size)


@st.composite
def import_file(draw: st.DrawFn) -> tuple[str, bytes]:
    sample = draw(st.sampled_from(IMPORT_FILES))
    raw = draw(st.one_of(mutated(sample.read_bytes()), st.binary(max_size=300)))
    suffix = draw(st.sampled_from([sample.suffix, "", ".json", ".html", ".xml"]))
    return suffix, raw


@SETTINGS
@given(files=st.lists(import_file(), min_size=1, max_size=3))
def test_importing_damaged_files_reports_each_and_never_crashes(
    tmp_path_factory: pytest.TempPathFactory, files: list[tuple[str, bytes]]
) -> None:
    root = tmp_path_factory.mktemp("import")
    paths = []
    for number, (suffix, raw) in enumerate(files):
        path = root / "incoming" / f"file{number}{suffix}"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(raw)
        paths.append(path)
    (root / "content").mkdir()
    report = Importer(root / "library", [root / "content"]).run(paths)
    assert report.files == len(paths)
    for origin, reason in report.failed:  # one line each, naming the file
        assert reason and "\n" not in reason
        assert any(path.name in origin for path in paths), origin
    written = sorted((root / "library" / "articles").glob("*.md")) if report.imported else []
    assert len(written) == len(report.imported)
    for path in written:  # what was written is a whole, loadable article
        assert article_from_bytes(path.read_bytes(), path).article is not None


# -- re-anchoring --------------------------------------------------------------------------

words = st.sampled_from(
    ["the", "city", "Pyongyang", "housing", "China", "venture", "regional", "gap", ".", ",", "\n"]
)
texts = st.lists(words, min_size=8, max_size=80).map(" ".join)


@st.composite
def edit(draw: st.DrawFn, text: str) -> str:
    """A few random insertions, deletions and replacements of `text`."""
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        length = draw(st.integers(0, 12))
        inserted = draw(st.one_of(st.just(""), texts.map(lambda t: t[:20]), st.text(max_size=6)))
        text = text[:at] + inserted + text[at + length :]
    return text


@SETTINGS
@given(data=st.data(), text=texts)
def test_an_annotation_is_found_where_its_quote_is_or_orphaned(
    data: st.DataObject, text: str
) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, min(len(text), start + 60)))
    assume(text[start:end].strip())
    annotation = new_annotation("a", "note", (), make_target(text, start, end))
    changed = data.draw(edit(text))
    placed = anchor(annotation, changed)
    if placed.status == "orphaned":
        assert placed.start is None and placed.annotation.target == annotation.target
        return
    assert placed.start is not None and placed.end is not None
    assert 0 <= placed.start < placed.end <= len(changed)
    target = placed.annotation.target
    assert target is not None
    assert changed[placed.start : placed.end] == target.exact
    if placed.status in ("exact", "moved"):
        assert target.exact == annotation.target.exact  # type: ignore[union-attr]
