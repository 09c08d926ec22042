"""Small helpers for writing test content."""

from __future__ import annotations

import sys
from pathlib import Path

BRIEFING = [sys.executable, "-c", "import sys, tui.cli; sys.exit(tui.cli.main())"]
"""The `briefing` command as the installed script runs it, for child processes."""


def write_article(directory: Path, name: str, text: str) -> Path:
    path = directory / "articles" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


ARTICLE = """---
id: {id}
title: {title}
source: daily-nk
published: 2024-03-01
---

{body}
"""
