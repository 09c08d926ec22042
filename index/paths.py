"""Every path briefing reads or writes, in one place.

Content (articles, sources, themes) is read-only input: by default the briefing
bundled with the package. Everything the program writes (the index, which is a
cache, and the user's own data) lives in the user data dir, never in content.
`BRIEFING_CONTENT` and `BRIEFING_DATA` override the defaults, as do the
`--content` and `--data` options.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "briefing"


def bundled_content_dir() -> Path:
    """The briefing shipped with the program (the `content/` folder beside `index/`)."""
    return Path(__file__).resolve().parent.parent / "content"


def default_content_dir() -> Path:
    override = os.environ.get("BRIEFING_CONTENT")
    return Path(override).expanduser() if override else bundled_content_dir()


def default_data_dir() -> Path:
    override = os.environ.get("BRIEFING_DATA")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class DataPaths:
    """The layout of a user data dir."""

    root: Path

    @property
    def index_dir(self) -> Path:
        """The Whoosh index: a cache, rebuilt from content whenever needed."""
        return self.root / "index"

    @property
    def index_lock(self) -> Path:
        """Held while the index is being updated, so two processes never update at once."""
        return self.root / "index.lock"

    @property
    def manifest(self) -> Path:
        """What the index was built from: file stamps and hashes, schema fingerprint."""
        return self.index_dir / "briefing-manifest.json"

    @property
    def index_files(self) -> Path:
        """The size of each of the index's files after its last commit, to notice damage."""
        return self.index_dir / "briefing-files.json"

    @property
    def state_file(self) -> Path:
        """The interface's state: last query, filters, open article, read marks."""
        return self.root / "state.yaml"

    @property
    def library_dir(self) -> Path:
        """The user's own content folder: imported articles and their sources."""
        return self.root / "library"

    @property
    def import_cache(self) -> Path:
        """What the content folders hold (ids, URL and text digests), for de-duplication."""
        return self.root / "import-known.json"

    @property
    def feeds_state(self) -> Path:
        """What each feed's fetches did: validators, times, failures, articles lately fetched."""
        return self.root / "feeds-state.json"

    @property
    def fetch_lock(self) -> Path:
        """Held while feeds are fetched, so two fetches never run at once."""
        return self.root / "fetch.lock"

    @property
    def stories_cache(self) -> Path:
        """Each article's signature for grouping stories, by text digest; a cache."""
        return self.root / "stories-cache.json"

    @property
    def notes_dir(self) -> Path:
        """The user's annotations, one YAML file per article."""
        return self.root / "notes"


def resolve_paths(content: str | Path | None, data: str | Path | None) -> tuple[Path, DataPaths]:
    """Apply command-line options over the environment over the defaults."""
    content_dir = Path(content).expanduser() if content else default_content_dir()
    data_dir = Path(data).expanduser() if data else default_data_dir()
    return content_dir.resolve(), DataPaths(data_dir.resolve())
