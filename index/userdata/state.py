"""The reader's state between sessions: last query and filters, open article, read marks.

Kept as a small YAML file in the user data dir. Writes are atomic and happen
under a lock, re-reading the file first and applying this instance's read and
unread changes to the marks found there, so two running instances merge their
read marks instead of overwriting each other's. A file that cannot be
read is never overwritten: the session goes on without saving and says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import StateError, YamlError
from ..models import MAX_QUERY_CHARS, Filters
from ..safe_yaml import load_yaml
from ..sanitize import clean_text
from ..storage import atomic_write_text, file_lock

HEADER = "# briefing's reading state. Safe to edit while briefing is closed, or to delete.\n"


@dataclass(frozen=True)
class ReadingState:
    """Where the reader is: the filters on screen, the open article, what has been read."""

    filters: Filters = field(default_factory=Filters)
    article: str | None = None
    read: frozenset[str] = frozenset()

    @property
    def hidden(self) -> frozenset[str]:
        """The articles a search leaves out: the read ones, when only unread are shown."""
        return self.filters.hidden(self.read)

    def with_read(self, article_id: str, read: bool) -> ReadingState:
        marks = self.read | {article_id} if read else self.read - {article_id}
        return replace(self, read=frozenset(marks))


def apply_read_changes(read: Iterable[str], changes: Mapping[str, bool]) -> frozenset[str]:
    """`read` with each change (article id → read?) applied, later changes winning."""
    marks = set(read)
    for article_id, is_read in changes.items():
        if is_read:
            marks.add(article_id)
        else:
            marks.discard(article_id)
    return frozenset(marks)


class PendingMarks:
    """Read and unread marks set in this session and not yet saved.

    A save takes them (`take`); if it fails they are put back under any made
    since (`put_back`); when it succeeds, `merged` applies the ones made since
    it began to the marks it wrote, which include other instances' changes.
    """

    def __init__(self) -> None:
        self._changes: dict[str, bool] = {}

    def mark(self, article_id: str, read: bool) -> None:
        self._changes[article_id] = read

    def take(self) -> dict[str, bool]:
        changes, self._changes = self._changes, {}
        return changes

    def put_back(self, changes: Mapping[str, bool]) -> None:
        self._changes = {**changes, **self._changes}

    def merged(self, written: ReadingState) -> frozenset[str]:
        return apply_read_changes(written.read, self._changes)

    @property
    def unsaved(self) -> dict[str, bool]:
        return dict(self._changes)


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
            merged = replace(state, read=apply_read_changes(on_disk.read, read_changes))
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
        except YamlError as error:
            where = f"{self.path}:{error.line}" if error.line else str(self.path)
            raise StateError(f"{where}: {error.message}") from None
        if data is None:
            return ReadingState()
        if not isinstance(data, dict):
            raise StateError(f"{self.path}: expected a mapping of settings")
        return _from_yaml(data, self.path)


def _to_yaml(state: ReadingState) -> dict[str, Any]:
    chosen = state.filters
    return {
        "saved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "query": chosen.query,
        "source": chosen.source,
        "theme": chosen.theme,
        "open_article": state.article,
        "year": chosen.year,
        "place": chosen.place,
        "unread_only": chosen.unread_only,
        "read": sorted(state.read),
    }


def _from_yaml(data: dict[str, Any], path: Path) -> ReadingState:
    def optional_text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise StateError(f"{path}: {key!r} must be text")
        return clean_text(value)  # shown again at start-up: no escape reaches the terminal

    read = data.get("read") or []
    if not isinstance(read, list) or not all(isinstance(item, str) for item in read):
        raise StateError(f"{path}: 'read' must be a list of article ids")
    chosen = Filters(
        query=(optional_text("query") or "")[:MAX_QUERY_CHARS],
        source=optional_text("source"),
        theme=optional_text("theme"),
        year=optional_text("year"),
        place=optional_text("place"),
        unread_only=data.get("unread_only") is True,
    )
    read_marks = frozenset(clean_text(item) for item in read)
    return ReadingState(chosen, optional_text("open_article"), read_marks)
