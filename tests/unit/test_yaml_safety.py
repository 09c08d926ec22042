"""YAML from files a user may have been sent: safe loading only, bounded, clear messages.

Every YAML file briefing reads (article front matter, notes, reading state,
sources and themes) goes through `index.safe_yaml.load_yaml`; ruff's S506
rule keeps `yaml.load` out of the code.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from index.content.articles import article_from_bytes
from index.content.catalog import load_catalog
from index.content.frontmatter import MAX_FRONT_MATTER_BYTES
from index.userdata.notes import NotesError, NotesStore
from index.userdata.state import StateStore

PROJECT = Path(__file__).resolve().parents[2]
LAUGHS = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 10)]
)  # nine levels of nine: 387 million strings if it were ever expanded


def front(fields: str) -> bytes:
    return f"---\nid: a\ntitle: T\nsource: s\n{fields}\n---\n\nBody.\n".encode()


def problems(raw: bytes) -> list[str]:
    loaded = article_from_bytes(raw, Path("articles/a.md"))
    return [str(problem) for problem in loaded.problems]


def test_an_alias_bomb_is_refused_everywhere_in_bounded_memory(tmp_path: Path) -> None:
    """In a child process limited to 1 GiB: expanding the bomb would need far more."""
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from index.content.articles import article_from_bytes
        from index.content.catalog import load_catalog
        from index.userdata.notes import NotesError, NotesStore
        from index.userdata.state import StateStore
        bomb = {LAUGHS!r}
        root = Path({str(tmp_path)!r})
        loaded = article_from_bytes(("---\\nid: a\\ntitle: T\\nsource: s\\n" + bomb
                                     + "\\n---\\n\\nB\\n").encode(), Path("a.md"))
        print(loaded.problems[0])
        (root / "notes").mkdir()
        (root / "notes" / "a.yaml").write_text(bomb)
        try:
            NotesStore(root / "notes").load("a")
        except NotesError as error:
            print(error)
        (root / "state.yaml").write_text(bomb)
        store = StateStore(root / "state.yaml")
        store.load()
        print(store.problem)
        (root / "content").mkdir()
        (root / "content" / "sources.yaml").write_text(bomb)
        print(load_catalog([root / "content"]).problems[0])
        """
    )

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    child = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit_memory,
    )
    assert child.returncode == 0, child.stderr
    lines = child.stdout.splitlines()
    assert len(lines) == 4
    assert all("aliases (*name) are not allowed" in line for line in lines), lines


def test_python_tags_duplicate_keys_and_non_text_titles_are_refused() -> None:
    assert "invalid YAML" in problems(front("x: !!python/name:os.system"))[0]
    assert "invalid YAML" in problems(front("x: !!python/object/new:os.system [ls]"))[0]
    assert "duplicate key 'title'" in problems(front("title: Again"))[0]
    for value, kind in (("no", "true/false"), ("010", "a number"), ("1.50", "a number")):
        raw = f"---\nid: a\ntitle: {value}\nsource: s\n---\n\nBody.\n".encode()
        assert f"'title' must be text, not {kind} (quote it)" in problems(raw)[0]
    quoted = article_from_bytes(b'---\nid: a\ntitle: "no"\nsource: s\n---\n\nB.\n', Path("a"))
    assert quoted.article is not None and quoted.article.title == "no"


def test_oversized_front_matter_is_refused_before_parsing() -> None:
    padding = "tags: [" + ", ".join(["padding"] * (MAX_FRONT_MATTER_BYTES // 9 + 10)) + "]"
    message = problems(front(padding))[0]
    assert f"larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB" in message


def test_a_broken_notes_file_or_library_sources_file_is_left_untouched(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    broken = "annotations:\n- id: x\n  id: y\n"
    (notes / "a.yaml").write_text(broken)
    with pytest.raises(NotesError, match=r"duplicate key 'id'.*left untouched"):
        NotesStore(notes).load("a")
    assert (notes / "a.yaml").read_text() == broken
    state = tmp_path / "state.yaml"
    state.write_text("read: !!python/object/apply:os.system [ls]\n")
    store = StateStore(state)
    store.load()
    assert not store.writable and store.problem and "state.yaml" in store.problem


def test_the_library_sources_file_is_never_overwritten_when_unreadable(tmp_path: Path) -> None:
    from index.importing.library import Importer

    library = tmp_path / "library"
    library.mkdir()
    hand_edited = "- id: mine\n  grade: A\n  grade: B\n"  # a duplicate key: unreadable
    (library / "sources.yaml").write_text(hand_edited)
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>New outlet story</title></head><body><article>"
        + "<p>A long enough paragraph about Sinuiju and its markets.</p>" * 5
        + "</article></body></html>"
    )
    report = Importer(library, [tmp_path / "none"]).run([page])
    assert report.imported
    assert (library / "sources.yaml").read_text() == hand_edited
    assert any("left untouched" in reason for _file, reason in report.failed)
    assert load_catalog([library]).problems  # and the catalog says what is wrong with it
