"""The layers stay apart: index/ never loads the interface, tui/ never touches Whoosh."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).parents[2]


def imported_modules(package: str) -> set[str]:
    names: set[str] = set()
    for path in (PROJECT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def test_index_package_loads_without_textual_or_tui() -> None:
    code = (
        "import sys, index.workspace, index.indexer, index.search;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui'));"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, check=True
    )
    assert result.stdout.strip() == ""
    assert not imported_modules("index") & {"textual", "tui"}


def test_tui_never_imports_whoosh_directly() -> None:
    assert "whoosh" not in imported_modules("tui")


def test_yaml_is_only_loaded_safely() -> None:
    for package in ("index", "tui"):
        for path in (PROJECT / package).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            for unsafe in ("yaml.load(", "yaml.unsafe_load", "yaml.full_load", "yaml.Loader"):
                assert unsafe not in source, f"{path}: {unsafe}"
