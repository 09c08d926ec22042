"""Importing into a content folder: de-duplication, annotation, sources, safe writes.

The user's library (`<data>/library`) is a content folder like the bundled one;
the app always reads it beside the bundled briefing. An import walks the files
named (`importing.walk`), reads each (`importing.formats`, archives streamed),
then for each article:

1. skips it as a duplicate when its canonical URL, or its normalised text
   from the same source, is already in any content folder or earlier in the
   same import (`importing.known`), merging its tags into the existing library
   article (an archive that files one story under several topics yields one
   article tagged with every topic; the merges are written once, at the end:
   `importing.duplicate_tags`);
2. finds its source (`importing.sources`), and links it to the story it
   repeats (`same_as:`), when another source's article has its text or a known
   article nearly its text (`importing.near`: republished, revised);
3. separates known names glued to their neighbours by a scraper
   (`content.repair`; "body" or "title" under `automatic:` says it did), and
   annotates places, people, organisations and language (`importing.enrich`),
   listing what a program filled in under `automatic:`;
4. cuts a text longer than MAX_ARTICLE_CHARS (`content.articles`), and says so;
5. writes it atomically as `articles/<id>.md` (`importing.article_file`:
   the front matter and the Markdown body). Files are made durable in
   batches (`os.sync` every DURABLE_EVERY articles and at the end): each is
   whole or absent after a crash, and a re-run imports what is missing.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.articles import ARTICLE_ID, MAX_ARTICLE_CHARS
from ..content.catalog import load_catalog
from ..content.dateline import find_dateline
from ..content.files import ARTICLES_DIR
from ..content.frontmatter import MAX_FRONT_MATTER_BYTES, parse_front_matter
from ..content.repair import NameRepair
from ..sanitize import clean_text
from ..storage import atomic_write_text
from .article_file import article_text, body_markdown, front_matter
from .duplicate_tags import PendingTags
from .enrich import known_names
from .formats import read_file
from .incoming import FileOutcome, Incoming, date_in_text, slug, text_key
from .known import KnownArticles
from .sources import UNKNOWN_SOURCE, SourceFinder
from .walk import Skipped, files_under

DURABLE_EVERY = 500
PROGRESS_EVERY = 0.1
"""Seconds between progress calls."""


@dataclass(frozen=True)
class ImportStatus:
    """Where an import is, for a progress line: files, records, bytes, outcomes, time."""

    files_done: int
    files: int
    name: str
    """The file being read (sanitised)."""
    records: int
    """Records (or documents) read from it so far."""
    bytes_done: int
    bytes_total: int
    """Of the file being read: with `bytes_done`, an ETA for a large archive."""
    imported: int
    duplicates: int
    seconds: float


ImportProgress = Callable[[ImportStatus], None]
"""Called with the import's status, at most every PROGRESS_EVERY seconds and at the end."""


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    duplicates: int = 0
    skipped: int = 0
    """Records without text (photo and video items)."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(file, reason) for each file or record that could not be imported (sanitised)."""
    notices: list[tuple[str, str]] = field(default_factory=list)
    """(file, what) for what was changed on the way in: a text cut at the size cap."""
    new_sources: list[str] = field(default_factory=list)
    same_story: list[tuple[str, str]] = field(default_factory=list)
    """(article, first article of its story) for each import linked as the same story."""
    source_of: dict[str, str] = field(default_factory=dict)
    """The source of each article imported."""
    files: int = 0
    records: int = 0

    def fail(self, where: str, reason: str) -> None:
        self.failed.append((clean_text(where), clean_text(reason)))

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": len(self.imported),
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "failed": [{"file": path, "reason": reason} for path, reason in self.failed],
            "notices": [{"file": path, "notice": notice} for path, notice in self.notices],
            "new_sources": self.new_sources,
            "same_story": [{"id": copy, "same_as": first} for copy, first in self.same_story],
            "files": self.files,
            "records": self.records,
            "ids": self.imported,
        }


class Importer:
    """Imports into `target` (a content folder), de-duplicating against `content_dirs`.

    `cache` is where what the folders hold is remembered between imports
    (see `importing.known`); `source` is the source of every article (its id
    is checked, since it becomes part of file names).
    """

    def __init__(
        self,
        target: Path,
        content_dirs: Iterable[Path],
        source: str | None = None,
        cache: Path | None = None,
    ) -> None:
        self.target = target
        self.content_dirs = list(dict.fromkeys([*content_dirs, target]))
        catalog = load_catalog(self.content_dirs)
        self.sources = SourceFinder(catalog, source)
        self.names = NameRepair(known_names(catalog.variants))
        self.known = KnownArticles(self.content_dirs, cache)
        self._pending_tags = PendingTags(target, self.known)
        """The tags of duplicates, for the articles they repeat (written by `finish`)."""
        self._unsynced = 0

    def run(self, paths: Iterable[Path], progress: ImportProgress | None = None) -> ImportReport:
        report = ImportReport()
        started = time.monotonic()
        items = list(files_under(list(paths)))
        files = [item for item in items if not isinstance(item, Skipped)]
        for item in items:
            if isinstance(item, Skipped):
                report.fail(str(item.path), item.reason)
        last = 0.0

        def tell(done: int, name: str, outcome: FileOutcome | None, force: bool = False) -> None:
            nonlocal last
            now = time.monotonic()
            if progress is None or (not force and now - last < PROGRESS_EVERY):
                return
            last = now
            progress(
                ImportStatus(
                    done,
                    len(files),
                    clean_text(name),
                    outcome.records if outcome else 0,
                    outcome.bytes_read if outcome else 0,
                    outcome.size if outcome else 0,
                    len(report.imported),
                    report.duplicates,
                    now - started,
                )
            )

        for done, path in enumerate(files):
            tell(done, path.name, None, force=True)
            outcome = FileOutcome(path)
            for incoming in read_file(path, outcome):
                self._take(incoming, report)
                tell(done, path.name, outcome)
            report.files += 1
            report.records += outcome.records
            report.skipped += outcome.skipped
            for problem in outcome.problems:
                report.fail(str(path), problem)
            if outcome.error:
                report.fail(str(path), outcome.error)
        self.finish(report)
        tell(len(files), "", None, force=True)
        return report

    def knows_url(self, url: str) -> bool:
        """Whether an article with this canonical URL is already in a content folder."""
        return bool(url) and self.known.find_url(url) is not None

    def add(self, incoming: Incoming, report: ImportReport) -> str | None:
        """Import one record read elsewhere (a fetched feed item); its id, if it was added.

        Call `finish` once after the last one.
        """
        before = len(report.imported)
        report.records += 1
        self._take(incoming, report)
        return report.imported[-1] if len(report.imported) > before else None

    def finish(self, report: ImportReport) -> None:
        """Write what an import leaves to the end: duplicates' tags, new sources, the cache."""
        self._pending_tags.write(report.fail)
        added, unsaved = self.sources.save(self.target)
        report.new_sources += added
        if unsaved:
            report.fail(str(self.target / "sources.yaml"), unsaved)
        if self._unsynced:
            os.sync()
            self._unsynced = 0
        self.known.save()

    # -- one article ------------------------------------------------------------------

    def _take(self, incoming: Incoming | None, report: ImportReport) -> None:
        if incoming is None:  # an exact repeat of an earlier record of the same archive
            report.duplicates += 1
            return
        try:
            self._add(incoming, report)
        except OSError as error:
            report.fail(incoming.origin, f"cannot write: {error}")

    def _add(self, incoming: Incoming, report: ImportReport) -> None:
        if incoming.markdown is None and not incoming.blocks:
            report.fail(
                incoming.origin, "no text left once control characters and markup are removed"
            )
            return
        if incoming.markdown is not None:
            existing = self.known.find(incoming.url, incoming.text)
            if existing is not None:
                report.duplicates += 1
                return
            self._add_markdown(incoming, report)
            return
        existing = self.known.find_url(incoming.url)
        if existing is not None:
            report.duplicates += 1
            self._pending_tags.add(existing, incoming.tags)
            return
        source, inferred = self.sources.source_for(incoming)
        story = self._story(incoming, source.id)
        if story is None:  # the same text from the same source: a duplicate
            report.duplicates += 1
            existing = self.known.find_text(incoming.text)
            if existing:
                self._pending_tags.add(existing, incoming.tags)
            return
        self._cap(incoming, report)
        origin = clean_text(incoming.origin)
        report.notices.extend((origin, notice) for notice in incoming.notices)
        repaired = self._repair(incoming)
        dated = self._date_from_text(incoming)
        article_id = self._new_id(source.id, incoming)
        front, automatic = front_matter(article_id, source, incoming)
        if inferred:
            automatic.insert(0, "source")
        automatic += repaired + dated
        if story:
            front["same_as"] = story
            automatic.append("same_as")
            report.same_story.append((article_id, story))
        if automatic:
            front["automatic"] = automatic
        if len(article_text(front, "").encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
            # never written, so never counted new nor known: a later fetch tries it again
            report.fail(incoming.origin, "its fields do not fit in an article's front matter")
            return
        text = article_text(front, body_markdown(incoming.blocks) + "\n")
        self._write(article_id, text, incoming, source.id, story)
        report.imported.append(article_id)
        report.source_of[article_id] = source.id

    def _story(self, incoming: Incoming, source_id: str) -> str | None:
        """The story an article joins: "" for a new one, None for a duplicate.

        The same text from the same source (or an unknown one) is a duplicate;
        from another source (a wire story republished word for word) it is the
        same story, as is a
        text close enough to a known one (`importing.near`: a republished or
        revised copy). The story is named by its first article.
        """
        same = self.known.find_text(incoming.text)
        if same is not None:
            theirs = self.known.source_of(same)
            unknown = source_id == UNKNOWN_SOURCE.id or not theirs
            return None if unknown or theirs == source_id else self.known.story_of(same)
        match = self.known.find_near(incoming.text)
        return self.known.story_of(match.article_id) if match else ""

    def _add_markdown(self, incoming: Incoming, report: ImportReport) -> None:
        """A file already in the content format: copied as written, under its own id."""
        assert incoming.markdown is not None
        front = parse_front_matter(incoming.markdown).data
        article_id = str(front["id"])
        if article_id in self.known.ids:
            report.fail(incoming.origin, f"id {article_id!r} is already in use")
            return
        if len(incoming.text) > MAX_ARTICLE_CHARS:
            reason = (
                f"its text is larger than {MAX_ARTICLE_CHARS:,} characters; split it, or "
                "import it as plain text to have it cut"
            )
            report.fail(incoming.origin, reason)
            return
        self.sources.note(str(front.get("source", "")))
        story = str(front.get("same_as") or "")
        self._write(article_id, incoming.markdown, incoming, str(front.get("source", "")), story)
        report.imported.append(article_id)
        report.source_of[article_id] = str(front.get("source", ""))

    def _write(
        self, article_id: str, text: str, incoming: Incoming, source: str = "", story: str = ""
    ) -> None:
        folder = self.target / ARTICLES_DIR
        path = folder / f"{article_id}.md"
        if not ARTICLE_ID.fullmatch(article_id) or path.parent != folder:
            raise OSError(f"{article_id!r} cannot name a file in {folder}")
        atomic_write_text(path, text, durable=False)
        self._unsynced += 1
        if self._unsynced >= DURABLE_EVERY:
            os.sync()
            self._unsynced = 0
        self.known.add(article_id, incoming.url, incoming.text, path, source, story)

    @staticmethod
    def _date_from_text(incoming: Incoming) -> list[str]:
        """Without a date from the file: a Korean date in the text, or the dateline's day.

        A dateline gives a month and day: the year is the one that puts it on or
        before the day of the import (news arrives after it happens).
        """
        if incoming.published is not None:
            return []
        found = date_in_text(incoming.text)
        if found is None:
            dateline = find_dateline(incoming.text)
            found = dateline.date_before(today()) if dateline else None
        if found is None:
            return []
        incoming.published = found
        return ["published"]

    def _repair(self, incoming: Incoming) -> list[str]:
        """Separate known names glued to their neighbours; the fields that changed."""
        changed = []
        title = self.names.repair(incoming.title)
        if title != incoming.title:
            incoming.title = title
            changed.append("title")
        blocks = [(kind, self.names.repair(text)) for kind, text in incoming.blocks]
        if blocks != incoming.blocks:
            incoming.blocks = blocks
            changed.append("body")
        return changed

    @staticmethod
    def _cap(incoming: Incoming, report: ImportReport) -> None:
        """Cut a text longer than MAX_ARTICLE_CHARS after the last block that fits."""
        total = sum(len(text) + 2 for _kind, text in incoming.blocks)
        if total <= MAX_ARTICLE_CHARS:
            return
        kept: list[tuple[str, str]] = []
        used = 0
        for kind, text in incoming.blocks:
            room = MAX_ARTICLE_CHARS - used
            if room <= 0:
                break
            kept.append((kind, text if len(text) <= room else text[:room].rsplit(" ", 1)[0]))
            used += len(text) + 2
        incoming.blocks = kept
        note = (
            f"its text of {total:,} characters is cut to the first {MAX_ARTICLE_CHARS:,} "
            "(the most an article holds)"
        )
        report.notices.append((clean_text(incoming.origin), note))

    def _new_id(self, source_id: str, incoming: Incoming) -> str:
        """`<source>-<date>-<title words>`, leaving out what is not known (never "undated")."""
        words = slug(incoming.title, 60) or text_key(incoming.text)[:10]
        source = "" if source_id == UNKNOWN_SOURCE.id else slug(source_id, 40)
        date = incoming.published.isoformat() if incoming.published else ""
        base = "-".join(part for part in (source, date, words) if part)[:120].rstrip("-")
        article_id, number = base, 2
        while article_id in self.known.ids:
            article_id, number = f"{base}-{number}", number + 1
        return article_id


def today() -> dt.date:
    return dt.date.today()
