"""Every failure a user can cause or fix, under one root.

`BriefingError` carries a message a person can read (one line, naming the file,
query or thing at fault) and, where it helps, what to do about it. The command
line's `main`, the app's worker-failure handler and each task catch this one
type; anything else is a bug and is allowed to surface as one.

The subclasses keep the standard exception they refine as a second base
(`QueryError` is a `ValueError`, `WriteFailed` an `OSError`), so code written
against the standard types keeps working.
"""

from __future__ import annotations

from .sanitize import clean_text


class BriefingError(Exception):
    """A failure with a message for a person: `str()` is the message, `hint` what to do."""

    hint: str = ""

    def __init__(self, message: str, hint: str = "") -> None:
        message = clean_text(message)  # messages quote file names, queries, ids: untrusted
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = clean_text(hint)

    def __str__(self) -> str:
        return self.message

    @property
    def advice(self) -> str:
        """The message and, when there is one, the hint, as one line."""
        return f"{self.message}; {self.hint}" if self.hint else self.message


class QueryError(BriefingError, ValueError):
    """A query that cannot be understood; the message says why, in the user's terms."""


class YamlError(BriefingError, ValueError):
    """A YAML file (or front matter) cannot be read; `line` is 1-based in the whole file."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class FrontMatterError(YamlError):
    """An article file's front matter is missing, unclosed, too large or not a mapping."""


class LockTimeout(BriefingError, RuntimeError):
    """Another process holds a lock and did not release it in time."""

    hint = "try again in a moment"


class IndexBusy(BriefingError, RuntimeError):
    """Another process is updating the index and did not finish in time."""

    hint = "try again in a moment"


class UnsafeIndex(BriefingError, RuntimeError):
    """The index directory could have been written by someone else; it is not loaded."""


class NotesError(BriefingError, RuntimeError):
    """A notes file cannot be read (one line: file, line, problem). It is left untouched."""


class StateError(BriefingError, RuntimeError):
    """The state file exists but cannot be read; it will not be overwritten."""


class Refused(BriefingError):
    """A change the workspace will not make now; the message says why, in one line."""


class ReadOnly(Refused):
    """A change was asked of a read-only session; the message says why it is read-only."""


class ImportBusy(Refused):
    """Another process is importing into the same folder and did not finish in time."""


class FetchBusy(Refused):
    """Another process is fetching feeds into this data dir."""


class FeedsError(BriefingError):
    """A subscription that cannot be added, changed or read; `feeds.yaml` is untouched."""


class OpmlError(BriefingError, ValueError):
    """The file is not OPML briefing can read; the message says why."""


class CurationError(BriefingError):
    """A change to the library's curation files that cannot be made; the files are untouched."""


class WriteFailed(BriefingError, OSError):
    """A file could not be written (disk full, read-only…); its previous version is intact."""

    def __init__(self, errno: int | None, reason: str, filename: str) -> None:
        OSError.__init__(self, errno, reason, filename)
        self.message = clean_text(
            f"cannot write {filename}: {reason}; the previous version is kept"
        )

    def __str__(self) -> str:
        return self.message
