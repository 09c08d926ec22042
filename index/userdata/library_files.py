"""The user's YAML files in the library folder: read whole, changed under a lock, atomically.

Curation (`sources.yaml`, `themes.yaml`, `article-themes.yaml`) and
subscriptions (`feeds.yaml`) are files a person may also edit by hand. Every
change re-reads the file under a lock (`.locks/<name>.lock`), applies one
change to what it holds, keeps every other entry and key, and writes
atomically; a file that cannot be read is never overwritten: the change is
refused with the file and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ..errors import BriefingError, YamlError
from ..safe_yaml import load_yaml
from ..storage import atomic_write_text, file_lock

LOCKS = ".locks"


class LibraryFiles:
    """YAML files of one library folder; `error` is the exception a bad file raises."""

    def __init__(self, library: Path, error: type[BriefingError]) -> None:
        self.library = library
        self.error = error

    def read(self, name: str, kind: type) -> Any:
        """The file's data (None when there is no file); `kind` is list or dict."""
        path = self.library / name
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            raise self.error(f"{path}: cannot be read ({error}); left untouched") from None
        try:
            data, _lines = load_yaml(text)
        except YamlError as error:
            where = f"{path}:{error.line}" if error.line else str(path)
            raise self.error(f"{where}: {error.message}; left untouched") from None
        if data is not None and not isinstance(data, kind):
            shape = "a list" if kind is list else "a mapping"
            raise self.error(f"{path}: expected {shape}; left untouched")
        return data

    def change(self, name: str, apply: Callable[[Any], Any], kind: type, header: str) -> Any:
        """Apply `apply` to the file's data under its lock and write the result; return it."""
        with file_lock(self.library / LOCKS / f"{name}.lock"):
            data = apply(self.read(name, kind))
            text = yaml.dump(
                data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100
            )
            atomic_write_text(self.library / name, header + text)
            return data
