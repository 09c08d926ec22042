"""What the content folders already hold, for de-duplication: ids, URLs, texts, stories.

Every article is known by its id, its source, the story it belongs to (its
`same_as`, or itself), the digest of its canonical URL, the digest of its
normalised text (`incoming.text_key`) and the MinHash signature of its text
(`importing.near`, for near-duplicates). Reading every article of a large
library to learn these would make every import as slow as the library is
large, so they are cached (a cache: rebuilt when lost) by each article
file's size and modification time — the digests in a JSON file, the
signatures, by text digest, in a NumPy file beside it — and an import stats
the files and reads only those that changed. Lookups are O(1); each article
costs a few hundred bytes of memory.
"""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..content.articles import body_text, read_article
from ..content.body import plain_text
from ..content.files import article_entries
from ..storage import atomic_write_bytes, atomic_write_text
from .incoming import canonical_url, text_key
from .near import NUM_PERM, Match, NearIndex, shingles, signature

CACHE_FORMAT = 2
ENTRY = 7
"""A cache entry: mtime_ns, size, id, URL digest, text digest, source, story."""
log = logging.getLogger(__name__)


class KnownArticles:
    """Ids, sources, stories, URL and text digests, signatures of articles in some folders."""

    def __init__(self, content_dirs: Iterable[Path], cache: Path | None = None) -> None:
        self.ids: set[str] = set()
        self._by_url: dict[int, str] = {}
        self._by_text: dict[int, str] = {}
        self._source: dict[str, str] = {}
        self._story: dict[str, str] = {}
        self._paths: dict[str, str] = {}
        """The file of each article found in the folders (not of those added since)."""
        self._written: dict[str, str] = {}
        self._cache = cache
        self._entries: dict[str, list[object]] = {}
        self._signatures: dict[str, np.ndarray] = {}
        """By text digest."""
        self._dirty = False
        self._signatures_dirty = False
        self.near = NearIndex(self._text_of)
        self._load(list(content_dirs))

    def find(self, url: str, text: str) -> str | None:
        """The id of an article with the same canonical URL or the same text, if any."""
        return self.find_url(url) or self.find_text(text)

    def find_url(self, url: str) -> str | None:
        url_key = canonical_url(url)
        return self._by_url.get(int(text_key(url_key), 16)) if url_key else None

    def find_text(self, text: str) -> str | None:
        return self._by_text.get(int(text_key(text), 16))

    def find_near(self, text: str) -> Match | None:
        """A known article telling the same story in other words (see `importing.near`)."""
        return self.near.find(text)

    def source_of(self, article_id: str) -> str:
        return self._source.get(article_id, "")

    def story_of(self, article_id: str) -> str:
        """The first article of the story `article_id` belongs to (itself when alone)."""
        return self._story.get(article_id) or article_id

    def add(
        self,
        article_id: str,
        url: str,
        text: str,
        written: Path | None = None,
        source: str = "",
        story: str = "",
    ) -> None:
        """Remember an article (and the file just `written` for it, for the cache)."""
        self.ids.add(article_id)
        url_key = canonical_url(url)
        url_hex = text_key(url_key) if url_key else ""
        text_hex = text_key(text)
        if url_hex:
            self._by_url.setdefault(int(url_hex, 16), article_id)
        self._by_text.setdefault(int(text_hex, 16), article_id)
        self._source[article_id] = source
        self._story[article_id] = story or article_id
        values = self._signatures.get(text_hex)
        if values is None:
            values = self._signatures[text_hex] = signature(shingles(text))
            self._signatures_dirty = True
        self.near.add(article_id, values)
        if written is not None:
            self._written[article_id] = str(written)
            try:
                stat = os.stat(written)
            except OSError:
                return
            self._entries[str(written)] = [
                stat.st_mtime_ns,
                stat.st_size,
                article_id,
                url_hex,
                text_hex,
                source,
                story,
            ]
            self._dirty = True

    def save(self) -> None:
        """Write the cache when it changed (an import calls this once, at the end)."""
        if self._dirty:
            self._write_cache(self._entries)
            self._dirty = False
        if self._signatures_dirty:
            self._write_signatures()
            self._signatures_dirty = False

    def _text_of(self, article_id: str) -> str | None:
        """A known article's words, read from its file (for the exact check on shingles)."""
        path = self._written.get(article_id) or self._paths.get(article_id)
        return body_text(Path(path), words_only=True) if path is not None else None

    def path_of(self, article_id: str, default: Path) -> Path:
        """Where an article found in the folders is; `default` for one added since."""
        found = self._paths.get(article_id)
        return Path(found) if found else default

    # -- the cache ------------------------------------------------------------------

    def _load(self, content_dirs: list[Path]) -> None:
        cached = self._read_cache()
        self._signatures = self._read_signatures()
        entries: dict[str, list[object]] = {}
        for path, stat in article_entries(content_dirs):
            entry = cached.get(path)
            if not (entry and entry[0] == stat.st_mtime_ns and entry[1] == stat.st_size):
                entry = self._read(path, stat.st_mtime_ns, stat.st_size)
            _mtime, _size, article_id, url_key, key, source, story = entry
            if isinstance(key, str) and key not in self._signatures:
                entry = self._read(path, stat.st_mtime_ns, stat.st_size)  # its signature
                _mtime, _size, article_id, url_key, key, source, story = entry
            entries[path] = entry
            if not isinstance(article_id, str):
                continue
            self.ids.add(article_id)
            self._paths.setdefault(article_id, path)
            self._source[article_id] = str(source or "")
            self._story[article_id] = str(story or "") or article_id
            if isinstance(url_key, str) and url_key:
                self._by_url.setdefault(int(url_key, 16), article_id)
            if isinstance(key, str):
                self._by_text.setdefault(int(key, 16), article_id)
                values = self._signatures.get(key)
                if values is not None:
                    self.near.add(article_id, values)
        self._entries = entries
        self._dirty = entries != cached
        self.save()

    def _read(self, path: str, mtime_ns: int, size: int) -> list[object]:
        article = read_article(Path(path)).article
        if article is None:
            return [mtime_ns, size, None, None, None, None, None]
        url_key = canonical_url(article.url)
        text = plain_text(article.body)
        key = text_key(text)
        if key not in self._signatures:
            self._signatures[key] = signature(shingles(text))
            self._signatures_dirty = True
        return [
            mtime_ns,
            size,
            article.id,
            text_key(url_key) if url_key else "",
            key,
            article.source,
            article.same_as,
        ]

    def _read_cache(self) -> dict[str, list[object]]:
        if self._cache is None:
            return {}
        try:
            data = json.loads(self._cache.read_text(encoding="utf-8"))
            if data.get("format") == CACHE_FORMAT and isinstance(data.get("files"), dict):
                return {
                    path: entry
                    for path, entry in data["files"].items()
                    if isinstance(entry, list) and len(entry) == ENTRY
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

    def _signatures_file(self) -> Path | None:
        return self._cache.with_name(self._cache.stem + "-signatures.npz") if self._cache else None

    def _read_signatures(self) -> dict[str, np.ndarray]:
        path = self._signatures_file()
        if path is None:
            return {}
        try:
            with np.load(path, allow_pickle=False) as data:
                keys, values = data["keys"], data["values"]
        except (OSError, ValueError, KeyError):
            return {}
        if values.ndim != 2 or values.shape[1] != NUM_PERM or len(keys) != len(values):
            return {}
        return {str(key): row for key, row in zip(keys, values, strict=True)}

    def _write_signatures(self) -> None:
        path = self._signatures_file()
        if path is None:
            return
        known = {str(entry[4]) for entry in self._entries.values() if isinstance(entry[4], str)}
        kept = {key: row for key, row in self._signatures.items() if key in known}
        buffer = io.BytesIO()
        keys = np.array(sorted(kept), dtype="U16")
        rows = [kept[key] for key in keys]
        values = np.vstack(rows) if rows else np.zeros((0, NUM_PERM), dtype=np.uint32)
        np.savez(buffer, keys=keys, values=values.astype(np.uint32))
        try:
            atomic_write_bytes(path, buffer.getvalue(), durable=False)
        except OSError as error:  # a cache: the next import computes them again
            log.info("import signatures not written: %s", error)
