"""Splitting a Markdown file into YAML front matter and body, with line numbers.

The YAML is read by `index.safe_yaml` (safe, strict, bounded); oversized front
matter is rejected before parsing. Errors carry the line in the file, not in
the YAML fragment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import FrontMatterError
from ..safe_yaml import load_yaml

MAX_FRONT_MATTER_BYTES = 64 * 1024
_OPENING = re.compile(r"\A---[ \t]*\r?\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    key_lines: dict[Any, int]
    """The file line of each top-level key, for messages about a field."""
    body: str
    body_line: int
    """The file line where the body starts."""


def parse_front_matter(text: str) -> FrontMatter:
    """Split `text` into its front matter mapping and body."""
    yaml_start, yaml_end, body_start = _delimit(text)
    yaml_text = text[yaml_start:yaml_end]
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise FrontMatterError(
            f"front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB", 1
        )
    data, key_lines = load_yaml(yaml_text, first_line=2)
    if not isinstance(data, dict):
        raise FrontMatterError("front matter must be a mapping of field: value", 2)
    body_line = text.count("\n", 0, body_start) + 1
    return FrontMatter(data, key_lines, text[body_start:], body_line)


def body_of(text: str) -> str:
    """The body of a file with front matter, the front matter left unread (not validated)."""
    return text[_delimit(text)[2] :]


def _delimit(text: str) -> tuple[int, int, int]:
    """Where the front matter's YAML starts and ends, and where the body starts."""
    opening = _OPENING.match(text)
    if not opening:
        raise FrontMatterError("no front matter: the file must start with a '---' line", 1)
    closing = _CLOSING.search(text, opening.end())
    if not closing:
        raise FrontMatterError("front matter is not closed by a '---' line", 1)
    return opening.end(), closing.start(), closing.end() + 1
