"""The fields an article becomes in the index, with the user's annotations on it.

Every text value passes the sanitiser. Name lists (places, people…) are stored
comma-separated, the form the schema's keyword fields split; notes and their
tags are searchable as free text (`notes`), and annotation tags also join the
article's own in `tags`. Values put together in one text field are separated
by blank lines, which the analyser turns into a position gap. A wire dateline
opening the body goes to `dateline`; the body's analyser leaves it out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..content.body import plain_text
from ..content.dateline import find_dateline
from ..models import Annotation, Article
from ..sanitize import clean_text
from .schema import NAME_FIELDS


def document_fields(
    article: Article,
    annotations: Iterable[Annotation] = (),
    themes_by_hand: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
) -> dict[str, Any]:
    """The Whoosh document for an article, the user's annotations on it, and the themes
    they gave it (added) or took from it (removed) by hand."""
    annotations = list(annotations)
    added, removed = themes_by_hand
    fields: dict[str, Any] = {
        "id": article.id,
        "path": str(article.path),
        "title": clean_text(article.title),
        "summary": clean_text(article.summary),
        "body": clean_text(plain_text(article.body)),
        "source": clean_text(article.source),
        "kind": clean_text(article.kind),
        "language": clean_text(article.language),
        "year": str(article.published.year) if article.published else "undated",
        "day": article.published.toordinal() if article.published else 0,
        "month": article.published.strftime("%Y-%m") if article.published else "undated",
        "themes": name_list(dict.fromkeys([*article.themes, *added])),
        "curated": "yes" if article.themes else "no",
        "themes_removed": name_list(removed),
    }
    if article.same_as:  # only copies carry it: a term per article would cost every facet build
        fields["story"] = article.same_as
    for name in NAME_FIELDS:
        fields[name] = name_list(getattr(article, name))
    note_tags = [tag for annotation in annotations for tag in annotation.tags]
    fields["tags"] = name_list((*article.tags, *note_tags))
    notes = [a.note for a in annotations if a.note]
    fields["notes"] = clean_text("\n\n".join([*notes, *note_tags]).strip())
    names = (*article.places, *article.people, *article.organizations, *article.tags)
    # Values joined by blank lines: the analyser leaves a gap there, so no phrase spans two.
    fields["context"] = clean_text("\n\n".join([article.summary, *names, fields["notes"]]))
    dateline = find_dateline(fields["body"])
    if dateline is not None:
        fields["dateline"] = dateline.place
    if article.published:
        fields["published"] = dt.datetime.combine(article.published, dt.time())
    return fields


def name_list(names: Iterable[str]) -> str:
    """Names as one comma-separated value (a comma inside a name becomes a space)."""
    return ", ".join(clean_text(name).replace(",", " ") for name in names)
