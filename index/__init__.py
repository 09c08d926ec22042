"""The domain layer of briefing: articles, the Whoosh index, search and user data.

Nothing in this package knows about the terminal interface; `tui/` builds on it.
"""
