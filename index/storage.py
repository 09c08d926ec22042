"""Safe writes of user data: atomic replacement and inter-process locks.

A file is either the old version or the new one, never a mix: we write a temp
file in the same directory, fsync it, rename it over the target and fsync the
directory. Locks use `fcntl.flock`, which the kernel releases when a process
dies, so a crashed process can never leave a lock that blocks the next one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import LockTimeout, WriteFailed


def atomic_write_text(path: Path, text: str, durable: bool = True) -> None:
    """Replace `path` with `text` (UTF-8) so that readers see the old or new file, never a mix."""
    atomic_write_bytes(path, text.encode("utf-8"), durable)


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace `path` with `data` atomically; durably (fsync) unless it is a mere cache.

    A cache written without fsync may be lost in a power cut, but never seen
    half-written: it is detected as missing or invalid and rebuilt. Failures
    (a full disk, a read-only folder) raise WriteFailed naming the file.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise WriteFailed(error.errno, _reason(error), str(path)) from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(error, OSError):
            raise WriteFailed(error.errno, _reason(error), str(path)) from error
        raise
    if durable:
        fsync_directory(path.parent)


def _reason(error: OSError) -> str:
    """The error's own words, lower-cased to sit inside a sentence."""
    reason = error.strerror or str(error)
    return reason[:1].lower() + reason[1:]


def fsync_directory(directory: Path) -> None:
    """Make a rename inside `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def file_lock(path: Path, timeout: float = 10.0) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if needed) for the duration of the block.

    Waits up to `timeout` seconds, then raises LockTimeout naming the holder's pid.
    The wait is a blocking `flock` (in a helper thread, so it can time out), not
    polling: the kernel wakes the waiter as soon as the holder lets go, so two
    busy writers take turns instead of one starving the other.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not _wait_for_lock(fd, timeout):
                raise LockTimeout(f"{path} is held by {_read_holder(fd)}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _wait_for_lock(fd: int, timeout: float) -> bool:
    """Block on the lock of `fd` for up to `timeout` seconds; True once it is held.

    The blocking call runs in a daemon thread on a duplicate of the descriptor
    (the same open file, so the same lock). If the time runs out first, the
    thread lets the lock go again the moment it gets it.
    """
    waiter = os.dup(fd)
    got = threading.Event()
    state = {"abandoned": False}
    guard = threading.Lock()

    def wait() -> None:
        try:
            fcntl.flock(waiter, fcntl.LOCK_EX)
            with guard:
                if state["abandoned"]:
                    fcntl.flock(waiter, fcntl.LOCK_UN)
                    return
                got.set()
        except OSError:
            pass
        finally:
            os.close(waiter)

    threading.Thread(target=wait, name="lock-wait", daemon=True).start()
    if got.wait(timeout):
        return True
    with guard:
        if got.is_set():
            return True
        state["abandoned"] = True
    return False


STALE_TEMP_SECONDS = 60.0
"""A temp file of an atomic write older than this was left by a process killed mid-save."""


def remove_stale_temp_files(directory: Path) -> int:
    """Remove `.<name>.*.tmp` files of atomic writes killed midway; how many were removed.

    A write takes milliseconds, so a temp file a minute old belongs to no one.
    """
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    cutoff = time.time() - STALE_TEMP_SECONDS
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(".tmp")):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def _read_holder(fd: int) -> str:
    pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return f"process {pid}" if pid else "another process"
