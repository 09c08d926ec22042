"""The command palette (Ctrl+P): every action, every theme and source, and any article.

Titles, names and descriptions come from content files, so every one is shown
as plain Content (or escaped where Textual would parse markup).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from index import Filters, QueryError, SearchRequest

from .screens.main import MainScreen
from .widgets.reading_room import by_key

ARTICLE_HITS = 8


class BriefingCommands(Provider):
    """Commands prefixed by what they act on: `theme: …`, `source: …`, `article: …`."""

    def _main(self) -> MainScreen | None:
        screen = self.screen
        return screen if isinstance(screen, MainScreen) else None

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        screen = self._main()
        if screen is None:
            return []
        commands: list[tuple[str, Callable[[], object], str]] = [
            ("search", screen.action_focus_search, "Focus the search box (/)"),
            *(
                (
                    f"focus: {pane.title.lower()}",
                    partial(screen.focus_pane, pane.id),
                    f"Key {pane.key}",
                )
                for pane in by_key()
            ),
            ("unread only", screen.action_unread_only, "Hide read articles, or show them (U)"),
            (
                "new theme from the query",
                partial(screen.curation.edit_theme, None),
                "Save the search as a theme (n in Themes)",
            ),
            ("clear filters and query", screen.action_clear_all, "Key x"),
            ("related articles", screen.action_related, "More like the open article (r)"),
            ("toggle read", screen.action_toggle_read, "Mark read or unread (u)"),
            ("next match", partial(screen.action_match, 1), "In the open article (n)"),
            ("previous match", partial(screen.action_match, -1), "In the open article (N)"),
            ("fetch feeds", screen.action_fetch, "What is new in the feeds you follow (f)"),
            ("stop fetching", screen.fetching.stop, "Keep what came (Esc)"),
            ("story of the open article", screen.action_story, "Its sources side by side (S)"),
            ("timeline of the results", screen.action_timeline, "Filter by a period (T)"),
            ("what is emerging", screen.action_emerging, "Rising terms of the results (E)"),
            ("update the index", screen.action_sync_index, "Re-read changed content now"),
            ("export: briefing", screen.action_export, "Markdown of your annotated articles (e)"),
            ("notes: every annotation", screen.notes_mode_toggled, "Or this article's (t)"),
            ("help", self.app.action_help, "Every key (?)"),  # type: ignore[attr-defined]
        ]
        for theme in screen.workspace.themes.values():
            toggle = partial(screen.toggle_filter, "theme", theme.id)
            commands.append((f"theme: {theme.name}", toggle, theme.description))
            edit = partial(screen.curation.edit_theme, theme.id)
            commands.append((f"edit theme: {theme.name}", edit, "Its name and query (e in Themes)"))
            member = partial(screen.curation.toggle_member, theme.id)
            commands.append(
                (
                    f"open article in/out of theme: {theme.name}",
                    member,
                    "By hand; stays so (m in Themes)",
                )
            )
        for source in screen.workspace.sources.values():
            toggle = partial(screen.toggle_filter, "source", source.id)
            commands.append((f"source: {source.name}", toggle, f"grade {source.grade}"))
            grade = partial(screen.curation.grade, source.id)
            commands.append((f"grade source: {source.name}", grade, "A–F and why (e in Sources)"))
        return commands

    async def discover(self) -> Hits:
        for text, command, help_text in self._commands():
            yield DiscoveryHit(Content(text), command, text=text, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score, highlight(matcher, text), command, text=text, help=escape(help_text)
                )
        screen = self._main()
        if screen is None or len(query.strip()) < 2:
            return
        try:
            request = SearchRequest(Filters(query), limit=ARTICLE_HITS, snippets=False)
            result = await asyncio.to_thread(screen.workspace.search, request)
        except QueryError:
            return
        for rank, hit in enumerate(result.hits):
            text = f"article: {hit.title}"
            yield Hit(
                0.5 - rank * 0.01,
                highlight(matcher, text),
                partial(screen.opener.open, hit.id),
                text=text,
                help=escape(screen.workspace.source(hit.source).name),
            )


def highlight(matcher: Matcher, text: str) -> Content:
    """Like Matcher.highlight, but `text` is never read as markup (titles are untrusted)."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
