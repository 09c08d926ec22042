"""Turning what the user typed into a Whoosh query, or a clear message.

The syntax is Whoosh's: AND/OR/NOT, "phrases", prefix*, `field:value`, date
ranges (`date:[2024-01 to 2024-03]`, `date:2024`, `date:>2024-06`; Whoosh's
English date plugin is not used because it reads `2024-01` as the whole year). Field
aliases are the singular names a person would type (`place:`, `person:`,
`org:`, `tag:`, `theme:`, `date:`). `theme:X` means "in theme X" with the same
rule as the Themes pane: curated themes, or the theme's query for articles
without curated themes. Whoosh's parser is lenient and raises odd exceptions on
odd input; anything it cannot make sense of becomes a QueryError.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import FieldAliasPlugin, GtLtPlugin, MultifieldParser

from ..errors import QueryError
from ..models import MAX_QUERY_CHARS, MAX_WORD_CHARS, Source, Theme
from .analysis import normalise_name
from .lexer import close_parentheses, field_names, lexemes
from .schema import DEFAULT_FIELDS, FIELD_BOOSTS
from .variants import VariantExpander

FIELD_ALIASES = {
    "published": ["date"],
    "places": ["place"],
    "people": ["person"],
    "organizations": ["org", "organization"],
    "tags": ["tag"],
    "themes": ["theme"],
    "notes": ["note"],
}
USER_FIELDS = (
    "title",
    "summary",
    "body",
    "context",
    "notes",
    "source",
    "kind",
    "language",
    "published",
    "year",
    "themes",
    "places",
    "people",
    "organizations",
    "tags",
    "id",
    "dateline",
)
ONE_VALUE_FIELDS = frozenset({"source", "kind", "language", "year", "dateline", "id"})
"""Fields whose value is one term however many words it has (`kind:"news report"`)."""


DATE_HELP = "write dates as 2024, 2024-03 or 2024-03-15, ranges as date:[2024-01 to 2024-03]"
SYNTAX_HELP = "check for a dangling AND/OR/NOT or an operator with nothing to act on"


class QueryParser:
    """Parses user queries against the schema, with name variants and theme membership."""

    def __init__(
        self,
        schema: Schema,
        variants: VariantExpander,
        themes: Mapping[str, Theme],
        sources: Mapping[str, Source] | None = None,
    ) -> None:
        self.schema = schema
        self.variants = variants
        self.themes = dict(themes)
        self.sources = dict(sources or {})
        self._parser = MultifieldParser(list(DEFAULT_FIELDS), schema, fieldboosts=FIELD_BOOSTS)
        self._parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
        self._parser.add_plugin(GtLtPlugin())
        self._known_fields = frozenset(
            {name for name in USER_FIELDS if name in schema}
            | {
                alias
                for name, aliases in FIELD_ALIASES.items()
                if name in schema
                for alias in aliases
            }
        )
        self._theme_queries: dict[str, wq.Query] = {}
        self.variants_key = variants.key

    def reload(
        self, variants: VariantExpander, themes: Mapping[str, Theme], sources: Mapping[str, Source]
    ) -> None:
        """The catalog changed: parse with its new variants, themes and sources from now on."""
        self.variants = variants
        self.variants_key = variants.key
        self.themes = dict(themes)
        self.sources = dict(sources)
        self._theme_queries.clear()

    def parse(self, text: str, expand: bool = True) -> wq.Query:
        """The query for `text`; an empty text matches every article."""
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(
                f"the query is {len(text):,} characters long; the most is {MAX_QUERY_CHARS:,}"
            )
        text = close_parentheses(" ".join(text.split()))
        if not text:
            return wq.Every()
        longest = max((word for _kind, word in lexemes(text)), key=len)
        if len(longest) > MAX_WORD_CHARS:
            raise QueryError(
                f"a word of {len(longest):,} characters ({longest[:20]}…) is longer than "
                f"{MAX_WORD_CHARS}: no article has one"
            )
        for name in field_names(text):
            if name not in self._known_fields:
                known = ", ".join(sorted(self._known_fields))
                raise QueryError(f"unknown field {name!r}: use one of {known}")
        expanded = self.variants.expand(text) if expand else text
        return self._rewrite_fields(self._parse_raw(expanded, shown=text))

    def theme_query(self, theme_id: str) -> wq.Query:
        """Articles in a theme: curated (in front matter or by hand), or matched by the theme's
        query when they have no curated themes; never one the user took out of it."""
        cached = self._theme_queries.get(theme_id)
        if cached is not None:
            return cached
        theme = self.themes.get(theme_id)
        if theme is None:
            known = ", ".join(sorted(self.themes)) or "none defined"
            raise QueryError(f"unknown theme {theme_id!r} (themes: {known})")
        curated = wq.Term("themes", normalise_name(theme_id))
        removed = wq.Term("themes_removed", normalise_name(theme_id))
        if theme.query:
            try:
                classified = self._parse_raw(self.variants.expand(theme.query), theme.query)
            except QueryError as error:
                raise QueryError(f"theme {theme_id!r} has a bad query: {error}") from None
            membership: wq.Query = wq.Or([curated, wq.And([wq.Term("curated", "no"), classified])])
        else:
            membership = curated
        membership = wq.AndNot(membership, removed)  # taken out of the theme by the user
        self._theme_queries[theme_id] = membership
        return membership

    def _parse_raw(self, text: str, shown: str) -> wq.Query:
        """Parse `text`; messages quote `shown`, the query as the user wrote it."""
        has_dates = any(name in ("date", "published") for name in field_names(text))
        try:
            parsed = self._parser.parse(text)
        except Exception:  # whoosh raises IndexError, ValueError… on odd input
            if has_dates:
                raise QueryError(f"cannot understand a date in {shown!r}: {DATE_HELP}") from None
            raise QueryError(f"cannot understand {shown!r}: {SYNTAX_HELP}") from None
        if parsed is wq.NullQuery:
            raise QueryError(f"incomplete query {shown!r}: {SYNTAX_HELP}")
        if any(getattr(node, "error", None) for node in _walk(parsed)):
            raise QueryError(f"cannot understand a date in {shown!r}: {DATE_HELP}")
        return parsed

    def _rewrite_fields(self, parsed: wq.Query) -> wq.Query:
        """Themes by membership, sources by id or name, one-value fields as one term."""

        def rewrite(node: Any) -> Any:
            fieldname = getattr(node, "fieldname", None)
            if isinstance(node, wq.Phrase) and fieldname in ONE_VALUE_FIELDS:
                node = wq.Term(fieldname, " ".join(str(word) for word in node.words))
            if isinstance(node, wq.Term) and fieldname == "themes":
                return self.theme_query(_theme_id(node.text, self.themes))
            if isinstance(node, wq.Term) and fieldname == "source":
                return wq.Term("source", self.source_id(str(node.text)), boost=node.boost)
            if node.is_leaf():
                return node
            return node.apply(rewrite)

        return rewrite(parsed)

    def source_id(self, text: str) -> str:
        """The id of the source whose id, name or short name `text` is (else `text`)."""
        wanted = normalise_name(text)
        for source in self.sources.values():
            if wanted in (
                normalise_name(source.id),
                normalise_name(source.name),
                normalise_name(source.short),
            ):
                return source.id
        return text.lower()


def _theme_id(text: Any, themes: Mapping[str, Theme]) -> str:
    wanted = normalise_name(str(text))
    for theme_id, theme in themes.items():
        if wanted in (normalise_name(theme_id), normalise_name(theme.name)):
            return theme_id
    return str(text)


def _walk(node: Any) -> Any:
    yield node
    if not node.is_leaf():
        for child in node.children():
            yield from _walk(child)
