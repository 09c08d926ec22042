"""Annotations: saved safely, found again after edits, searchable, exported."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from index.content.body import plain_text
from index.export import ExportScope, Filters, annotations_jsonld, briefing_markdown
from index.models import Annotation, Article
from index.paths import DataPaths
from index.userdata.anchoring import anchor, make_target
from index.userdata.notes import NotesError, NotesStore, clean_tags, new_annotation
from index.workspace import Workspace
from tui.cli import main

PROJECT = Path(__file__).parents[2]


def passage(article: Article, words: str) -> tuple[int, int]:
    text = plain_text(article.body)
    start = text.index(words)
    return start, start + len(words)


def housing(workspace: Workspace) -> Article:
    article = workspace.article("pyongyang-housing")
    assert article is not None
    return article


def test_create_edit_delete_and_undo(corpus: Workspace, data_paths: DataPaths) -> None:
    article = housing(corpus)
    made = corpus.annotate(
        article, passage(article, "luxury apartments"), "Who gets them?", ("elite",)
    )
    notes = corpus.article_notes(article).items
    assert [(n.annotation.note, n.status) for n in notes] == [("Who gets them?", "exact")]
    assert notes[0].annotation.target is not None
    assert notes[0].annotation.target.exact == "luxury apartments"

    edited = corpus.edit_annotation(made, "Scientists and teachers, it says.", ("elite", "housing"))
    assert edited.created == made.created and edited.updated >= made.updated
    assert [n.annotation.note for n in corpus.article_notes(article).items] == [edited.note]

    corpus.delete_annotation(edited)
    assert corpus.article_notes(article).items == ()
    corpus.restore_annotation(edited)
    restored = corpus.article_notes(article).items
    assert [n.annotation for n in restored] == [edited]

    saved = yaml.safe_load((data_paths.notes_dir / "pyongyang-housing.yaml").read_text())
    assert saved["article"] == "pyongyang-housing"
    entry = saved["annotations"][0]
    assert entry["note"] == "Scientists and teachers, it says."
    assert set(entry["target"]) == {"exact", "prefix", "suffix", "start", "end", "text_hash"}
    assert entry["target"]["text_hash"].startswith("sha256:")


def test_notes_survive_a_restart(corpus_dir: Path, data_paths: DataPaths) -> None:
    first = Workspace([corpus_dir], data_paths)
    first.sync()
    article = housing(first)
    first.annotate(article, None, "Whole-article thought", ("overview",))
    first.close()
    second = Workspace([corpus_dir], data_paths)
    items = second.article_notes(housing(second)).items
    assert [(i.annotation.note, i.status) for i in items] == [("Whole-article thought", "article")]
    second.close()


def test_prefix_and_suffix_hold_32_characters_of_context() -> None:
    text = "a" * 50 + "QUOTE" + "b" * 50
    target = make_target(text, 50, 55)
    assert target.prefix == "a" * 32 and target.suffix == "b" * 32 and target.exact == "QUOTE"


def reanchored(original: str, quote: str, changed: str) -> tuple[str, str | None]:
    start = original.index(quote)
    annotation = new_annotation("x", "note", (), make_target(original, start, start + len(quote)))
    placed = anchor(annotation, changed)
    if not placed.placed:
        return placed.status, None
    assert placed.annotation.target is not None
    assert placed.annotation.target.exact == changed[placed.start : placed.end]
    return placed.status, changed[placed.start : placed.end]


TEXT = (
    "The ceremony was held in the capital. The luxury apartments were given to scientists, "
    "teachers and other residents of the capital. Officials praised the builders."
)
QUOTE = "The luxury apartments were given to scientists, teachers and other residents"


def test_reanchoring_after_text_is_inserted_before_the_quote() -> None:
    changed = "A new opening paragraph was added. " + TEXT
    assert reanchored(TEXT, QUOTE, changed) == ("moved", QUOTE)


def test_reanchoring_after_the_quote_itself_is_lightly_edited() -> None:
    changed = "Intro added. " + TEXT.replace("were given to scientists", "went to scientists")
    status, found = reanchored(TEXT, QUOTE, changed)
    assert status == "fuzzy"
    assert found == "The luxury apartments went to scientists, teachers and other residents"


def test_reanchoring_prefers_the_occurrence_with_matching_context() -> None:
    text = "Alpha said yes. Beta said no. Gamma said yes."
    start = text.index("said yes", 20)
    annotation = new_annotation("x", "", (), make_target(text, start, start + 8))
    placed = anchor(annotation, "Intro. " + text)
    assert placed.status == "moved" and placed.start == start + 7


def test_unfindable_annotation_is_orphaned_with_its_quote(
    corpus: Workspace, corpus_dir: Path
) -> None:
    article = housing(corpus)
    corpus.annotate(article, passage(article, "luxury apartments"), "keep me", ())
    path = corpus_dir / "articles" / "pyongyang-housing.md"
    text = path.read_text()
    head = text.split("\n---\n", 1)[0]
    path.write_text(head + "\n---\n\nThe article was rewritten entirely about fishing boats.\n")
    corpus.sync()
    items = corpus.article_notes(housing(corpus)).items
    assert [(i.status, i.annotation.note) for i in items] == [("orphaned", "keep me")]
    assert items[0].annotation.target is not None
    assert items[0].annotation.target.exact == "luxury apartments"


def test_a_corrupt_notes_file_is_reported_and_never_overwritten(
    corpus: Workspace, data_paths: DataPaths
) -> None:
    data_paths.notes_dir.mkdir(parents=True)
    broken = data_paths.notes_dir / "pyongyang-housing.yaml"
    broken.write_text("annotations: [unclosed\n")
    notes = corpus.article_notes(housing(corpus))
    assert (
        notes.items == ()
        and notes.problem
        and "pyongyang-housing.yaml:2: invalid YAML" in notes.problem
    )
    with pytest.raises(NotesError):
        corpus.annotate(housing(corpus), None, "lost?", ())
    assert broken.read_text() == "annotations: [unclosed\n"
    other = corpus.article("sinuiju-greenhouse")
    assert other is not None
    corpus.annotate(other, None, "still works", ())
    assert [i.annotation.note for i in corpus.article_notes(other).items] == ["still works"]
    assert any("pyongyang-housing.yaml" in str(p) for p in corpus.problems())


def add_many(directory: str, worker: int, count: int) -> None:
    store = NotesStore(Path(directory))
    for n in range(count):
        store.put(new_annotation("shared", f"worker {worker} note {n}", (), None))


@pytest.mark.slow
def test_two_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=add_many, args=(str(tmp_path), w, 25)) for w in range(2)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
        assert process.exitcode == 0
    notes = NotesStore(tmp_path).load("shared")
    assert len(notes) == 50
    assert {n.note for n in notes} == {f"worker {w} note {n}" for w in range(2) for n in range(25)}


SAVER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {project!r})
    from pathlib import Path
    from index.userdata.notes import NotesStore, new_annotation
    store = NotesStore(Path({directory!r}))
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        store.put(new_annotation("killed", "x" * 200_000 + str(n), ("t",), None))
    """
)


@pytest.mark.slow
def test_a_process_killed_while_saving_leaves_a_whole_file(tmp_path: Path) -> None:
    script = SAVER.format(project=str(PROJECT), directory=str(tmp_path))
    for delay in (0.05, 0.11, 0.17, 0.23, 0.31):
        with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE) as child:
            assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
            time.sleep(delay)
            os.kill(child.pid, signal.SIGKILL)
        notes = NotesStore(tmp_path).load("killed")  # parses: old file or new, never half
        assert all(note.note.startswith("x" * 1000) for note in notes)
    NotesStore(tmp_path).put(new_annotation("killed", "after", (), None))
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_notes_and_tags_are_searchable(corpus: Workspace) -> None:
    article = housing(corpus)
    corpus.annotate(
        article, passage(article, "luxury apartments"), "compare with Wonsan", ("zebra",)
    )
    assert [h.id for h in corpus.search("Wonsan").hits] == ["pyongyang-housing"]
    assert [h.id for h in corpus.search("note:Wonsan").hits] == ["pyongyang-housing"]
    assert [h.id for h in corpus.search("tag:zebra").hits] == ["pyongyang-housing"]
    assert [h.id for h in corpus.search("zebra").hits] == ["pyongyang-housing"]
    assert corpus.search("note:luxury").total == 0


def test_notes_edited_outside_the_app_are_reindexed(
    corpus: Workspace, data_paths: DataPaths
) -> None:
    store = NotesStore(data_paths.notes_dir)
    store.put(new_annotation("sinuiju-greenhouse", "handwritten armadillo", (), None))
    assert corpus.needs_update()
    report = corpus.sync()
    assert report.updated == ["sinuiju-greenhouse"]
    assert [h.id for h in corpus.search("armadillo").hits] == ["sinuiju-greenhouse"]


def test_clean_tags_splits_commas_and_hashes() -> None:
    assert clean_tags(" a , b c,#d #d ") == ("a", "b c", "d")


def annotate_three(corpus: Workspace) -> dict[str, Annotation]:
    housing_article = housing(corpus)
    mine = corpus.article("chinese-investors-mine")
    assert mine is not None
    return {
        "housing": corpus.annotate(
            housing_article,
            passage(housing_article, "luxury apartments"),
            "Elite housing.",
            ("elite",),
        ),
        "whole": corpus.annotate(housing_article, None, "Propaganda piece.", ()),
        "mine": corpus.annotate(
            mine, passage(mine, "Chinese technicians arrived with excavators"), "Tech transfer.", ()
        ),
    }


def test_markdown_briefing_puts_highlights_and_notes_under_their_theme(corpus: Workspace) -> None:
    annotate_three(corpus)
    text = briefing_markdown(corpus, ExportScope(), title="Test briefing")
    assert text.startswith("# Test briefing\n")
    assert "Prepared " in text and "2 articles" in text
    pyongyang = text.index("## Pyongyang focus")
    china = text.index("## China ventures")
    housing_at = text.index("### Another 10,000 homes rise in Pyongyang")
    mine_at = text.index("### Chinese investors return to a border mine")
    assert pyongyang < housing_at < china < mine_at
    assert "KCNA (grade D) · 2024-04-15" in text
    assert "> luxury apartments\n\nElite housing.\n\n_Tags: elite_" in text
    assert "**Note on the article.**\n\nPropaganda piece." in text
    assert "> Chinese technicians arrived with excavators\n\nTech transfer." in text
    assert "Completion of a new street" in text  # the summary
    only_china = briefing_markdown(corpus, ExportScope(Filters(theme="china-ventures")))
    assert "luxury apartments" not in only_china and "Tech transfer." in only_china
    everything = briefing_markdown(corpus, ExportScope(include_all=True))
    assert "Provinces left behind as markets wither" in everything


def test_jsonld_export_has_every_required_field(corpus: Workspace) -> None:
    made = annotate_three(corpus)
    data = annotations_jsonld(corpus, ExportScope())
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 3
    items = data["first"]["items"]
    for item in items:
        assert item["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert item["type"] == "Annotation"
        assert item["id"].startswith("urn:uuid:")
        assert item["target"]
        for body in item.get("body", []):
            assert body["type"] == "TextualBody" and body["value"]
    by_id = {item["id"]: item for item in items}
    passage_item = by_id[f"urn:uuid:{made['housing'].id}"]
    quote, position = passage_item["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == "luxury apartments"
    assert position["type"] == "TextPositionSelector" and position["end"] - position["start"] == 17
    assert (
        by_id[f"urn:uuid:{made['whole'].id}"]["target"] == "urn:briefing:article:pyongyang-housing"
    )


def test_cli_notes_and_export(
    corpus: Workspace,
    corpus_dir: Path,
    data_paths: DataPaths,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    annotate_three(corpus)
    base = ["--content", str(corpus_dir), "--data", str(data_paths.root)]
    assert main([*base, "notes", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 3 and {n["article"] for n in listed} == {
        "pyongyang-housing",
        "chinese-investors-mine",
    }
    assert main([*base, "notes", "--tag", "elite", "--json"]) == 0
    assert [n["note"] for n in json.loads(capsys.readouterr().out)] == ["Elite housing."]
    assert main([*base, "notes", "--article", "chinese-investors-mine"]) == 0
    out = capsys.readouterr().out
    assert "Tech transfer." in out and "Elite housing." not in out
    target = tmp_path / "out" / "briefing.md"
    assert main([*base, "export", "--theme", "pyongyang-focus", "-o", str(target)]) == 0
    assert "Elite housing." in target.read_text()
    assert main([*base, "export", "--format", "jsonld"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 3
