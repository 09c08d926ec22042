"""The terminal side of briefing: the `briefing` command and the Textual interface.

Nothing here talks to Whoosh; everything goes through `index.workspace.Workspace`.
"""
