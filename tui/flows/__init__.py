"""What the reading room does with what the user asks: searching, opening, annotating, curating,
fetching, indexing and the analyst's views, each a flow that starts its own background work and
takes its result back (`tui.work`). The screen composes them; it does not relay."""
