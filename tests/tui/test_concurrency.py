"""Two app instances and a command-line import on one data dir, all at once.

Each wants to build or update the index. The index lock makes a second writer
wait (or report "index busy"); afterwards everything has finished, nothing is
lost and the index holds every article exactly once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from index.paths import DataPaths
from index.workspace import Workspace

from ..conftest import FIXTURE_CORPUS
from ..helpers import BRIEFING
from .pty_terminal import PROJECT, Terminal

pytestmark = pytest.mark.slow

RECORDS = 300


def test_two_apps_and_an_import_at_once_lose_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CORPUS, content)
    archive = tmp_path / "archive.json"
    archive.write_text(
        json.dumps(
            [
                {
                    "headline": f"Dispatch {n}",
                    "link": f"http://kcna.kp/item/{n}",
                    "topic": "Economy",
                    "date": 1704067200000 + n * 3_600_000,
                    "story_text": f"Dispatch number {n} on the xylophone works in Sinuiju. " * 20,
                }
                for n in range(RECORDS)
            ]
        )
    )
    data = DataPaths(tmp_path / "data")
    where = ["--content", str(content), "--data", str(data.root)]

    first = Terminal(data.root, *where)
    second = Terminal(data.root, *where)
    importing = subprocess.Popen(
        [*BRIEFING, "import", str(archive), "--source", "kcna", "--json", *where],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = importing.communicate(timeout=240)
        assert importing.returncode == 0, err
        assert json.loads(out)["imported"] == RECORDS
        for app in (first, second):
            assert app.read_until("Pyongyang", timeout=120), app.text
            app.type("/xylophone\r")  # each app searches the index the others wrote
        for app in (first, second):
            assert app.read_until("query “xylophone”  —  300 articles", timeout=60), app.text
            assert "Traceback" not in app.text
            app.send("q")  # the focus is in Articles after Enter
        for app in (first, second):
            assert app.exit_code() == 0, app.text
    finally:
        first.close()
        second.close()
        if importing.poll() is None:
            importing.kill()

    workspace = Workspace([content, data.library_dir], data)
    assert not workspace.needs_update()  # the last writer saw every file
    assert workspace.search("").total == 6 + RECORDS  # each article once
    assert workspace.search("xylophone").total == RECORDS
    workspace.close()
