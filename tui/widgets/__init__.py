"""The panes of the main screen; each shows what it is given and posts messages."""
