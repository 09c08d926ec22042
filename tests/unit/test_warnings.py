"""briefing's own code runs with every warning an error; only Whoosh's are filtered.

Whoosh 2.7.4's source has invalid escape sequences, which Python reports when
it compiles the modules; `index/__init__.py` silences those for Whoosh's modules
alone. The child compiles everything afresh (an empty pycache), so the
compile-time warnings really happen.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import FIXTURE_CORPUS

pytestmark = pytest.mark.slow
PROJECT = Path(__file__).resolve().parents[2]
SCRIPT = """
import pkgutil, importlib, sys
import index, tui
for package in (index, tui):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
from tui.cli import main
content, data = sys.argv[1], sys.argv[2]
for args in (["index"], ["search", "pyongyang"], ["search", "NOT NOT a"], ["sources"],
             ["themes"], ["notes"], ["export"]):
    code = main([*args, "--content", content, "--data", data])
    assert code in (0, 2), (args, code)
import warnings
try:  # a warning from anywhere else is still an error
    warnings.warn("still counts", DeprecationWarning)
except DeprecationWarning:
    print("clean")
"""


def test_the_project_runs_with_warnings_as_errors(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CORPUS, content)
    child = subprocess.run(
        [
            sys.executable,
            "-W",
            "error",
            "-X",
            f"pycache_prefix={tmp_path / 'pycache'}",
            "-c",
            SCRIPT,
            str(content),
            str(tmp_path / "data"),
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    assert child.stdout.strip().endswith("clean")


def test_the_filter_names_whoosh_modules_only() -> None:
    import re

    import index

    whoosh = ["whoosh", "whoosh.qparser.default", "/venv/site-packages/whoosh/analysis/filters"]
    others = ["index.search", "tui.app", "whooshy", "/venv/site-packages/rich/text", "__main__"]
    assert all(re.match(index.WHOOSH_MODULES, name) for name in whoosh)
    assert not any(re.match(index.WHOOSH_MODULES, name) for name in others)
