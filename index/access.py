"""Whether the data dir can be written, and whether the index in it is safe to load.

A data dir that cannot be written (a read-only mount, another user's folder)
still gives a working session: the index is kept in a temporary directory for
that session (`session_paths`) and nothing else is saved. Whoosh unpickles
parts of the index when it opens it, so an index directory that someone else
owns or could have written to is refused rather than loaded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

from .errors import UnsafeIndex
from .paths import DataPaths

SESSION_PREFIX = "briefing-session-"
"""Temporary session directories are named SESSION_PREFIX + the owner's pid + '-…'."""


def write_problem(root: Path) -> str | None:
    """None when `root` (created if missing, user-only) can be written; else why not."""
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=root, prefix=".briefing-probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        return f"{root} cannot be written ({error.strerror or error})"
    return None


def check_index_dir(index_dir: Path) -> None:
    """Raise UnsafeIndex unless the index dir and its files are ours and not writable by
    group or others, and the folder holding it is ours and not world-writable (else
    another user could put their own index in its place)."""
    try:
        if index_dir.is_symlink():
            raise UnsafeIndex(
                f"{index_dir} is a symbolic link; not loading an index from elsewhere: "
                "remove it and it is rebuilt from your content"
            )
        holder = index_dir.parent.stat()
        entries = [index_dir, *index_dir.iterdir()]
    except FileNotFoundError:
        return
    except OSError as error:
        raise UnsafeIndex(f"{index_dir}: cannot be read ({error.strerror or error})") from None
    me = os.geteuid()
    for path in entries:
        try:
            info = path.lstat()
        except FileNotFoundError:
            continue  # removed by a writer meanwhile
        if info.st_uid != me:
            raise UnsafeIndex(
                f"{path} belongs to another user (uid {info.st_uid}); not loading an index "
                f"others wrote: remove {index_dir} and it is rebuilt from your content"
            )
        if info.st_mode & 0o022 and (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
            mode = "700" if stat.S_ISDIR(info.st_mode) else "600"
            raise UnsafeIndex(
                f"{path} can be written by other users; not loading an index others could "
                f"change: run `chmod {mode} {path}` (or remove {index_dir} to rebuild)"
            )
    if holder.st_uid != me:
        raise UnsafeIndex(
            f"{index_dir.parent} belongs to another user (uid {holder.st_uid}), who could "
            f"replace the index in it; not loading it: use a data dir of your own"
        )
    if holder.st_mode & 0o002 and not holder.st_mode & stat.S_ISVTX:
        raise UnsafeIndex(
            f"{index_dir.parent} can be written by anyone, who could replace the index in "
            f"it; not loading it: run `chmod 700 {index_dir.parent}`"
        )


def session_paths(data: DataPaths, seed: bool = True) -> DataPaths:
    """A temporary place for this session's index, seeded with links to the saved index.

    The links let a read-only session search the saved index without copying
    it; an update writes new segment files beside them, never into `data`.
    Without `seed` (the saved index is not safe to load) the session builds its own.
    """
    _remove_abandoned_sessions()
    session = DataPaths(Path(tempfile.mkdtemp(prefix=f"{SESSION_PREFIX}{os.getpid()}-")))
    session.index_dir.mkdir(mode=0o700)
    try:
        saved = list(data.index_dir.iterdir()) if seed else []
    except OSError:
        saved = []
    for path in saved:
        if path.is_file() and not path.name.endswith("LOCK"):
            (session.index_dir / path.name).symlink_to(path.absolute())
    return session


def remove_session(session: DataPaths) -> None:
    shutil.rmtree(session.root, ignore_errors=True)


def _remove_abandoned_sessions() -> None:
    """Session directories of processes that died without cleaning up (SIGKILL, power cut)."""
    for path in Path(tempfile.gettempdir()).glob(f"{SESSION_PREFIX}*-*"):
        pid = path.name[len(SESSION_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                if path.stat().st_uid == os.geteuid():
                    shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
