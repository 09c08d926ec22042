"""Which source an imported article comes from, and the new sources an import adds.

In order: `--source`, the file's own source, the URL's host matched against
known sources' homepages, the site's name matched against known names, or a
new source named after the site (or host), added to the target's
`sources.yaml` as "unrated" for the user to grade. A new source's homepage is
the article's site as its URL gives it, scheme and port included.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..content.catalog import SOURCE_ID, SOURCES_FILE, Catalog
from ..errors import Refused, YamlError
from ..models import Source
from ..safe_yaml import load_yaml
from ..storage import atomic_write_text
from .incoming import Incoming, slug, url_host

UNKNOWN_SOURCE = Source("unsourced", "Unknown source", rationale="Imported without a source.")
NEW_SOURCE_RATIONALE = "Added by import; not yet rated."
HEADER = "# Sources added by `briefing import`. Rate each: grade A–F (see content/README.md).\n"


def checked_source_id(source_id: str) -> str:
    """`source_id` when it can name a source (it reaches file names); else Refused."""
    if not SOURCE_ID.fullmatch(source_id):
        raise Refused(
            f"source {source_id!r}: a source id is lowercase letters, digits, '.', '_' and '-' "
            "(at most 64), starting with a letter or digit"
        )
    return source_id


def site_of(url: str) -> str:
    """The site of a URL as its homepage: scheme, host and port ("http://127.0.0.1:8765/")."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}/"


class SourceFinder:
    """Finds each article's source among the catalog's, or makes a new one."""

    def __init__(self, catalog: Catalog, override: str | None = None) -> None:
        self.catalog = catalog
        self.override = checked_source_id(override) if override else None
        self.new: dict[str, Source] = {}

    def source_for(self, incoming: Incoming) -> tuple[Source, bool]:
        """The article's source, and whether it was inferred (not given)."""
        given = self.override or incoming.source
        if given:  # a new source is named after the site, when the file names it
            name = incoming.source_name or given
            return self.known_or_new(_usable_id(given), name, incoming.url), False
        host = url_host(incoming.url)
        sources = [*self.catalog.sources.values(), *self.new.values()]
        if host:
            for source in sources:
                if source.homepage and url_host(source.homepage) == host:
                    return source, True
        if incoming.source_name:
            for source in sources:
                if source.name.casefold() == incoming.source_name.casefold():
                    return source, True
            new_id = slug(incoming.source_name, 40)
            return self.known_or_new(new_id, incoming.source_name, incoming.url), True
        if host:
            return self.known_or_new(slug(host, 40), host, incoming.url), True
        return self.known_or_new(UNKNOWN_SOURCE.id, UNKNOWN_SOURCE.name), True

    def note(self, source_id: str) -> None:
        """An article in our format names `source_id`: add it as new if it is unknown."""
        known = source_id in self.catalog.sources or source_id in self.new
        if source_id and not known and SOURCE_ID.fullmatch(source_id):
            self.new[source_id] = Source(source_id, source_id, rationale=NEW_SOURCE_RATIONALE)

    def known_or_new(self, source_id: str, name: str, url: str = "") -> Source:
        source_id = source_id or UNKNOWN_SOURCE.id
        known = self.catalog.sources.get(source_id) or self.new.get(source_id)
        if known is not None:
            return known
        source = Source(source_id, name, homepage=site_of(url), rationale=NEW_SOURCE_RATIONALE)
        self.new[source_id] = source
        return source

    def save(self, target: Path) -> tuple[list[str], str | None]:
        """Append the new sources to the target's sources.yaml, graded "unrated".

        Returns the ids added, and why none could be (a file that cannot be read
        is left untouched).
        """
        if not self.new:
            return [], None
        path = target / SOURCES_FILE
        existing: list[Any] = []
        if path.exists():
            try:
                loaded, _lines = load_yaml(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, YamlError) as error:
                reason = error.message if isinstance(error, YamlError) else str(error)
                return [], f"new sources not added: {reason}; left untouched"
            if loaded is not None and not isinstance(loaded, list):
                return (
                    [],
                    "new sources not added: the file is not a list of sources; left untouched",
                )
            existing = loaded or []
        known = {entry.get("id") for entry in existing if isinstance(entry, dict)}
        added = []
        for source in self.new.values():
            if source.id in known:
                continue
            existing.append(
                {
                    "id": source.id,
                    "name": source.name,
                    "kind": source.kind,
                    "languages": [],
                    "homepage": source.homepage,
                    "grade": "unrated",
                    "rationale": source.rationale,
                }
            )
            added.append(source.id)
        text = yaml.dump(
            existing, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100
        )
        atomic_write_text(path, HEADER + text)
        return added, None


def _usable_id(given: str) -> str:
    """A source named by a file: its id when it is one, else a slug of it."""
    return given if SOURCE_ID.fullmatch(given) else slug(given, 40) or UNKNOWN_SOURCE.id
