"""The domain layer of briefing: articles, the Whoosh index, search and user data.

Nothing in this package knows about the terminal interface; `tui/` builds on it.

Whoosh 2.7.4 predates current Python: compiling it warns about invalid escape
sequences and `is` with literals, which `-W error` turns into import errors.
Those warnings are silenced here, for Whoosh's modules only, before any of
them is imported; every other warning still counts.
"""

import warnings

WHOOSH_MODULES = r"(whoosh(\..*)?|.*[/\\]whoosh([/\\].*)?)$"
"""Whoosh's modules by name (runtime warnings) or by file path (compile-time ones)."""

for _category in (DeprecationWarning, SyntaxWarning):
    warnings.filterwarnings("ignore", category=_category, module=WHOOSH_MODULES)
