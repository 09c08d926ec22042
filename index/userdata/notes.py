"""The user's annotations: one human-readable YAML file per article, never lost.

Every change is one operation (put or delete one annotation) applied under an
inter-process lock to a fresh read of the file, then written atomically. Two
running instances therefore merge their changes instead of overwriting each
other, and a crash leaves the old file or the new one. A file that cannot be
read is never written: its article's notes become read-only and the problem is
reported; every other article's notes keep working.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import NotesError, YamlError
from ..models import Annotation, TextTarget
from ..safe_yaml import load_yaml
from ..sanitize import clean_text
from ..storage import atomic_write_text, file_lock

NOTES_SUFFIX = ".yaml"
HEADER = (
    "# briefing annotations for one article. Human-readable and safe to edit by hand\n"
    "# while briefing is closed; keep it valid YAML. target: W3C Web Annotation selector.\n"
)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def new_annotation(
    article_id: str, note: str, tags: tuple[str, ...], target: TextTarget | None
) -> Annotation:
    stamp = now()
    return Annotation(str(uuid.uuid4()), article_id, note, tags, stamp, stamp, target)


def clean_tags(text: str) -> tuple[str, ...]:
    """Tags typed as "a, b c" or "#a #b": split on commas and '#', trimmed, no duplicates."""
    parts = text.replace("#", ",").split(",")
    return tuple(dict.fromkeys(" ".join(part.split()) for part in parts if part.strip()))


@dataclass
class NotesStore:
    """Annotations under `directory`, one `<article-id>.yaml` per annotated article."""

    directory: Path

    def path(self, article_id: str) -> Path:
        return self.directory / f"{article_id}{NOTES_SUFFIX}"

    def load(self, article_id: str) -> list[Annotation]:
        """The article's annotations (empty when it has none); NotesError when unreadable."""
        return _read(self.path(article_id), article_id)

    def put(self, annotation: Annotation) -> Annotation:
        """Add or replace (by id) one annotation; returns it as saved."""

        def apply(annotations: list[Annotation]) -> list[Annotation]:
            kept = [a for a in annotations if a.id != annotation.id]
            return [*kept, annotation]

        self._change(annotation.article_id, apply)
        return annotation

    def edit(self, annotation: Annotation, note: str, tags: tuple[str, ...]) -> Annotation:
        changed = replace(annotation, note=note, tags=tags, updated=now())
        return self.put(changed)

    def delete(self, annotation: Annotation) -> None:
        self._change(
            annotation.article_id,
            lambda annotations: [a for a in annotations if a.id != annotation.id],
        )

    def refresh_targets(self, article_id: str, refreshed: list[Annotation]) -> None:
        """Store re-anchored targets, unless someone edited that annotation meanwhile."""
        by_id = {a.id: a for a in refreshed}

        def apply(annotations: list[Annotation]) -> list[Annotation]:
            result = []
            for current in annotations:
                fresh = by_id.get(current.id)
                if fresh is not None and fresh.updated == current.updated:
                    current = replace(current, target=fresh.target)
                result.append(current)
            return result

        self._change(article_id, apply)

    def article_ids(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.name[: -len(NOTES_SUFFIX)] for p in self.directory.glob(f"*{NOTES_SUFFIX}"))

    def stamps(self) -> dict[str, tuple[int, int]]:
        """(mtime_ns, size) of every notes file, so the indexer can see which changed."""
        stamps = {}
        for article_id in self.article_ids():
            try:
                stat = self.path(article_id).stat()
            except OSError:
                continue
            stamps[article_id] = (stat.st_mtime_ns, stat.st_size)
        return stamps

    def everything(self) -> Iterator[tuple[str, list[Annotation] | NotesError]]:
        """Every article's annotations, or the error that keeps them from being read."""
        for article_id in self.article_ids():
            try:
                yield article_id, self.load(article_id)
            except NotesError as error:
                yield article_id, error

    def _change(self, article_id: str, apply: Any) -> None:
        path = self.path(article_id)
        self.directory.mkdir(parents=True, exist_ok=True)
        with file_lock(path.with_name(path.name + ".lock")):
            for stale in self.directory.glob(f".{path.name}.*.tmp"):
                stale.unlink(missing_ok=True)  # left by a writer that was killed mid-save
            annotations = _read(path, article_id)
            changed = apply(annotations)
            if not changed and not path.exists():
                return
            atomic_write_text(path, _dump(article_id, changed))


# -- the file format -----------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Multi-line notes as literal blocks, so the file reads like the note."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def _dump(article_id: str, annotations: list[Annotation]) -> str:
    data = {"article": article_id, "annotations": [_to_yaml(a) for a in annotations]}
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return HEADER + body


def _to_yaml(annotation: Annotation) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": annotation.id,
        "created": annotation.created,
        "updated": annotation.updated,
        "note": annotation.note,
        "tags": list(annotation.tags),
    }
    if annotation.target is not None:
        target = annotation.target
        data["target"] = {
            "exact": target.exact,
            "prefix": target.prefix,
            "suffix": target.suffix,
            "start": target.start,
            "end": target.end,
            "text_hash": target.text_hash,
        }
    return data


def _read(path: Path, article_id: str) -> list[Annotation]:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return []
    except UnicodeDecodeError:
        raise NotesError(f"{path}: not UTF-8; left untouched") from None
    except OSError as error:
        raise NotesError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        data, _lines = load_yaml(text)
    except YamlError as error:
        where = f"{path}:{error.line}" if error.line else str(path)
        raise NotesError(f"{where}: {error.message}; left untouched") from None
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("annotations", []), list):
        raise NotesError(f"{path}: expected 'annotations:' with a list; left untouched")
    try:
        return [_from_yaml(item, article_id) for item in data.get("annotations") or []]
    except (KeyError, TypeError, ValueError) as error:
        raise NotesError(f"{path}: an annotation is malformed ({error}); left untouched") from None


def _from_yaml(item: dict[str, Any], article_id: str) -> Annotation:
    if not isinstance(item, dict):
        raise TypeError("each annotation must be a mapping")
    tags = item.get("tags") or []
    if not isinstance(tags, list):
        raise TypeError("tags must be a list")
    target_data = item.get("target")
    target = None
    if target_data is not None:
        if not isinstance(target_data, dict):
            raise TypeError("target must be a mapping")
        target = TextTarget(
            exact=clean_text(_text(target_data["exact"])),
            prefix=clean_text(_text(target_data.get("prefix", ""))),
            suffix=clean_text(_text(target_data.get("suffix", ""))),
            start=int(target_data["start"]),
            end=int(target_data["end"]),
            text_hash=_text(target_data.get("text_hash", "")),
        )
    return Annotation(
        id=_text(item["id"]),
        article_id=article_id,
        note=clean_text(_text(item.get("note", ""))),
        tags=tuple(tag for tag in (clean_text(_text(t)).strip() for t in tags) if tag),
        created=_stamp(item.get("created")),
        updated=_stamp(item.get("updated") or item.get("created")),
        target=target,
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError(f"expected text, found {type(value).__name__}")
    return str(value)


def _stamp(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return _text(value)
