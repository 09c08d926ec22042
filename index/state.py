"""The reader's state between sessions: last query and filters, open article, read marks.

Kept as a small YAML file in the user data dir. Writes are atomic and happen
under a lock, re-reading the file first and applying this instance's read and
unread changes to the marks found there, so two running instances merge their
read marks instead of overwriting each other's. A file that cannot be
read is never overwritten: the session goes on without saving and says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from .frontmatter import FrontMatterError, load_yaml
from .storage import atomic_write_text, file_lock

HEADER = "# briefing's reading state. Safe to edit while briefing is closed, or to delete.\n"


class StateError(RuntimeError):
    """The state file exists but cannot be read; it will not be overwritten."""


@dataclass(frozen=True)
class ReadingState:
    query: str = ""
    source: str | None = None
    theme: str | None = None
    article: str | None = None
    read: frozenset[str] = frozenset()

    def with_read(self, article_id: str, read: bool) -> ReadingState:
        marks = self.read | {article_id} if read else self.read - {article_id}
        return replace(self, read=frozenset(marks))


@dataclass
class StateStore:
    """Loads and saves ReadingState at `path`, merging read marks with other writers."""

    path: Path
    writable: bool = True
    problem: str | None = None
    """Why saving is off, when it is."""

    def load(self) -> ReadingState:
        """The saved state (empty when there is none). Turns saving off if the file is bad."""
        try:
            state = self._read()
        except StateError as error:
            self.writable = False
            self.problem = str(error)
            return ReadingState()
        return state

    def save(
        self, state: ReadingState, read_changes: Mapping[str, bool], wait: float = 10.0
    ) -> ReadingState | None:
        """Write `state` with `read_changes` (article id → read?) applied to the marks on disk.

        Marks are merged as changes, not overwritten, so marks another running
        instance set or cleared meanwhile stay. Returns the state as written, or
        None when saving is off; raises LockTimeout or OSError when it cannot write.
        """
        if not self.writable:
            return None
        with file_lock(self.path.with_name(self.path.name + ".lock"), timeout=wait):
            try:
                on_disk = self._read()
            except StateError as error:
                self.writable = False
                self.problem = str(error)
                return None
            read = set(on_disk.read)
            for article_id, is_read in read_changes.items():
                if is_read:
                    read.add(article_id)
                else:
                    read.discard(article_id)
            merged = replace(state, read=frozenset(read))
            atomic_write_text(self.path, HEADER + yaml.safe_dump(_to_yaml(merged), sort_keys=False))
            return merged

    def _read(self) -> ReadingState:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ReadingState()
        except (OSError, UnicodeDecodeError) as error:
            raise StateError(f"{self.path}: cannot be read ({error})") from None
        try:
            data, _lines = load_yaml(text)
        except FrontMatterError as error:
            where = f"{self.path}:{error.line}" if error.line else str(self.path)
            raise StateError(f"{where}: {error.message}") from None
        if data is None:
            return ReadingState()
        if not isinstance(data, dict):
            raise StateError(f"{self.path}: expected a mapping of settings")
        return _from_yaml(data, self.path)


def _to_yaml(state: ReadingState) -> dict[str, Any]:
    return {
        "saved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "query": state.query,
        "source": state.source,
        "theme": state.theme,
        "open_article": state.article,
        "read": sorted(state.read),
    }


def _from_yaml(data: dict[str, Any], path: Path) -> ReadingState:
    def optional_text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise StateError(f"{path}: {key!r} must be text")
        return value

    read = data.get("read") or []
    if not isinstance(read, list) or not all(isinstance(item, str) for item in read):
        raise StateError(f"{path}: 'read' must be a list of article ids")
    return ReadingState(
        query=optional_text("query") or "",
        source=optional_text("source"),
        theme=optional_text("theme"),
        article=optional_text("open_article"),
        read=frozenset(read),
    )
