"""The Whoosh index: schema, analysis, building and updating it, parsing queries,
searching, facets, highlighting and spelling.

The only package of the project that imports Whoosh; its private internals are
touched only in `engine/fast/`.
"""
