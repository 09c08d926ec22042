"""Hostile article text, end to end on a real terminal.

An article's title, body, tags and a note on it carry Rich/Textual markup and
terminal escape sequences (OSC 52 clipboard writes, OSC 8 links, CSI screen
clearing, 8-bit C1 controls, bidi overrides, zero-width characters). The app
runs on a pseudo-terminal; the test reads every byte it writes and the screen a
terminal emulator makes of them: no payload reaches the terminal, the markup
shows as text, and clicking it fires nothing. Huge articles (a 1 MB line,
50,000 paragraphs) must leave every key answered.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.userdata.notes import NotesStore, new_annotation

from ..conftest import FIXTURE_CORPUS
from .pty_terminal import Terminal

pytestmark = pytest.mark.slow

MARKUP = "[bold]BOLD[/bold] [@click=app.quit]CLICKME[/] [link=https://evil.example/]LNK[/link]"
ESCAPES = (
    "\x1b]52;c;aGk=\x07"  # OSC 52: write the clipboard
    "\x1b]8;;https://evil.example/\x07OSC8\x1b]8;;\x07"  # OSC 8 hyperlink
    "\x1b[2J\x1b[3J\x1b[7;7H"  # clear screen and scrollback, move the cursor
    "\x9b31mC1\x9d0;pwned\x9c"  # the same in 8-bit C1 controls
    "\u202eRTL\u2066ISO\u200bZW"  # bidi override and isolate, zero-width space
)
TITLE = r'"Hostile [/x] [@click=app.quit]QUIT[/] \e]52;c;dGl0bGU=\a\x9b2J title\\"'
TAGS = r'["[red]TAGMARK", "\e]8;;https://evil.example/\aTAGLINK"]'
NOTE = "[@click=app.quit]NOTECLICK[/] \x1b]52;c;bm90ZQ==\x07 note end\\"
FORBIDDEN = [
    b"]52;",
    b"]8;;https://evil",
    b"\x1b[3J",
    b"\x1b[7;7H",
    "\x9b".encode(),
    "\x9d".encode(),
    "\x9c".encode(),
    "\u202e".encode(),
    "\u2066".encode(),
    "\u200b".encode(),
]


def article(article_id: str, title: str, body: str, tags: str = "[]") -> str:
    return (
        f"---\nid: {article_id}\ntitle: {title}\nsource: daily-nk\n"
        f"published: 2024-03-01\ntags: {tags}\n---\n\n{body}\n"
    )


def briefing_with(tmp_path: Path, text: str, open_article: str) -> tuple[Path, Path]:
    """A content folder holding one article, and a data dir whose state opens it."""
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    shutil.copy(FIXTURE_CORPUS / "sources.yaml", content)
    (content / "articles" / f"{open_article}.md").write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / "state.yaml").write_text(f"open_article: {open_article}\n")
    return content, data


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[Terminal]:
    body = f"First paragraph {MARKUP} {ESCAPES} trailing\\\n\nSecond paragraph {ESCAPES}\\"
    content, data = briefing_with(tmp_path, article("hostile", TITLE, body, TAGS), "hostile")
    NotesStore(data / "notes").put(new_annotation("hostile", NOTE, ("[b]x", "\x1b[31m", "z"), None))
    session = Terminal(data, "--content", str(content))
    yield session
    session.close()


def test_no_escape_reaches_the_terminal_and_markup_shows_as_text(hostile: Terminal) -> None:
    assert hostile.read_until("CLICKME", timeout=60), hostile.text
    hostile.send("5")  # the Notes pane, with the hostile note
    assert hostile.read_until("NOTECLICK", timeout=10), hostile.text
    screen = hostile.text
    literals = [
        "[bold]BOLD[/bold]",
        "[@click=app.quit]CLICKME[/]",
        "[/x]",
        "#[b]x #z",
        "[link=https://evil.example/]LNK[/link]",
        "[@click=app.quit]QUIT[/]",
        "[@click=app.quit]NOTECLICK[/]",
        "title\\",
        "note end\\",
    ]
    for literal in literals:
        assert literal in screen, literal
    assert "OSC8C1RTLISOZW" in screen  # the text kept, the controls gone
    for forbidden in FORBIDDEN:
        assert forbidden not in hostile.output, forbidden
    assert b"pwned" not in hostile.output and b"dGl0bGU=" not in hostile.output

    row = next(n for n, line in enumerate(hostile.screen.display) if "CLICKME" in line)
    column = hostile.screen.display[row].index("CLICKME")
    for event in (b"M", b"m"):  # an SGR mouse press and release on the markup
        hostile.send(b"\x1b[<0;%d;%d" % (column + 3, row + 1) + event)
    hostile.read(1.0)
    assert hostile.process.poll() is None, "clicking the text fired an action"
    hostile.send("q")
    assert hostile.exit_code() == 0


HUGE_LINE = " ".join(f"word{n % 997}" for n in range(125_000))  # about 1 MB, no newline
MANY_PARAGRAPHS = "\n\n".join(f"Paragraph {n} about the county." for n in range(50_000))
READER_KEYS = ["j", "j", "k", " ", "b", "G", "g", "J", "K", "v", "j", "\x1b", "n"]


@pytest.mark.parametrize(
    ("article_id", "body", "marker"),
    [("huge-line", HUGE_LINE, "word5"), ("many-paragraphs", MANY_PARAGRAPHS, "Paragraph 1 ")],
    ids=["1MB-line", "50k-paragraphs"],
)
def test_every_key_is_answered_with_a_huge_article_open(
    tmp_path: Path, article_id: str, body: str, marker: str
) -> None:
    content, data = briefing_with(tmp_path, article(article_id, "Huge", body), article_id)
    terminal = Terminal(data, "--content", str(content))
    try:
        assert terminal.read_until(marker, timeout=120), terminal.text
        terminal.send("4")  # the Reader
        terminal.read(1.0)
        latencies = []
        for key in READER_KEYS:
            sent = time.monotonic()
            terminal.send(key)
            answered = terminal.read(5.0)  # generous: this proves no freeze, not speed
            latencies.append(terminal.first_output - sent if answered else float("nan"))
            assert answered or key in ("k", "n"), f"no answer to {key!r}"
            assert terminal.process.poll() is None
        print(f"{article_id}: key latencies (s)", [round(t, 3) for t in latencies])
        terminal.send("q")
        assert terminal.exit_code() == 0
    finally:
        terminal.close()


DOOR_PAYLOAD = "\x1b]52;c;ZG9vcg==\x07\x1b[2J\x9b2J\u202eRTL"
"""What each door is fed: OSC 52 (clipboard), CSI 2J, C1 CSI 2J, a bidi override."""
DOOR_FORBIDDEN = [
    b"]52;",
    b"ZG9vcg==",
    "\x9b".encode(),
    "\u202e".encode(),
    "\u2066".encode(),
    "\u200b".encode(),
]
REFERENCES = "Body &#x202E;RTL &#x2066;ISO &#x200B;ZW &#x9b;2J end."
"""Numeric character references: Markdown decodes them after the sanitiser first ran."""


def no_payload(output: bytes | bytearray) -> list[bytes]:
    """The forbidden sequences found in what reached the terminal."""
    leaked = [sequence for sequence in DOOR_FORBIDDEN if sequence in output]
    if b"\x1b[2J" in output.replace(b"\x1b[?1049h\x1b[2J", b""):  # not the app's own clear
        leaked.append(b"\x1b[2J")
    return leaked


@pytest.fixture
def doors(tmp_path: Path) -> tuple[Path, Path]:
    """Content with a body of references, a state with a hostile query, a hostile notes file."""
    content, data = briefing_with(tmp_path, article("refs", "References", REFERENCES), "refs")
    query = DOOR_PAYLOAD.encode("unicode_escape").decode().replace("\\x1b", "\\e")
    (data / "state.yaml").write_text(f'query: "{query}"\nopen_article: refs\n', encoding="utf-8")
    notes = data / "notes"
    notes.mkdir()
    hostile_name = notes / f"gone{DOOR_PAYLOAD}.yaml"
    hostile_name.write_text(
        "annotations:\n- id: a1\n  note: on an article that is gone\n  tags: []\n"
        "  created: '2024-01-01T00:00:00+00:00'\n",
        encoding="utf-8",
    )
    return content, data


def test_no_door_lets_an_escape_through_in_the_app(doors: tuple[Path, Path]) -> None:
    content, data = doors
    terminal = Terminal(data, "--content", str(content))
    try:
        assert terminal.read_until("Body RTL ISO ZW", timeout=60), terminal.text  # refs cleaned
        terminal.send("5")
        terminal.read(0.5)
        terminal.send("t")  # every note in the corpus: the hostile file is not one of them
        assert terminal.read_until("No annotations yet", timeout=10), terminal.text
        assert no_payload(terminal.output) == []
        terminal.send("\x03")  # Ctrl+C quits from anywhere
        assert terminal.exit_code() == 0
    finally:
        terminal.close()


@pytest.mark.parametrize(
    "command",
    [["show", "refs"], ["notes"], ["index"], ["import", "IMPORTS"]],
    ids=["show", "notes", "index", "import"],
)
def test_no_door_lets_an_escape_through_on_the_command_line(
    doors: tuple[Path, Path], command: list[str]
) -> None:
    content, data = doors
    if command[-1] == "IMPORTS":
        imports = data.parent / "imports"
        imports.mkdir()
        (imports / f"bad{DOOR_PAYLOAD}.json").write_text("[{", encoding="utf-8")
        (imports / f"\u202eevil{DOOR_PAYLOAD}.txt").write_text("", encoding="utf-8")
        command = [command[0], str(imports)]
    terminal = Terminal(data, *command, "--content", str(content))
    try:
        terminal.exit_code(timeout=60)
        assert terminal.process.returncode is not None, terminal.text
        assert no_payload(terminal.output) == [], terminal.output[-2000:]
        if command[0] == "import":  # each bad file named, in one line, without its escapes
            assert terminal.output.count(b"failed: ") == 2, terminal.text
        if command[0] == "show":
            assert "Body RTL ISO ZW" in terminal.text
    finally:
        terminal.close()
