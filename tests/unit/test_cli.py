"""The `briefing` command: tables, JSON, exit codes, and the installed package."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_search_prints_a_table_with_highlighted_snippets(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys, "--content", str(corpus_dir), "--data", str(tmp_path / "d"), "search", "excavators"
    )
    assert code == 0
    assert "Chinese investors return to a border mine" in out
    assert "Daily NK (C)" in out and "2023-11-20" in out and "China ventures" in out
    assert "excavators" in out and "1 article" in out


def test_search_json_has_the_documented_shape(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys,
        "search",
        "Pyongyang",
        "--json",
        "--content",
        str(corpus_dir),
        "--data",
        str(tmp_path),
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"total", "hits", "facets", "suggestion"}
    assert data["total"] == 2 and data["suggestion"] is None  # a dateline is not a mention
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "source", "published", "themes", "score", "snippets"}
    snippet = hit["snippets"][0]
    matched = {snippet["text"][s:e].lower() for s, e in snippet["matches"]}
    assert matched and matched <= {"pyongyang", "평양"}
    assert data["facets"]["source"] == {"kcna": 1, "yonhap": 1}
    assert set(data["facets"]) == {"source", "theme", "year", "place"}


def test_search_options_filter_and_suggest(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    base = ("--content", str(corpus_dir), "--data", str(tmp_path))
    _, out, _ = run(
        capsys,
        *base,
        "search",
        "Pyongyang",
        "--source",
        "kcna",
        "--theme",
        "pyongyang-focus",
        "--json",
    )
    assert [h["id"] for h in json.loads(out)["hits"]] == ["pyongyang-housing"]
    _, out, _ = run(capsys, *base, "search", "greenhuse")
    assert "Nothing matches “greenhuse”; showing results for “greenhouse”" in out
    _, out, _ = run(capsys, *base, "search", "greenhuse", "--literal")
    assert "0 articles" in out and "Did you mean: greenhouse?" in out
    _, out, _ = run(capsys, *base, "search", "Pyongyang", "--limit", "1")
    assert "2 articles, showing 1" in out


def test_bad_query_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    code, out, err = run(
        capsys, "--content", str(corpus_dir), "--data", str(tmp_path), "search", "NOT NOT a"
    )
    assert code == 2 and out == ""
    assert err.startswith("briefing: cannot understand") and "Traceback" not in err


def test_index_reports_and_strict_fails_on_problems(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    base = ("--content", str(corpus_dir), "--data", str(tmp_path))
    code, out, _ = run(capsys, *base, "index", "--strict")
    assert code == 0 and "6 articles (6 added" in out
    (corpus_dir / "articles" / "bad.md").write_bytes(b"---\nid: x\ntitle: \xff\n---\n")
    code, out, err = run(capsys, *base, "index", "--strict")
    assert code == 1
    assert "bad.md:3: not UTF-8" in err
    code, out, _ = run(capsys, *base, "index")
    assert code == 0 and "6 unchanged" in out
    code, out, _ = run(capsys, *base, "index", "--rebuild")
    assert code == 0 and "Rebuilt" in out


def test_show_renders_the_article_literally(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    path = corpus_dir / "articles" / "pyongyang-housing.md"
    path.write_text(path.read_text() + "\n[bold]not bold[/bold] [link=http://x]y[/link]\n")
    code, out, _ = run(
        capsys, "--content", str(corpus_dir), "--data", str(tmp_path), "show", "pyongyang-housing"
    )
    assert code == 0
    assert "Another 10,000 homes rise in Pyongyang" in out
    assert "Source: KCNA (D)" in out
    assert "[bold]not bold[/bold] [link=http://x]y[/link]" in out
    code, _, err = run(
        capsys, "--content", str(corpus_dir), "--data", str(tmp_path), "show", "nope"
    )
    assert code == 1 and "no article with id 'nope'" in err


def test_sources_and_themes_list_counts(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    base = ("--content", str(corpus_dir), "--data", str(tmp_path))
    _, out, _ = run(capsys, *base, "sources", "--json")
    counts = {s["id"]: s["articles"] for s in json.loads(out)}
    assert counts == {"daily-nk": 2, "kcna": 2, "yonhap": 2}
    _, out, _ = run(capsys, *base, "sources")
    assert "Daily NK" in out and "Why this grade" in out
    _, out, _ = run(capsys, *base, "themes", "--json")
    themes = {t["id"]: t["articles"] for t in json.loads(out)}
    assert themes == {"inequality": 2, "pyongyang-focus": 1, "china-ventures": 1}
    _, out, _ = run(capsys, *base, "themes")
    assert "Regional inequality" in out and "Provinces left behind as markets wither" in out


def test_environment_variables_choose_content_and_data(
    capsys: pytest.CaptureFixture[str],
    corpus_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BRIEFING_CONTENT", str(corpus_dir))
    monkeypatch.setenv("BRIEFING_DATA", str(tmp_path / "env-data"))
    code, out, _ = run(capsys, "search", "excavators", "--json")
    assert code == 0 and json.loads(out)["total"] == 1
    assert (tmp_path / "env-data" / "index").is_dir()


def test_bundled_briefing_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "regional factories", "--json")
    assert code == 0
    assert [h["id"] for h in json.loads(out)["hits"]] == ["regional-policy-pyongyang-focus"]


@pytest.mark.slow
def test_installed_wheel_works_from_any_directory(tmp_path: Path) -> None:
    """Build the wheel, install it alone into a folder, and search from another directory."""
    # Built from a copy without build/: a stale build/lib would hide a module left out.
    project = tmp_path / "project"
    shutil.copytree(
        Path(__file__).parents[2],
        project,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "build",
            "dist",
            "*.egg-info",
            "__pycache__",
            ".*_cache",
            ".hypothesis",
            "corpora",
            "work",
            "__snapshots__",
        ),
    )
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(project),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    site = tmp_path / "site"
    wheel = next(wheels.glob("briefing-*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    assert (site / "content" / "articles").is_dir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "BRIEFING_DATA": str(tmp_path / "data")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, index; from tui.cli import main;"
            "print(index.__file__, file=sys.stderr); sys.exit(main())",
            "search",
            "regional factories",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert str(site) in result.stderr
    assert json.loads(result.stdout)["hits"][0]["id"] == "regional-policy-pyongyang-focus"
    interface = subprocess.run(
        [
            sys.executable,
            "-c",
            "import tui.app, tui.screens.main, tui.cli.importing;"
            "from index.content.gazetteer import gazetteer; print(len(gazetteer().places))",
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        check=False,
    )
    assert interface.returncode == 0, interface.stderr
    assert int(interface.stdout) > 200
    assert (site / "tui" / "app.tcss").is_file()
    shutil.rmtree(wheels)


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "briefing"
    if not script.exists():
        pytest.skip("not running from the project's virtual environment")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True)
    assert "search" in result.stdout and "--content" in result.stdout
