"""The user's annotations: one human-readable YAML file per article, never lost.

Every change is one operation (put or delete one annotation) applied under an
inter-process lock to a fresh read of the file, then written atomically. Two
running instances therefore merge their changes instead of overwriting each
other, and a crash leaves the old file or the new one. A file that cannot be
read is never written: its article's notes become read-only and the problem is
reported; every other article's notes keep working.

Hand edits are respected as far as YAML allows: keys briefing does not know
(on an annotation or at the top of the file) are kept when it saves; comments
are not (the file's header says so). An annotation id that appears twice in a
file is read as two annotations, the second renamed (`<id>-2`), and reported;
the rename is written at the next save. Files whose name is not an article id
are ignored and reported, never shown. The locks live in `notes/.locks/`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..content.articles import ARTICLE_ID
from ..errors import NotesError, YamlError
from ..models import Annotation, Problem, TextTarget
from ..safe_yaml import load_yaml
from ..sanitize import clean_text
from ..storage import atomic_write_text, file_lock, remove_stale_temp_files

NOTES_SUFFIX = ".yaml"
LOCKS = ".locks"
HEADER = (
    "# briefing annotations for one article. Human-readable and safe to edit by hand\n"
    "# while briefing is closed; keep it valid YAML. target: W3C Web Annotation selector.\n"
    "# Keys briefing does not know are kept when it saves this file; comments are not.\n"
)
KNOWN_KEYS = frozenset({"id", "created", "updated", "note", "tags", "target"})
FILE_KEYS = frozenset({"article", "annotations"})
Change = Callable[[list[Annotation]], list[Annotation]]
"""One change to an article's annotations, applied to a fresh read of its file."""


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
class _NotesFile:
    """One notes file as read: its annotations (ids unique), other top-level keys, notices."""

    annotations: list[Annotation]
    extra: dict[str, Any] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


@dataclass
class NotesStore:
    """Annotations under `directory`, one `<article-id>.yaml` per annotated article."""

    directory: Path
    notices: dict[str, list[str]] = field(default_factory=dict)
    """What the last read of each file noticed (renamed duplicate ids), by article id."""

    def path(self, article_id: str) -> Path:
        return self.directory / f"{article_id}{NOTES_SUFFIX}"

    def load(self, article_id: str) -> list[Annotation]:
        """The article's annotations (empty when it has none); NotesError when unreadable."""
        return self._read(article_id).annotations

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
        """The articles that have a notes file (files not named for an article are left out)."""
        return sorted(stem for stem, _path in self._files() if ARTICLE_ID.fullmatch(stem))

    def strays(self) -> list[Problem]:
        """Files in the notes folder whose name is not an article id: never read, reported."""
        return [
            Problem(path, None, "not named <article-id>.yaml; ignored")
            for stem, path in self._files()
            if not ARTICLE_ID.fullmatch(stem)
        ]

    def problems(self) -> list[Problem]:
        """Everything noticed in the notes files: strays, and renamed duplicate ids."""
        found = self.strays()
        for article_id, notices in sorted(self.notices.items()):
            found += [Problem(self.path(article_id), None, notice) for notice in notices]
        return found

    def _files(self) -> list[tuple[str, Path]]:
        if not self.directory.is_dir():
            return []
        return [
            (path.name[: -len(NOTES_SUFFIX)], path)
            for path in self.directory.glob(f"*{NOTES_SUFFIX}")
            if not path.name.startswith(".")
        ]

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

    def remove_stale_temp_files(self) -> None:
        """Temp files of saves killed midway (see storage.remove_stale_temp_files)."""
        remove_stale_temp_files(self.directory)

    def _change(
        self, article_id: str, apply: Callable[[list[Annotation]], list[Annotation]]
    ) -> None:
        if not ARTICLE_ID.fullmatch(article_id):
            raise NotesError(f"{article_id!r} is not an article id; notes not saved")
        path = self.path(article_id)
        self.directory.mkdir(parents=True, exist_ok=True)
        with file_lock(self.directory / LOCKS / f"{article_id}.lock"):
            for stale in self.directory.glob(f".{path.name}.*.tmp"):
                stale.unlink(missing_ok=True)  # left by a writer killed mid-save (we hold the lock)
            current = self._read(article_id)
            changed = apply(current.annotations)
            if not changed and not path.exists():
                return
            atomic_write_text(path, _dump(article_id, changed, current.extra))
        self.notices.pop(article_id, None)  # renamed duplicates are now written as renamed

    def _read(self, article_id: str) -> _NotesFile:
        found = _read(self.path(article_id), article_id)
        if found.notices:
            self.notices[article_id] = found.notices
        else:
            self.notices.pop(article_id, None)
        return found


# -- the file format -----------------------------------------------------------------------


class _Dumper(yaml.CSafeDumper):
    """Multi-line notes as literal blocks, so the file reads like the note (LibYAML's emitter)."""


def _represent_text(dumper: _Dumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def _dump(article_id: str, annotations: list[Annotation], extra: dict[str, Any]) -> str:
    data: dict[str, Any] = {"article": article_id}
    data.update((key, value) for key, value in extra.items() if key not in FILE_KEYS)
    data["annotations"] = [_to_yaml(a) for a in annotations]
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
    data.update((k, v) for k, v in annotation.extra.items() if k not in KNOWN_KEYS)
    return data


def _read(path: Path, article_id: str) -> _NotesFile:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return _NotesFile([])
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
        return _NotesFile([])
    if not isinstance(data, dict) or not isinstance(data.get("annotations", []), list):
        raise NotesError(f"{path}: expected 'annotations:' with a list; left untouched")
    try:
        annotations = [_from_yaml(item, article_id) for item in data.get("annotations") or []]
    except (KeyError, TypeError, ValueError) as error:
        raise NotesError(f"{path}: an annotation is malformed ({error}); left untouched") from None
    extra = {str(key): value for key, value in data.items() if key not in FILE_KEYS}
    unique, notices = _unique_ids(annotations)
    return _NotesFile(unique, extra, notices)


def _unique_ids(annotations: list[Annotation]) -> tuple[list[Annotation], list[str]]:
    """Annotations whose ids repeat an earlier one's get `<id>-2`, `<id>-3`…, with a notice."""
    seen: set[str] = {a.id for a in annotations}
    used: set[str] = set()
    unique: list[Annotation] = []
    notices: list[str] = []
    for annotation in annotations:
        if annotation.id in used:
            number = 2
            while f"{annotation.id}-{number}" in seen:
                number += 1
            renamed = f"{annotation.id}-{number}"
            seen.add(renamed)
            notices.append(
                f"annotation id {annotation.id!r} appears more than once; one is shown as "
                f"{renamed!r} (and saved so at the next change)"
            )
            annotation = replace(annotation, id=renamed)
        used.add(annotation.id)
        unique.append(annotation)
    return unique, notices


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
    annotation_id = " ".join(clean_text(_text(item["id"])).split())
    if not annotation_id:
        raise ValueError("an annotation has an empty id")
    return Annotation(
        id=annotation_id,
        article_id=article_id,
        note=clean_text(_text(item.get("note", ""))),
        tags=tuple(tag for tag in (clean_text(_text(t)).strip() for t in tags) if tag),
        created=_stamp(item.get("created")),
        updated=_stamp(item.get("updated") or item.get("created")),
        target=target,
        extra={str(k): v for k, v in item.items() if k not in KNOWN_KEYS},
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
