"""What the content folders already hold, for de-duplication: ids, URLs, texts.

Every article is known by its id, the digest of its canonical URL and the
digest of its normalised text (`incoming.text_key`). Reading every article of
a large library to learn these would make every import as slow as the
library is large, so they are cached in a file (a cache: rebuilt when lost)
by each article file's size and modification time; an import stats the
files and reads only those that changed. Lookups are O(1); each article
costs a few dozen bytes of memory.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from ..content.articles import read_article
from ..content.body import plain_text
from ..content.files import article_entries
from ..storage import atomic_write_text
from .incoming import canonical_url, text_key

CACHE_FORMAT = 1
log = logging.getLogger(__name__)


class KnownArticles:
    """Ids, URL digests and text digests of the articles in some content folders."""

    def __init__(self, content_dirs: Iterable[Path], cache: Path | None = None) -> None:
        self.ids: set[str] = set()
        self._by_url: dict[int, str] = {}
        self._by_text: dict[int, str] = {}
        self._paths: dict[str, str] = {}
        """The file of each article found in the folders (not of those added since)."""
        self._cache = cache
        self._entries: dict[str, list[object]] = {}
        self._dirty = False
        self._load(list(content_dirs))

    def find(self, url: str, text: str) -> str | None:
        """The id of an article with the same canonical URL or the same text, if any."""
        url_key = canonical_url(url)
        if url_key:
            found = self._by_url.get(int(text_key(url_key), 16))
            if found is not None:
                return found
        return self._by_text.get(int(text_key(text), 16))

    def add(self, article_id: str, url: str, text: str, written: Path | None = None) -> None:
        """Remember an article (and the file just `written` for it, for the cache)."""
        self.ids.add(article_id)
        url_key = canonical_url(url)
        url_hex = text_key(url_key) if url_key else ""
        text_hex = text_key(text)
        if url_hex:
            self._by_url.setdefault(int(url_hex, 16), article_id)
        self._by_text.setdefault(int(text_hex, 16), article_id)
        if written is not None:
            try:
                stat = os.stat(written)
            except OSError:
                return
            self._entries[str(written)] = [stat.st_mtime_ns, stat.st_size, article_id, url_hex,
                                           text_hex]  # fmt: skip
            self._dirty = True

    def save(self) -> None:
        """Write the cache when it changed (an import calls this once, at the end)."""
        if self._dirty:
            self._write_cache(self._entries)
            self._dirty = False

    def path_of(self, article_id: str, default: Path) -> Path:
        """Where an article found in the folders is; `default` for one added since."""
        found = self._paths.get(article_id)
        return Path(found) if found else default

    # -- the cache ------------------------------------------------------------------

    def _load(self, content_dirs: list[Path]) -> None:
        cached = self._read_cache()
        entries: dict[str, list[object]] = {}
        for path, stat in article_entries(content_dirs):
            entry = cached.get(path)
            if not (entry and entry[0] == stat.st_mtime_ns and entry[1] == stat.st_size):
                entry = self._read(path, stat.st_mtime_ns, stat.st_size)
            entries[path] = entry
            _mtime, _size, article_id, url_key, key = entry
            if not isinstance(article_id, str):
                continue
            self.ids.add(article_id)
            self._paths.setdefault(article_id, path)
            if isinstance(url_key, str) and url_key:
                self._by_url.setdefault(int(url_key, 16), article_id)
            if isinstance(key, str):
                self._by_text.setdefault(int(key, 16), article_id)
        self._entries = entries
        self._dirty = entries != cached
        self.save()

    @staticmethod
    def _read(path: str, mtime_ns: int, size: int) -> list[object]:
        article = read_article(Path(path)).article
        if article is None:
            return [mtime_ns, size, None, None, None]
        url_key = canonical_url(article.url)
        return [mtime_ns, size, article.id, text_key(url_key) if url_key else "",
                text_key(plain_text(article.body))]  # fmt: skip

    def _read_cache(self) -> dict[str, list[object]]:
        if self._cache is None:
            return {}
        try:
            data = json.loads(self._cache.read_text(encoding="utf-8"))
            if data.get("format") == CACHE_FORMAT and isinstance(data.get("files"), dict):
                return {
                    path: entry
                    for path, entry in data["files"].items()
                    if isinstance(entry, list) and len(entry) == 5
                }
        except (OSError, ValueError, AttributeError):
            pass
        return {}

    def _write_cache(self, entries: dict[str, list[object]]) -> None:
        if self._cache is None:
            return
        text = json.dumps({"format": CACHE_FORMAT, "files": entries}, separators=(",", ":"))
        try:
            atomic_write_text(self._cache, text, durable=False)
        except OSError as error:  # a cache: the next import reads the files again
            log.info("import cache not written: %s", error)
