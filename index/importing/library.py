"""Importing into a content folder: de-duplication, annotation, sources, safe writes.

The user's library (`<data>/library`) is a content folder like the bundled one;
the app always reads it beside the bundled briefing. An import reads files
(`index.formats`), then for each article:

1. skips it as a duplicate when its canonical URL or its normalised text is
   already in any content folder or earlier in the same import, merging its
   tags into the existing library article (an archive that files one story
   under several topics yields one article tagged with every topic);
2. finds its source: `--source`, the file's own, the URL's host matched against
   known sources' homepages, the site's name, or a new source named after the
   host, added to the library's `sources.yaml` as "unrated";
3. annotates places, people, organisations and language (`index.enrich`),
   listing what a program filled in under `automatic:`;
4. writes it atomically as `articles/<id>.md`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..content.articles import read_article
from ..content.body import escape_markdown, parse_body
from ..content.catalog import SOURCES_FILE, load_catalog
from ..content.files import ARTICLES_DIR, article_files
from ..content.frontmatter import parse_front_matter
from ..errors import YamlError
from ..models import Source
from ..safe_yaml import load_yaml
from ..storage import atomic_write_text
from .enrich import detect_language, find_organizations, find_people, find_places
from .formats import files_under, read_file
from .incoming import Incoming, canonical_url, slug, text_key, url_host

ImportProgress = Callable[[int, int, str], None]
"""Called with (files done, files to do, the file being read)."""
UNKNOWN_SOURCE = Source("unsourced", "Unknown source", rationale="Imported without a source.")
NEW_SOURCE_RATIONALE = "Added by import; not yet rated."


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    duplicates: int = 0
    skipped: int = 0
    """Records without text (photo and video items)."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(file, reason) for each file or record that could not be imported."""
    new_sources: list[str] = field(default_factory=list)
    files: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": len(self.imported),
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "failed": [{"file": path, "reason": reason} for path, reason in self.failed],
            "new_sources": self.new_sources,
            "files": self.files,
            "ids": self.imported,
        }


class Importer:
    """Imports into `target` (a content folder), de-duplicating against `content_dirs`."""

    def __init__(
        self, target: Path, content_dirs: Iterable[Path], source: str | None = None
    ) -> None:
        self.target = target
        self.content_dirs = list(dict.fromkeys([*content_dirs, target]))
        self.source_override = source
        self.catalog = load_catalog(self.content_dirs)
        self._by_url: dict[str, Path] = {}
        self._by_text: dict[str, Path] = {}
        self._ids: set[str] = set()
        self._new_sources: dict[str, Source] = {}
        for path in article_files(self.content_dirs):
            loaded = read_article(path)
            if loaded.article is not None:
                self._remember(loaded.article.id, loaded.article.url,
                               parse_body(loaded.article.body).text, path)  # fmt: skip

    def run(self, paths: Iterable[Path], progress: ImportProgress | None = None) -> ImportReport:
        report = ImportReport()
        files = list(files_under(list(paths)))
        for done, path in enumerate(files):
            if progress:
                progress(done, len(files), path.name)
            self.import_file(path, report)
        report.files = len(files)
        self._save_sources(report)
        if progress:
            progress(len(files), len(files), "")
        return report

    def import_file(self, path: Path, report: ImportReport) -> None:
        outcome = read_file(path)
        report.skipped += outcome.skipped
        report.failed += [(str(path), problem) for problem in outcome.problems]
        if outcome.error:
            report.failed.append((str(path), outcome.error))
            return
        for incoming in outcome.articles:
            try:
                self._add(incoming, report)
            except OSError as error:
                report.failed.append((incoming.origin, f"cannot write: {error}"))

    # -- one article ------------------------------------------------------------------

    def _add(self, incoming: Incoming, report: ImportReport) -> None:
        if incoming.markdown is None and not incoming.blocks:
            report.failed.append((incoming.origin, "no text left once control characters "
                                  "and markup are removed"))  # fmt: skip
            return
        url_key = canonical_url(incoming.url)
        existing = (self._by_url.get(url_key) if url_key else None) or self._by_text.get(
            text_key(incoming.text)
        )
        if existing is not None:
            report.duplicates += 1
            self._merge_tags(existing, incoming.tags)
            return
        if incoming.markdown is not None:
            self._add_markdown(incoming, report)
            return
        source, inferred = self._source_for(incoming)
        article_id = self._new_id(source.id, incoming)
        front, automatic = self._front_matter(article_id, source, incoming)
        if inferred:
            automatic.insert(0, "source")
        if automatic:
            front["automatic"] = automatic
        body = "\n\n".join(_block_markdown(kind, text) for kind, text in incoming.blocks)
        text = "---\n" + _dump(front) + "---\n\n" + body + "\n"
        path = self.target / ARTICLES_DIR / f"{article_id}.md"
        atomic_write_text(path, text)
        self._remember(article_id, incoming.url, incoming.text, path)
        report.imported.append(article_id)

    def _add_markdown(self, incoming: Incoming, report: ImportReport) -> None:
        """A file already in the content format: copied as written, under its own id."""
        assert incoming.markdown is not None
        front = parse_front_matter(incoming.markdown).data
        article_id = str(front["id"])
        if article_id in self._ids:
            report.failed.append((incoming.origin, f"id {article_id!r} is already in use"))
            return
        source = str(front.get("source", ""))
        if source and source not in self.catalog.sources and source not in self._new_sources:
            self._new_sources[source] = Source(source, source, rationale=NEW_SOURCE_RATIONALE)
        path = self.target / ARTICLES_DIR / f"{article_id}.md"
        atomic_write_text(path, incoming.markdown)
        self._remember(article_id, incoming.url, incoming.text, path)
        report.imported.append(article_id)

    def _front_matter(
        self, article_id: str, source: Source, incoming: Incoming
    ) -> tuple[dict[str, Any], list[str]]:
        everything = f"{incoming.title}\n{incoming.text}"
        automatic: list[str] = []
        front: dict[str, Any] = {"id": article_id, "title": incoming.title}
        if incoming.title_from_text:
            front["title_editorial"] = True
            automatic.append("title")
        front["source"] = source.id
        if incoming.kind:
            front["kind"] = incoming.kind
        language = incoming.language or detect_language(everything)
        if not incoming.language:
            automatic.append("language")
        front["language"] = language
        if incoming.published:
            front["published"] = incoming.published.isoformat()
        else:
            front["date_note"] = "The imported file gives no date."
        for name, value in (("url", incoming.url), ("summary", incoming.summary)):
            if value:
                front[name] = value
        for name, values in (("credits", incoming.credits), ("tags", incoming.tags)):
            if values:
                front[name] = list(dict.fromkeys(values))
        for name, finder in (("places", find_places), ("people", find_people),
                             ("organizations", find_organizations)):  # fmt: skip
            found = finder(everything)
            if found:
                front[name] = found
                automatic.append(name)
        front["original"] = incoming.origin
        return front, automatic

    def _new_id(self, source_id: str, incoming: Incoming) -> str:
        date = incoming.published.isoformat() if incoming.published else "undated"
        words = slug(incoming.title, 60) or text_key(incoming.text)[:10]
        base = f"{source_id}-{date}-{words}"[:120].rstrip("-")
        article_id, number = base, 2
        while article_id in self._ids:
            article_id, number = f"{base}-{number}", number + 1
        return article_id

    def _remember(self, article_id: str, url: str, text: str, path: Path) -> None:
        self._ids.add(article_id)
        if canonical_url(url):
            self._by_url.setdefault(canonical_url(url), path)
        self._by_text.setdefault(text_key(text), path)

    def _merge_tags(self, path: Path, tags: list[str]) -> None:
        """Add new tags to an article of the import target (never to bundled content)."""
        if not tags or self.target.resolve() not in path.resolve().parents:
            return
        text = path.read_text(encoding="utf-8")
        front = parse_front_matter(text)
        current = [str(tag) for tag in front.data.get("tags") or []]
        merged = list(dict.fromkeys([*current, *tags]))
        if merged == current:
            return
        data = dict(front.data)
        data["tags"] = merged
        atomic_write_text(path, "---\n" + _dump(data) + "---\n\n" + front.body.lstrip("\n"))

    # -- sources --------------------------------------------------------------------------

    def _source_for(self, incoming: Incoming) -> tuple[Source, bool]:
        """The article's source, and whether it was inferred (not given)."""
        given = self.source_override or incoming.source
        if given:
            return self._known_or_new(given, given), False
        host = url_host(incoming.url)
        sources = [*self.catalog.sources.values(), *self._new_sources.values()]
        if host:
            for source in sources:
                if source.homepage and url_host(source.homepage) == host:
                    return source, True
        if incoming.source_name:
            for source in sources:
                if source.name.casefold() == incoming.source_name.casefold():
                    return source, True
            return self._known_or_new(slug(incoming.source_name, 40), incoming.source_name,
                                      host), True  # fmt: skip
        if host:
            return self._known_or_new(slug(host, 40), host, host), True
        return self._known_or_new(UNKNOWN_SOURCE.id, UNKNOWN_SOURCE.name), True

    def _known_or_new(self, source_id: str, name: str, host: str = "") -> Source:
        source_id = source_id or UNKNOWN_SOURCE.id
        known = self.catalog.sources.get(source_id) or self._new_sources.get(source_id)
        if known is not None:
            return known
        source = Source(
            source_id, name, homepage=f"https://{host}/" if host else "",
            rationale=NEW_SOURCE_RATIONALE,
        )  # fmt: skip
        self._new_sources[source_id] = source
        return source

    def _save_sources(self, report: ImportReport) -> None:
        """Append new sources to the target's sources.yaml, graded "unrated"."""
        if not self._new_sources:
            return
        path = self.target / SOURCES_FILE
        existing: list[Any] = []
        if path.exists():
            try:
                loaded, _lines = load_yaml(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, YamlError) as error:
                reason = error.message if isinstance(error, YamlError) else str(error)
                why = f"new sources not added: {reason}; left untouched"
                report.failed.append((str(path), why))
                return
            if loaded is not None and not isinstance(loaded, list):
                report.failed.append((str(path), "new sources not added: the file is not a "
                                      "list of sources; left untouched"))  # fmt: skip
                return
            existing = loaded or []
        known = {entry.get("id") for entry in existing if isinstance(entry, dict)}
        for source in self._new_sources.values():
            if source.id in known:
                continue
            existing.append(
                {"id": source.id, "name": source.name, "kind": source.kind,
                 "languages": [], "homepage": source.homepage, "grade": "unrated",
                 "rationale": source.rationale}
            )  # fmt: skip
            report.new_sources.append(source.id)
        header = (
            "# Sources added by `briefing import`. Rate each: grade A–F (see content/README.md).\n"
        )
        atomic_write_text(path, header + _dump(existing))


def _block_markdown(kind: str, text: str) -> str:
    escaped = escape_markdown(text)
    if kind == "heading":
        return f"## {escaped}"
    if kind == "caption":
        return f"*{escaped}*"
    return escaped


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def today() -> dt.date:
    return dt.date.today()
