"""Which files an import reads: the files named, and the visible files of the folders named.

Folders are walked without following symbolic links out of them: a link to a
file inside the folder is read there anyway, a link that leads outside it (or
to something that is not a regular file: a device, a pipe) is skipped and
reported. A path named on the command line is the user's choice and is
followed, but it too must be a regular file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Skipped:
    """A file the walk will not read, and why."""

    path: Path
    reason: str


def files_under(paths: list[Path]) -> Iterator[Path | Skipped]:
    """Every file to read, in a stable order, and what is skipped on the way."""
    for path in paths:
        try:
            info = path.stat()
        except OSError as error:
            yield path if isinstance(error, FileNotFoundError) else Skipped(path, _why(error))
            continue  # a missing file is reported by the reader, with its name
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(path, path.resolve())
        elif stat.S_ISREG(info.st_mode):
            yield path
        else:
            yield Skipped(path, "not a regular file (a device, pipe or socket); not read")


def _walk(folder: Path, root: Path) -> Iterator[Path | Skipped]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        yield Skipped(folder, _why(error))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            yield from _link(path, root)
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk(path, root)
        elif entry.is_file(follow_symlinks=False):
            yield path
        else:
            yield Skipped(path, "not a regular file (a device, pipe or socket); not read")


def _link(path: Path, root: Path) -> Iterator[Path | Skipped]:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        yield Skipped(path, "a symbolic link that leads nowhere; not followed")
        return
    if root != target and root not in target.parents:
        yield Skipped(path, "a symbolic link out of the folder being imported; not followed")
    # a link to a file or folder inside the folder: that is read where it really is


def _why(error: OSError) -> str:
    return f"cannot read: {error.strerror or error}"
