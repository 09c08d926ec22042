"""The layers stay apart, checked here rather than by memory.

- `index/` never loads the interface (a fresh interpreter's sys.modules, and its sources);
- `tui/` never imports Whoosh, and reaches `index` only through its public surface;
- only `index/feeds/` talks HTTP (httpx);
- only `index/engine/` imports Whoosh, and only `index/engine/fast/` touches
  Whoosh's private attributes (or anyone else's);
- YAML is only ever loaded safely.

`lint-imports` (run by `make test`) checks the same layering, transitively,
from the contracts in pyproject.toml. Each rule is also checked against a
small planted violation, so a rule that stopped finding anything would fail.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).parents[2]
PUBLIC_INDEX = frozenset({"index", "index.models", "index.errors"})
"""What `tui/` may import of the domain layer (`index.__all__` names the rest)."""
FAST = Path("index") / "engine" / "fast"


def sources(package: str) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted((PROJECT / package).rglob("*.py")):
        yield path.relative_to(PROJECT), ast.parse(path.read_text(encoding="utf-8"))


def imports(tree: ast.AST) -> Iterator[str]:
    """Every absolute module a tree imports (`from x import y` gives x and x.y)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def whoosh_importers(package: str) -> set[Path]:
    return {
        path
        for path, tree in sources(package)
        if any(name.split(".")[0] == "whoosh" for name in imports(tree))
    }


def private_reaches(tree: ast.AST) -> list[str]:
    """`something._private` where something is not self or cls; private names from whoosh."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            found += [f"line {node.lineno}: {a.name}" for a in node.names if _private(a.name)]
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_index_package_loads_without_textual_or_tui() -> None:
    code = (
        "import sys, index, index.workspace, index.engine.search, index.importing.library;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui'));"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, check=True
    )
    assert result.stdout.strip() == ""
    for path, tree in sources("index"):
        assert not {n.split(".")[0] for n in imports(tree)} & {"textual", "tui"}, path


def test_tui_never_imports_whoosh() -> None:
    assert whoosh_importers("tui") == set()


def test_only_the_engine_imports_whoosh() -> None:
    outside = {p for p in whoosh_importers("index") if Path("index", "engine") not in p.parents}
    assert outside == set()


def test_only_the_feeds_talk_http() -> None:
    talkers = {
        path
        for package in ("index", "tui")
        for path, tree in sources(package)
        if any(name.split(".")[0] == "httpx" for name in imports(tree))
    }
    assert talkers and all(Path("index", "feeds") in path.parents for path in talkers), talkers


def test_only_the_fast_paths_touch_private_attributes() -> None:
    offenders = {
        str(path): found
        for path, tree in sources("index")
        if FAST not in path.parents and (found := private_reaches(tree))
    }
    assert offenders == {}
    fast = {
        path for path, tree in sources("index") if FAST in path.parents and private_reaches(tree)
    }
    assert fast, "the fast paths no longer touch Whoosh's internals: move them out of fast/"


def test_each_fast_module_names_the_whoosh_version_it_relies_on() -> None:
    for path in sorted((PROJECT / FAST).glob("*.py")):
        if path.name != "__init__.py":
            assert "2.7.4" in (ast.get_docstring(ast.parse(path.read_text())) or ""), path


def test_the_interface_reaches_index_only_through_its_public_surface() -> None:
    offenders = {
        f"{path}: {name}"
        for path, tree in sources("tui")
        for name in imports(tree)
        if name.split(".")[0] == "index" and name not in PUBLIC_INDEX
    }
    assert offenders == set()
    import index

    assert all(hasattr(index, name) for name in index.__all__)


def exception_classes(tree: ast.AST) -> list[str]:
    """Public classes that derive from an exception type by name (…Error, Exception…)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            bases = [ast.unparse(base) for base in node.bases]
            if any(b.endswith(("Error", "Exception", "Busy", "Refused", "Timeout")) for b in bases):
                found.append(node.name)
    return found


def test_every_error_a_user_can_cause_lives_with_the_root() -> None:
    """One error root: public exception classes are defined in index/errors.py only."""
    outside = {
        str(path): names
        for path, tree in sources("index")
        if path != Path("index") / "errors.py" and (names := exception_classes(tree))
    }
    assert outside == {}


MAX_MODULE_LINES = 400


def test_no_module_of_the_product_is_over_400_lines() -> None:
    """Small modules with one job: a module past this is split along a seam first."""
    long = {
        str(path.relative_to(PROJECT)): lines
        for package in ("index", "tui")
        for path in sorted((PROJECT / package).rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_the_checks_find_planted_violations() -> None:
    planted = ast.parse(
        "import whoosh\nfrom whoosh.system import _INT_SIZE\n"
        "def f(matcher):\n    return matcher._data, self._fine\n"
    )
    assert "whoosh" in set(imports(planted))
    assert private_reaches(planted) == ["line 2: _INT_SIZE", "line 4: ._data"]
    assert "index.engine.search" not in PUBLIC_INDEX
    assert exception_classes(ast.parse("class OpmlError(ValueError): pass")) == ["OpmlError"]


def test_yaml_is_only_loaded_safely() -> None:
    for package in ("index", "tui"):
        for path in (PROJECT / package).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            for unsafe in ("yaml.load(", "yaml.unsafe_load", "yaml.full_load", "yaml.Loader"):
                assert unsafe not in source, f"{path}: {unsafe}"
